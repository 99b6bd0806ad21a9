#include "meterd/runtime/config_file.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace meterd {
namespace {

constexpr std::uintmax_t kMaxConfigBytes = 1024 * 1024;

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

bool valid_name(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  return true;
}

}  // namespace

ConfigFile parse_config_text(const std::string& text, const std::string& path) {
  ConfigFile file{path, {}};
  std::istringstream in(text);
  std::string raw;
  std::set<std::string> seen_sections;
  int line_no = 0;
  auto fail = [&](const std::string& what) { throw ConfigError(path + ":" + std::to_string(line_no) + ": " + what); };
  while (std::getline(in, raw)) {
    ++line_no;
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      if (line.back() != ']') fail("section header '" + line + "' is missing its closing ']'");
      std::string name = trim(line.substr(1, line.size() - 2));
      if (!valid_name(name)) fail("invalid section name '" + name + "' (use letters, digits, '_', '-', e.g. [source.kitchen])");
      if (!seen_sections.insert(name).second) fail("section [" + name + "] appears twice; give each instance its own name");
      file.sections.push_back({name, line_no, {}});
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos) fail("expected 'option = value' or '[section]', got '" + line + "'");
    if (file.sections.empty()) fail("option outside of any section; start with a section such as [meterd] or [source.NAME]");
    std::string key = trim(line.substr(0, eq));
    std::string value = trim(line.substr(eq + 1));
    if (!valid_name(key)) fail("invalid option name '" + key + "'");
    // Values may be quoted to keep leading/trailing blanks or '#'.
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    file.sections.back().entries.push_back({key, value, line_no});
  }
  return file;
}

// A config is a small regular file. Anything else (a directory, /dev/zero, a FIFO nobody
// writes to) would hang or read garbage, so it is refused before it is opened.
ConfigFile read_config_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    throw ConfigError(path + ": cannot open the config file (does it exist and is it readable?)");
  if (!std::filesystem::is_regular_file(status))
    throw ConfigError(path + ": not a regular file (a directory, device or FIFO); give the path of a config file");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxConfigBytes)
    throw ConfigError(path + ": larger than " + std::to_string(kMaxConfigBytes / 1024) +
                      " KiB; a meterd config is a short text file, is this the right path?");
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot open the config file (is it readable by this user?)");
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw ConfigError(path + ": cannot read the config file");
  return parse_config_text(ss.str(), path);
}

}  // namespace meterd
