#pragma once
// The Prometheus text exposition format 0.0.4: a set of metric families, each written as one
// block (HELP, TYPE, then its samples), with label values escaped and each series at most once.
// Families and series come out sorted, so two scrapes of the same state are byte-identical.
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

namespace meterd::prometheus {

enum class MetricType { gauge, counter };

struct Label {
  std::string_view name;
  std::string_view value;  // a label with an empty value is left out, as Prometheus treats it
};

// `\` -> `\\`, `"` -> `\"`, newline -> `\n`; invalid UTF-8 becomes U+FFFD because Prometheus
// rejects the whole scrape on one bad byte.
std::string escape_label_value(std::string_view value);
// HELP text escapes only `\` and newline.
std::string escape_help(std::string_view help);
// Shortest text that reads back as the same double; NaN, +Inf and -Inf in Prometheus spelling.
std::string format_value(double value);
// `{a="x",b="y"}`, or "" when no label has a value. Names are the caller's fixed identifiers.
std::string format_labels(std::initializer_list<Label> labels);

class FamilySet {
 public:
  // Adds a sample to family `name`, declaring the family on first use. A later sample with the
  // same labels replaces the earlier one (no duplicate series). Throws std::logic_error when the
  // same name is used with another type, which would be a programming error.
  void add(std::string_view name, MetricType type, std::string_view help, std::initializer_list<Label> labels,
           double value);
  // Same, with labels already formatted by format_labels (cached by callers that add often).
  void add_formatted(std::string_view name, MetricType type, std::string_view help, std::string labels, double value);
  std::string render() const;
  std::size_t series_count() const;

 private:
  struct Family {
    MetricType type;
    std::string help;
    std::map<std::string, double> series;  // formatted label block -> value
  };
  Family& family(std::string_view name, MetricType type, std::string_view help);
  std::map<std::string, Family, std::less<>> families_;
};

}  // namespace meterd::prometheus
