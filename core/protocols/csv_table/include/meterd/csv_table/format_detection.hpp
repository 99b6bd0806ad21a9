#pragma once
// Recognises a history file from its first lines. Every format is tried; for a file none of
// them fits, each attempt says why it failed, so the user can fix the file or write a
// mapping instead of guessing.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meterd/csv_table/column_mapping.hpp"

namespace meterd::csv_table {

struct FormatProbe {
  std::optional<TableMapping> mapping;  // set when the file has this format
  std::string why_not;                  // otherwise: what did not fit
};

// The formats `detect_format` tries, in order.
const std::vector<std::string_view>& detectable_formats();

// Checks whether `head` (the start of a file) has format `name`. `whole_file` says the head
// is the complete file, so its last line is complete even without a newline.
FormatProbe probe_format(std::string_view name, std::string_view head, bool whole_file);

struct FormatAttempt {
  std::string format;
  std::string why_not;
};

struct Detection {
  std::string format;  // empty when nothing fits
  std::optional<TableMapping> mapping;
  std::vector<FormatAttempt> attempts;  // every format tried before (or instead of) a match
  // "no known format fits: ekz_export: ...; ckw_open_data: ...".
  std::string failure_text() const;
};

Detection detect_format(std::string_view head, bool whole_file);

}  // namespace meterd::csv_table
