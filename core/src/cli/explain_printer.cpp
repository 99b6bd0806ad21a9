#include "explain_printer.hpp"

#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>

namespace meterd::cli {

void ExplainPrinter::step(int depth, std::string layer, std::vector<std::pair<std::string, std::string>> fields) {
  if (depth == 0) flush();
  lines_.push_back(ExplainLine{depth, std::move(layer), std::move(fields), {}});
}

void ExplainPrinter::diagnostic(const DecoderDiagnostic& d) {
  lines_.push_back(ExplainLine{current_depth(), std::string(severity_name(d.severity)) + " " + d.code,
                               {{"message", d.message}}, {}});
}

void ExplainPrinter::reading(const DecodedMessage& m) {
  std::vector<std::pair<std::string, std::string>> fields{{"meter id", m.meter_id.empty() ? "(none)" : m.meter_id}};
  fields.emplace_back("time", m.time ? format_meter_time(*m.time) : "(none)");
  fields.emplace_back("values", std::to_string(m.values.size()));
  lines_.push_back(ExplainLine{1, "reading", std::move(fields), to_json_line(m)});
}

void ExplainPrinter::flush() {
  if (lines_.empty()) return;
  if (format_ == Format::text)
    print_text();
  else
    print_json();
  out_ << std::flush;
  lines_.clear();
}

void ExplainPrinter::print_text() const {
  for (const ExplainLine& l : lines_) {
    out_ << std::string(static_cast<std::size_t>(l.depth) * 2, ' ') << l.layer;
    const char* sep = ": ";
    for (const auto& [k, v] : l.fields) {
      out_ << sep << k << (v.empty() ? "" : " " + v);
      sep = ", ";
    }
    out_ << '\n';
  }
  out_ << '\n';
}

void ExplainPrinter::print_json() const {
  using Json = nlohmann::ordered_json;
  // A line is a child of the closest line before it with a smaller depth.
  std::vector<int> parent(lines_.size(), -1);
  std::vector<std::vector<std::size_t>> children(lines_.size());
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    for (int j = static_cast<int>(i) - 1; j >= 0; j = parent[static_cast<std::size_t>(j)])
      if (lines_[static_cast<std::size_t>(j)].depth < lines_[i].depth) {
        parent[i] = j;
        children[static_cast<std::size_t>(j)].push_back(i);
        break;
      }
  }
  const std::function<Json(std::size_t)> build = [&](std::size_t i) {
    const ExplainLine& l = lines_[i];
    Json n;
    n["layer"] = l.layer;
    for (const auto& [k, v] : l.fields) n["fields"][k] = v;
    if (!l.reading_json.empty()) n["reading"] = Json::parse(l.reading_json);
    if (!children[i].empty()) {
      n["children"] = Json::array();
      for (std::size_t c : children[i]) n["children"].push_back(build(c));
    }
    return n;
  };
  for (std::size_t i = 0; i < lines_.size(); ++i)
    if (parent[i] < 0) out_ << build(i).dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace meterd::cli
