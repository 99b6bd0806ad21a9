#pragma once
// A strict reader of the Prometheus text format 0.0.4 for tests, written independently of the
// sink's writer so that it checks the output rather than repeating it. It rejects what
// Prometheus would reject (bad names, unquoted or badly escaped labels, values that are not
// floats) and also what the format allows but meterd promises not to do (a sample before its
// family's HELP and TYPE, a family split in two, duplicate series, counters without _total).
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace meterd::test {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;  // unescaped values
  double value = 0;
};

struct Family {
  std::string name;
  std::string type;  // "gauge", "counter", ...
  std::string help;  // unescaped
  std::vector<Sample> samples;
};

struct Exposition {
  std::vector<Family> families;

  const Family* family(std::string_view name) const;
  // The one sample of `name` whose labels include all of `labels`; nullopt if none, throws
  // std::runtime_error if several match (the test asked an ambiguous question).
  std::optional<double> value(std::string_view name, const std::map<std::string, std::string>& labels = {}) const;
  // All samples of `name` whose labels include all of `labels`.
  std::vector<Sample> samples(std::string_view name, const std::map<std::string, std::string>& labels = {}) const;
};

class ExpositionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws ExpositionError naming the line number and what is wrong.
Exposition parse_exposition(std::string_view text);

}  // namespace meterd::test
