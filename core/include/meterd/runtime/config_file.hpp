#pragma once
// Reads an INI-style meterd config into sections of key = value entries, keeping line
// numbers so every later error can point at the file, section and line.
#include <stdexcept>
#include <string>
#include <vector>

namespace meterd {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ConfigEntry {
  std::string key;
  std::string value;
  int line = 0;
};

struct ConfigSection {
  std::string name;  // "meterd", "bus", "source.kitchen", "sink.influx"
  int line = 0;
  std::vector<ConfigEntry> entries;
};

struct ConfigFile {
  std::string path;
  std::vector<ConfigSection> sections;
};

// Throws ConfigError("FILE:LINE: what is wrong and what was expected").
ConfigFile read_config_file(const std::string& path);
ConfigFile parse_config_text(const std::string& text, const std::string& path);

}  // namespace meterd
