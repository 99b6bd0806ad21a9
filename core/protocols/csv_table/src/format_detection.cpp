#include "meterd/csv_table/format_detection.hpp"

#include <algorithm>
#include <cctype>

#include "meterd/csv_table/builtin_formats.hpp"
#include "meterd/csv_table/field_splitter.hpp"
#include "meterd/csv_table/line_splitter.hpp"
#include "meterd/csv_table/number_parser.hpp"
#include "meterd/csv_table/timestamp_format.hpp"

namespace meterd::csv_table {
namespace {

constexpr std::size_t kHeadLines = 64;

std::vector<std::string> head_lines(std::string_view head, bool whole_file) {
  std::vector<std::string> lines;
  LineSplitter splitter;
  splitter.feed(head, [&](std::string_view line, const LinePosition&) {
    if (lines.size() < kHeadLines) lines.emplace_back(line);
  });
  if (whole_file && !splitter.pending().empty() && lines.size() < kHeadLines) {
    std::string last(splitter.pending());
    if (!last.empty() && last.back() == '\r') last.pop_back();
    lines.push_back(std::move(last));
  }
  return lines;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::vector<std::string> split_trimmed(std::string_view line, char separator) {
  FieldSplitter splitter(separator);
  std::vector<std::string> out;
  if (!splitter.split(line)) return out;
  for (auto f : splitter.fields()) out.emplace_back(trim_field(f));
  return out;
}

bool parses_as(const std::string& pattern, std::string_view text, ParsedTimestamp* out = nullptr) {
  std::string error;
  const auto format = TimestampFormat::compile(pattern, error);
  ParsedTimestamp ts;
  const char* why = "";
  if (!format || !format->parse(text, ts, why)) return false;
  if (out) *out = ts;
  return true;
}

std::string quoted(std::string_view line) {
  constexpr std::size_t kMax = 60;
  // Built by appending: GCC 12 mis-warns (-Wrestrict) on "literal" + std::string.
  std::string out(1, '\'');
  out.append(line.substr(0, kMax));
  out.append(line.size() > kMax ? "…'" : "'");
  return out;
}

FormatProbe probe_ekz(const std::vector<std::string>& lines) {
  FormatProbe p;
  std::size_t header = lines.size();
  for (std::size_t i = 0; i < lines.size() && i < 3; ++i) {
    const auto fields = split_trimmed(lines[i], ';');
    if (fields.size() >= 3 && lower(fields[0]) == "zeitraum" && lower(fields[1]) == "ht [kwh]" &&
        lower(fields[2]) == "nt [kwh]") {
      header = i;
      break;
    }
  }
  if (header == lines.size()) {
    p.why_not = "no header 'Zeitraum;HT [kWh];NT [kWh]' in the first lines";
    return p;
  }
  const bool hint = lines.front().starts_with("sep=");
  TableMapping m = ekz_export_mapping();
  m.header_rows = header + 1 - (hint ? 1 : 0);
  // The tool writes "dd.mm.yyyy hh:mm"; daily exports may carry the date only.
  std::size_t data = header + 1;
  while (data < lines.size() && lines[data].empty()) ++data;
  if (data == lines.size()) {
    p.why_not = "header found but no data rows follow it";
    return p;
  }
  const auto first = split_trimmed(lines[data], ';');
  const std::string stamp = first.empty() ? std::string() : first[0];
  for (const char* pattern : {"dd.MM.yyyy HH:mm", "dd.MM.yyyy HH:mm:ss", "dd.MM.yyyy", "iso8601"}) {
    if (parses_as(pattern, stamp)) {
      m.timestamp_format = pattern;
      p.mapping = std::move(m);
      return p;
    }
  }
  p.why_not = "header found, but the first row's time " + quoted(stamp) + " is not dd.mm.yyyy hh:mm";
  return p;
}

FormatProbe probe_ckw(const std::vector<std::string>& lines) {
  FormatProbe p;
  if (lines.empty()) return p.why_not = "file is empty", p;
  for (char separator : {',', ';'}) {
    const auto fields = split_trimmed(lines[0], separator);
    std::optional<std::size_t> id, ts, value;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const std::string name = lower(fields[i]);
      if (name == "id") id = i;
      if (name == "timestamp") ts = i;
      if (name == "value_kwh") value = i;
    }
    if (!id || !ts || !value) continue;
    TableMapping m = ckw_open_data_mapping(*id, *ts, *value);
    m.separator = separator;
    if (lines.size() > 1) {
      const auto row = split_trimmed(lines[1], separator);
      if (row.size() <= *ts || !parses_as("iso8601", row[*ts])) {
        p.why_not = "header found, but row 2's timestamp is not ISO 8601: " + quoted(lines[1]);
        return p;
      }
    }
    p.mapping = std::move(m);
    return p;
  }
  p.why_not = "line 1 " + quoted(lines[0]) + " lacks the columns id, timestamp, value_kwh";
  return p;
}

FormatProbe probe_cii(const std::vector<std::string>& lines) {
  FormatProbe p;
  if (lines.empty()) return p.why_not = "file is empty", p;
  const auto fields = split_trimmed(lines[0], ';');
  if (fields.size() < 5) {
    p.why_not = "line 1 has " + std::to_string(fields.size()) + " field(s) separated by ';', the tool writes 5";
    return p;
  }
  if (!parses_as("dd.MM.yyyy HH:mm:ss", fields[0])) {
    p.why_not = "field 1 of line 1 " + quoted(fields[0]) + " is not dd.MM.yyyy HH:mm:ss";
    return p;
  }
  for (std::size_t i = 2; i < 5; ++i)
    if (!parse_number(fields[i], false)) {
      p.why_not = "field " + std::to_string(i + 1) + " of line 1 " + quoted(fields[i]) + " is not a number";
      return p;
    }
  p.mapping = cii_tool_mapping();
  return p;
}

FormatProbe probe_power_series(const std::vector<std::string>& lines) {
  FormatProbe p;
  if (lines.empty()) return p.why_not = "file is empty", p;
  static const char* const patterns[] = {"iso8601", "dd.MM.yyyy HH:mm:ss", "dd.MM.yyyy HH:mm", "unix", "unix_ms"};
  for (char separator : {',', ';', '\t'}) {
    const auto first = split_trimmed(lines[0], separator);
    if (first.size() != 2) continue;
    const std::size_t header_rows = std::any_of(std::begin(patterns), std::end(patterns),
                                                [&](const char* f) { return parses_as(f, first[0]); }) ? 0 : 1;
    double scale = 1.0;
    if (header_rows == 1) {
      const std::string name = lower(first[1]);
      if (name.find("wh") != std::string::npos) {
        p.why_not = "the value column " + quoted(first[1]) + " is an energy, not a power";
        return p;
      }
      if (name.find("kw") != std::string::npos) scale = 1000.0;
    }
    if (lines.size() < header_rows + 2) {
      p.why_not = "needs at least two rows to see their spacing";
      return p;
    }
    const auto row = split_trimmed(lines[header_rows], separator);
    const char* pattern = nullptr;
    for (const char* f : patterns)
      if (row.size() == 2 && parses_as(f, row[0])) {
        pattern = f;
        break;
      }
    if (!pattern) {
      p.why_not = "the first column of " + quoted(lines[header_rows]) + " is not a timestamp";
      return p;
    }
    const bool decimal_comma = separator != ',' && !parse_number(row[1], false) && parse_number(row[1], true);
    if (!parse_number(row[1], decimal_comma)) {
      p.why_not = "the second column of " + quoted(lines[header_rows]) + " is not a number";
      return p;
    }
    // Spacing: the smallest step of the first rows must be 1 s to 10 min.
    std::int64_t step = 0, previous = 0;
    bool have_previous = false;
    for (std::size_t i = header_rows; i < lines.size(); ++i) {
      const auto r = split_trimmed(lines[i], separator);
      ParsedTimestamp ts;
      if (r.size() != 2 || !parses_as(pattern, r[0], &ts)) continue;
      const std::int64_t t = ts.local_seconds - (ts.has_offset ? ts.offset_seconds : 0);
      if (have_previous && t > previous && (step == 0 || t - previous < step)) step = t - previous;
      previous = t;
      have_previous = true;
    }
    if (step < 1 || step > 600) {
      p.why_not = step == 0 ? "rows do not advance in time"
                            : "rows are " + std::to_string(step) + " s apart; a power series has 1 s to 10 min";
      return p;
    }
    p.mapping = power_series_mapping(separator, header_rows, pattern, scale, decimal_comma);
    return p;
  }
  p.why_not = "line 1 " + quoted(lines[0]) + " does not have exactly two columns (timestamp, power)";
  return p;
}

}  // namespace

const std::vector<std::string_view>& detectable_formats() {
  static const std::vector<std::string_view> names = {kEkzExportFormat, kCkwOpenDataFormat, kCiiToolFormat,
                                                       kPowerSeriesFormat};
  return names;
}

FormatProbe probe_format(std::string_view name, std::string_view head, bool whole_file) {
  if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b)
    return FormatProbe{std::nullopt, "the file is gzip-compressed; decompress it first (gunzip)"};
  const auto lines = head_lines(head, whole_file);
  if (name == kEkzExportFormat) return probe_ekz(lines);
  if (name == kCkwOpenDataFormat) return probe_ckw(lines);
  if (name == kCiiToolFormat) return probe_cii(lines);
  if (name == kPowerSeriesFormat) return probe_power_series(lines);
  return FormatProbe{std::nullopt, "unknown format name '" + std::string(name) + "'"};
}

Detection detect_format(std::string_view head, bool whole_file) {
  Detection d;
  for (std::string_view name : detectable_formats()) {
    FormatProbe p = probe_format(name, head, whole_file);
    if (p.mapping) {
      d.format = std::string(name);
      d.mapping = std::move(p.mapping);
      return d;
    }
    d.attempts.push_back(FormatAttempt{std::string(name), std::move(p.why_not)});
  }
  return d;
}

std::string Detection::failure_text() const {
  std::string text = "no known format fits";
  for (const auto& a : attempts) text += "; " + a.format + ": " + a.why_not;
  return text;
}

}  // namespace meterd::csv_table
