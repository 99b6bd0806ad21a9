#pragma once
// Where a simulator with history_days left off: the last simulated instant and each meter's
// register. Restarting from it keeps the registers continuous, so the energy accounted from
// their deltas stays right across restarts of a long-running demo.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace meterd::simulator {

struct SimulatorProgress {
  std::int64_t until_ms = 0;
  std::map<std::string, double> energy_wh;  // meter id -> import register
  std::map<std::string, double> export_wh;  // meter id -> export register (absent: 0)

  // nullopt when the file is absent or unreadable (a fresh start).
  static std::optional<SimulatorProgress> load(const std::filesystem::path& file);
  // Written to a temporary file and renamed, so a crash leaves the old or the new state.
  void save(const std::filesystem::path& file) const;
};

}  // namespace meterd::simulator
