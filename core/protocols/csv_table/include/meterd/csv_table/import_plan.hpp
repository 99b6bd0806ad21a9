#pragma once
// Decides, from the first bytes of a file and the configured options, how the whole file will
// be read: which format, which mapping, which time zone, and for interval exports the interval
// length and whether timestamps mark starts or ends. Everything that can be refused is refused
// here, before a single row is imported.
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "meterd/csv_table/column_mapping.hpp"

namespace meterd {
class TimeZone;
}

namespace meterd::csv_table {

class ImportPlanError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ImportPlan {
  std::string format;  // "ekz_export", ..., or "generic" for a configured mapping
  TableMapping mapping;  // interval and marks resolved
  std::shared_ptr<const TimeZone> zone;
  std::string notes;  // how the format and layout were decided, for the log
};

// `format` is "auto", "generic" or a built-in name. With "auto" a configured `column` mapping
// wins over detection. `overrides` are the mapping options from the config, applied on top of
// a built-in format. Throws ImportPlanError (unknown format, with every attempt and its
// reason) or MappingError (bad option, bad time zone).
ImportPlan plan_import(std::string_view head, bool whole_file, std::string_view format, const OptionValues& overrides,
                       const std::shared_ptr<const TimeZone>& default_zone);

// The zone a mapping names, or `default_zone` when it names none. Throws MappingError.
std::shared_ptr<const TimeZone> mapping_zone(const TableMapping& mapping,
                                             const std::shared_ptr<const TimeZone>& default_zone);

}  // namespace meterd::csv_table
