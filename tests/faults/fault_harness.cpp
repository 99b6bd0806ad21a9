#include "fault_harness.hpp"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace meterd::faults {

fs::path fresh_dir(const std::string& name) {
  auto d = fs::path(METERD_BUILD_DIR) / "test-work" / "faults" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void write_text(const fs::path& file, const std::string& text) { std::ofstream(file, std::ios::binary) << text; }

void append_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::app | std::ios::binary);
  out << text;
}

std::unique_ptr<test::ServerProcess> start_meterd(const fs::path& dir, const std::string& name,
                                                  const std::string& config) {
  write_text(dir / (name + ".conf"), config);
  auto p = std::make_unique<test::ServerProcess>(
      std::vector<std::string>{METERD_BUILD_DIR "/meterd", "--config", (dir / (name + ".conf")).string()},
      dir / (name + ".log"));
  p->start();
  return p;
}

std::string Tally::summary() const {
  return "expected " + std::to_string(expected) + ", delivered " + std::to_string(delivered) + ", lost " +
         std::to_string(lost) + ", duplicates " + std::to_string(duplicates);
}

Tally tally(const std::set<std::string>& expected, const std::vector<std::string>& seen) {
  std::map<std::string, std::size_t> times;
  for (const auto& id : seen) ++times[id];
  Tally t;
  t.expected = expected.size();
  for (const auto& id : expected) {
    const auto it = times.find(id);
    if (it == times.end()) {
      ++t.lost;
      continue;
    }
    ++t.delivered;
    t.duplicates += it->second - 1;
  }
  return t;
}

std::vector<WrittenReading> readings_in_jsonl(const fs::path& directory) {
  std::vector<WrittenReading> out;
  if (!fs::exists(directory)) return out;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.path().extension() != ".jsonl") continue;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object()) continue;
      out.push_back({j.value("id", std::string()), j.value("meter_time", std::string())});
    }
  }
  return out;
}

std::vector<std::string> ids_of(const std::vector<WrittenReading>& readings) {
  std::vector<std::string> ids;
  for (const auto& r : readings) ids.push_back(r.id);
  return ids;
}

std::set<std::string> simulator_ids(const std::string& source, const std::string& meter, std::int64_t start_ms,
                                    std::int64_t interval_ms, int count) {
  std::set<std::string> ids;
  for (int i = 0; i < count; ++i) ids.insert(source + "/" + meter + "/" + std::to_string(start_ms + i * interval_ms));
  return ids;
}

}  // namespace meterd::faults
