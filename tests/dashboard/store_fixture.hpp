#pragma once
// A history store in a fresh temporary file, removed afterwards.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>

#include "history_store.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::dashboard::testing {

inline std::filesystem::path fresh_dir(const std::string& name) {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("meterd-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

struct TempStore {
  std::filesystem::path dir;
  StoreOptions options;
  std::shared_ptr<const TimeZone> zone;
  std::unique_ptr<HistoryStore> store;
  explicit TempStore(const std::string& name, const std::string& zone_name = "Europe/Zurich")
      : dir(fresh_dir(name)), zone(TimeZone::load(zone_name)) {
    options.file = dir / "history.sqlite";
    options.raw_days = 0;
  }
  HistoryStore& open() {
    store = std::make_unique<HistoryStore>(options, zone);
    return *store;
  }
  ~TempStore() {
    store.reset();
    std::filesystem::remove_all(dir);
  }
};

// Local wall time in Zurich as UTC ms (earlier instant when repeated).
inline std::int64_t zurich_ms(const TimeZone& zone, int y, int mo, int d, int h = 0, int mi = 0) {
  return zone.local_to_utc(civil_to_seconds(CivilTime{y, mo, d, h, mi, 0})).front() * 1000;
}

}  // namespace meterd::dashboard::testing
