#pragma once
// Process-wide logging to standard error with levels. One line per message:
//   2026-11-27T23:59:00.123Z WARN  [source.kitchen] no bytes for 60 s ...
#include <string_view>

#include "meterd/plugin.hpp"

namespace meterd::log {

using sdk::Level;

void set_level(Level level);
Level level();
// Accepts debug, info, warning (or warn), error. Throws std::invalid_argument otherwise.
Level parse_level(std::string_view name);
const char* level_name(Level level);
void write(Level level, std::string_view component, std::string_view message);

inline void debug(std::string_view c, std::string_view m) { write(Level::debug, c, m); }
inline void info(std::string_view c, std::string_view m) { write(Level::info, c, m); }
inline void warning(std::string_view c, std::string_view m) { write(Level::warning, c, m); }
inline void error(std::string_view c, std::string_view m) { write(Level::error, c, m); }

}  // namespace meterd::log
