#pragma once
// How the file sink writes one Reading: JSON Lines (one object per reading) or CSV (one row
// per value, so spreadsheets need no nested parsing).
#include <string>

#include "meterd/v1/bus.pb.h"

namespace meterd::file_sink {

enum class Format { jsonl, csv };

Format parse_format(const std::string& name);  // throws std::invalid_argument
const char* extension(Format f);
std::string csv_header();
void append_record(Format f, const v1::Reading& r, std::string& out);

}  // namespace meterd::file_sink
