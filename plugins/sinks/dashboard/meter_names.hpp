#pragma once
// Display names for meter ids, from the sink's `meter_names` option: "ID=Name, ID=Name".
// Meters keep their ids everywhere in the API; the name is only what people read.
#include <map>
#include <string>
#include <string_view>

namespace meterd::dashboard {

class MeterNames {
 public:
  // Throws std::invalid_argument naming the entry that does not parse.
  static MeterNames parse(std::string_view text);
  // The configured name, else the id itself.
  const std::string& of(const std::string& id) const;
  const std::map<std::string, std::string>& all() const { return names_; }

 private:
  std::map<std::string, std::string> names_;
};

}  // namespace meterd::dashboard
