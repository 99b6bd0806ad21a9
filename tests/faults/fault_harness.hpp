#pragma once
// What every fault scenario needs: a fresh folder, the real `meterd` binary run from a config
// text, and the readings a sink delivered, counted by reading id (expected, delivered,
// lost, duplicates).
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "server_process.hpp"

namespace meterd::faults {

std::filesystem::path fresh_dir(const std::string& name);
void write_text(const std::filesystem::path& file, const std::string& text);
void append_text(const std::filesystem::path& file, const std::string& text);

// `meterd --config <dir>/<name>.conf` with `config` written there; log in <dir>/<name>.log.
std::unique_ptr<test::ServerProcess> start_meterd(const std::filesystem::path& dir, const std::string& name,
                                                  const std::string& config);

// The tally of one scenario: ids are what the sink saw, once per delivery.
struct Tally {
  std::size_t expected = 0;
  std::size_t delivered = 0;   // distinct expected ids seen
  std::size_t lost = 0;        // expected ids never seen
  std::size_t duplicates = 0;  // deliveries beyond the first of an id
  std::string summary() const;
};
Tally tally(const std::set<std::string>& expected, const std::vector<std::string>& seen);

// One line of the file sink's JSON Lines output.
struct WrittenReading {
  std::string id;
  std::string meter_time;
};
// Every reading in the JSON Lines files under `directory`, in file order.
std::vector<WrittenReading> readings_in_jsonl(const std::filesystem::path& directory);
std::vector<std::string> ids_of(const std::vector<WrittenReading>& readings);

// The ids the simulator gives `count` pushes of meter `meter` from [source.`source`]
// starting at `start_ms`, `interval_ms` apart: source/meter/meter time.
std::set<std::string> simulator_ids(const std::string& source, const std::string& meter, std::int64_t start_ms,
                                    std::int64_t interval_ms, int count);

}  // namespace meterd::faults
