// The link between two real meterd processes over real loopback TCP ([bus] export / import),
// through a relay that records every byte: keys made by `meterd keygen`, an importer without
// an accepted key gets nothing, the encrypted traffic holds no OBIS code, meter id or value,
// and an export beyond loopback without keys is refused at start and by --check-config.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "fault_harness.hpp"
#include "tcp_relay.hpp"
#include "wait_until.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace meterd::faults;
using namespace meterd::test;

namespace {

// The simulator's first push: `start = 2026-01-01T00:00:00` in UTC milliseconds.
constexpr std::int64_t kStartMs = 1'767'225'600'000;

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Runs the real binary to the end and returns its exit status; its output lands in `log`.
int run_meterd(const fs::path& dir, const std::vector<std::string>& args, const std::string& log) {
  std::vector<std::string> argv{METERD_BUILD_DIR "/meterd"};
  argv.insert(argv.end(), args.begin(), args.end());
  ServerProcess p(argv, dir / log);
  p.start();
  return p.wait_exit(30s);
}

// `meterd keygen dir/name`; returns the public key it wrote.
std::string keygen(const fs::path& dir, const std::string& name) {
  EXPECT_EQ(run_meterd(dir, {"keygen", (dir / name).string()}, name + "-keygen.log"), 0)
      << read_text(dir / (name + "-keygen.log"));
  auto pub = read_text(dir / (name + ".pub"));
  while (!pub.empty() && pub.back() == '\n') pub.pop_back();
  return pub;
}

std::string simulator_section(int count, const std::string& speed, const std::string& meter = "K1") {
  return "[source.sim]\nplugin = simulator\nmeters = house=" + meter + "\nspeed = " + speed +
         "\nstart = 2026-01-01T00:00:00\ninterval_ms = 5000\ncount = " + std::to_string(count) + "\n";
}

std::string file_sink(const fs::path& dir) {
  return "[sink.seen]\nplugin = file\ndirectory = " + (dir / "seen").string() + "\n";
}

// The register values the importer wrote, as the 8 bytes protobuf puts on the wire.
std::vector<std::string> value_bytes_in_jsonl(const fs::path& directory) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(directory)) {
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.contains("values")) continue;
      for (const auto& v : j["values"])
        if (v.contains("value") && v["value"].is_number()) {
          const double d = v["value"].get<double>();
          std::string bytes(sizeof d, '\0');
          std::memcpy(bytes.data(), &d, sizeof d);
          // A round number (230.0 is 00 00 00 00 00 c0 6c 40) looks like the zero padding and
          // big-endian counters of the CURVE framing; only values with a full mantissa tell.
          if (std::count(bytes.begin(), bytes.end(), '\0') <= 1) out.push_back(bytes);
        }
    }
  }
  return out;
}

// What of the readings can be read in `wire`: meter id, quantity names, OBIS codes, values.
std::vector<std::string> plaintext_found(const std::string& wire, const fs::path& seen) {
  std::vector<std::string> found;
  for (const std::string s : {"sim/K1/", "1-0:1.8.0", "1-0:1.7.0", "active_power", "energy_import"})
    if (wire.find(s) != std::string::npos) found.push_back(s);
  std::size_t values = 0;
  for (const auto& bytes : value_bytes_in_jsonl(seen))
    if (wire.find(bytes) != std::string::npos) ++values;
  if (values > 0) found.push_back(std::to_string(values) + " values");
  return found;
}

struct Link {
  std::uint16_t export_port = free_loopback_port();
  std::uint16_t relay_port = free_loopback_port();
  std::string exporter(const std::string& security) const {
    return "[bus]\nexport = tcp://127.0.0.1:" + std::to_string(export_port) + "\n" + security;
  }
  std::string importer(const std::string& security) const {
    return "[bus]\nimport = tcp://127.0.0.1:" + std::to_string(relay_port) + "\n" + security;
  }
};

}  // namespace

TEST(BusLink, KeygenWritesSecretKeyOwnerOnlyAndRefusesToOverwrite) {
  const auto dir = fresh_dir("bus-link-keygen");
  const auto pub = keygen(dir, "bus");
  EXPECT_EQ(pub.size(), 40u);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "bus.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(read_text(dir / "bus.key").size(), 41u);
  EXPECT_NE(read_text(dir / "bus.key").substr(0, 40), pub);
  EXPECT_EQ(run_meterd(dir, {"keygen", (dir / "bus").string()}, "again.log"), 1);
  EXPECT_NE(read_text(dir / "again.log").find("keep the existing key pair"), std::string::npos) << read_text(dir / "again.log");
  EXPECT_EQ(read_text(dir / "bus.pub").substr(0, 40), pub);  // untouched
}

TEST(BusLink, ExportWithoutKeysBeyondLoopbackIsRefusedByStartAndCheckConfig) {
  const auto dir = fresh_dir("bus-link-refuse");
  const std::string open = "[bus]\nexport = tcp://0.0.0.0:" + std::to_string(free_loopback_port()) + "\n" +
                           simulator_section(10, "0");
  write_text(dir / "open.conf", open);
  EXPECT_EQ(run_meterd(dir, {"--check-config", (dir / "open.conf").string()}, "check.log"), 2);
  EXPECT_EQ(run_meterd(dir, {"--config", (dir / "open.conf").string()}, "start.log"), 2);
  for (const auto* log : {"check.log", "start.log"}) {
    const auto text = read_text(dir / log);
    EXPECT_NE(text.find("open.conf:1: [bus] export = tcp://0.0.0.0:"), std::string::npos) << log << ": " << text;
    EXPECT_NE(text.find("meterd keygen"), std::string::npos) << log << ": " << text;
    EXPECT_NE(text.find("insecure = true"), std::string::npos) << log << ": " << text;
  }
  // The three ways out the message names are accepted.
  write_text(dir / "insecure.conf", "[bus]\nexport = tcp://0.0.0.0:7700\ninsecure = true\n" + simulator_section(10, "0"));
  EXPECT_EQ(run_meterd(dir, {"--check-config", (dir / "insecure.conf").string()}, "insecure.log"), 0)
      << read_text(dir / "insecure.log");
  write_text(dir / "loopback.conf", "[bus]\nexport = tcp://127.0.0.1:7700\n" + simulator_section(10, "0"));
  EXPECT_EQ(run_meterd(dir, {"--check-config", (dir / "loopback.conf").string()}, "loopback.log"), 0)
      << read_text(dir / "loopback.log");
  const auto pub = keygen(dir, "bus");
  write_text(dir / "keyed.conf", "[bus]\nexport = tcp://0.0.0.0:7700\nsecret_key = " + (dir / "bus.key").string() +
                                     "\naccept_key = " + pub + "\n" + simulator_section(10, "0"));
  EXPECT_EQ(run_meterd(dir, {"--check-config", (dir / "keyed.conf").string()}, "keyed.log"), 0)
      << read_text(dir / "keyed.log");
  // Keys come in complete sets, and a key is checked as text.
  write_text(dir / "half.conf", "[bus]\nimport = tcp://pi:7700\nsecret_key = " + (dir / "bus.key").string() + "\n");
  EXPECT_EQ(run_meterd(dir, {"--check-config", (dir / "half.conf").string()}, "half.log"), 2);
  EXPECT_NE(read_text(dir / "half.log").find("server_key"), std::string::npos) << read_text(dir / "half.log");
  write_text(dir / "badkey.conf", "[bus]\nimport = tcp://pi:7700\nserver_key = nokey\n");
  EXPECT_EQ(run_meterd(dir, {"--check-config", (dir / "badkey.conf").string()}, "badkey.log"), 2);
  EXPECT_NE(read_text(dir / "badkey.log").find("40 Z85 characters"), std::string::npos) << read_text(dir / "badkey.log");
}

// Readings cross the relay encrypted; the same run without keys shows what the check sees.
TEST(BusLink, EncryptedTrafficHoldsNoPlaintextReadings) {
  for (const bool encrypted : {true, false}) {
    const auto dir = fresh_dir(encrypted ? "bus-link-encrypted" : "bus-link-plain");
    Link link;
    std::string exporter_keys = "insecure = true\n", importer_keys;
    if (encrypted) {
      const auto server = keygen(dir, "server"), client = keygen(dir, "client");
      exporter_keys = "secret_key = " + (dir / "server.key").string() + "\naccept_key = " + client + "\n";
      importer_keys = "secret_key = " + (dir / "client.key").string() + "\nserver_key = " + server + "\n";
    }
    TcpRelay relay(link.relay_port, link.export_port);
    relay.start();
    auto importer = start_meterd(dir, "importer", "[meterd]\nstate_dir = importer-state\n" +
                                                      link.importer(importer_keys) + file_sink(dir));
    auto exporter = start_meterd(dir, "exporter",
                                 "[meterd]\nstate_dir = exporter-state\n" + link.exporter(exporter_keys) +
                                     "export_wait_ms = 20000\n" + simulator_section(200, "0"));
    const auto expected = simulator_ids("sim", "K1", kStartMs, 5000, 200);
    ASSERT_TRUE(wait_until([&] { return tally(expected, ids_of(readings_in_jsonl(dir / "seen"))).lost == 0; }, 60s))
        << tally(expected, ids_of(readings_in_jsonl(dir / "seen"))).summary() << "\n" << exporter->log() << importer->log();
    importer->stop();
    exporter->stop();
    relay.stop();
    const auto found = plaintext_found(relay.captured(), dir / "seen");
    std::string list;
    for (const auto& f : found) list += f + "; ";
    std::cout << "[capture] " << (encrypted ? "encrypted" : "insecure") << ": " << relay.captured().size()
              << " bytes, plaintext found: " << (list.empty() ? "none" : list) << std::endl;
    if (encrypted)
      EXPECT_TRUE(found.empty()) << list;
    else
      EXPECT_TRUE(found.size() == 6 && found.back().find("values") != std::string::npos)
          << "the check would not notice plaintext: " << list;
  }
}

TEST(BusLink, ImporterWithoutAcceptedKeyReceivesNothing) {
  const auto dir = fresh_dir("bus-link-wrong-key");
  Link link;
  const auto server = keygen(dir, "server"), accepted = keygen(dir, "accepted");
  keygen(dir, "stranger");
  TcpRelay relay(link.relay_port, link.export_port);
  relay.start();
  auto importer = start_meterd(dir, "importer",
                               "[meterd]\nstate_dir = importer-state\n" +
                                   link.importer("secret_key = " + (dir / "stranger.key").string() +
                                                 "\nserver_key = " + server + "\n") +
                                   file_sink(dir));
  auto exporter = start_meterd(dir, "exporter",
                               "[meterd]\nstate_dir = exporter-state\n" +
                                   link.exporter("secret_key = " + (dir / "server.key").string() +
                                                 "\naccept_key = " + accepted + "\n") +
                                   simulator_section(100, "20"));
  ASSERT_TRUE(wait_until([&] { return exporter->log().find("refused an importer") != std::string::npos; }, 30s))
      << exporter->log();
  std::this_thread::sleep_for(8s);  // 100 s of readings at speed 20: most of them published meanwhile
  EXPECT_NE(exporter->log().find("add its .pub as `accept_key`"), std::string::npos) << exporter->log();
  EXPECT_TRUE(readings_in_jsonl(dir / "seen").empty());
  EXPECT_FALSE(fs::exists(dir / "seen")) << "the sink wrote something";
}

// The link cut for a minute, the importer killed with -9 while readings flow, the link cut again
// so the exporter holds a queue, the exporter killed with -9 with that queue: every reading
// arrives once. The exporter's second run has a second meter, since the simulator starts its
// count afresh.
TEST(BusLink, LinkDownAndKillNineOfEitherSideLoseAndDuplicateNothing) {
  // 100 s of readings at 4 a second: some before the outage, most during it, the rest after.
  constexpr std::size_t kLosslessCount = 400;
  const auto dir = fresh_dir("bus-link-lossless");
  Link link;
  const auto server = keygen(dir, "server"), client = keygen(dir, "client");
  const std::string importer_config = "[meterd]\nstate_dir = importer-state\n" +
                                      link.importer("secret_key = " + (dir / "client.key").string() +
                                                    "\nserver_key = " + server + "\n") +
                                      file_sink(dir) + "fsync = never\n";
  const std::string exporter_bus = "[meterd]\nstate_dir = exporter-state\n" +
                                   link.exporter("secret_key = " + (dir / "server.key").string() +
                                                 "\naccept_key = " + client + "\n");
  auto expected = simulator_ids("sim", "K1", kStartMs, 5000, kLosslessCount);
  const auto k2 = simulator_ids("sim", "K2", kStartMs, 5000, 20);
  const auto seen = [&] { return ids_of(readings_in_jsonl(dir / "seen")); };
  const auto delivered = [&] { return seen().size(); };

  TcpRelay relay(link.relay_port, link.export_port);
  relay.start();
  auto importer = start_meterd(dir, "importer1", importer_config);
  // The exporter keeps a file of its own, to tell when the simulator has published them all.
  auto exporter = start_meterd(dir, "exporter1", exporter_bus + simulator_section(static_cast<int>(kLosslessCount), "20") +  // 4 readings/s
                                                      "[sink.local]\nplugin = file\ndirectory = " +
                                                      (dir / "exported").string() + "\n");
  ASSERT_TRUE(wait_until([&] { return delivered() >= 10; }, 30s)) << exporter->log() << importer->log();

  relay.stop();  // the link is down for a minute
  const auto before_outage = delivered();
  std::this_thread::sleep_for(5s);  // what was in flight is written by now
  const auto in_outage = delivered();
  std::this_thread::sleep_for(55s);
  EXPECT_EQ(delivered(), in_outage) << "readings crossed a link that was down";
  // the relay is back up
  relay.start();
  ASSERT_TRUE(wait_until([&] { return delivered() >= before_outage + 80; }, 30s))
      << delivered() << "\n" << exporter->log() << importer->log();

  // While readings flow, away from the catch-up batch just written. A kill in the instant
  // between the file sink writing a batch and the link storing its number repeats that batch
  // (docs/secure-bus-link.md); fsync = never keeps that instant to microseconds.
  std::this_thread::sleep_for(1100ms);
  importer->kill();
  const auto at_importer_kill = delivered();
  std::this_thread::sleep_for(2s);
  importer = start_meterd(dir, "importer2", importer_config);
  ASSERT_TRUE(wait_until([&] { return delivered() >= at_importer_kill + 8; }, 30s))
      << delivered() << "\n" << exporter->log() << importer->log();

  relay.stop();  // down again, so the exporter holds a queue when it is killed
  ASSERT_TRUE(wait_until([&] { return readings_in_jsonl(dir / "exported").size() == kLosslessCount; }, 90s)) << exporter->log();
  std::this_thread::sleep_for(1s);
  const auto at_exporter_kill = delivered();
  exporter->kill();
  EXPECT_LT(at_exporter_kill, expected.size()) << "the exporter had nothing queued when it was killed";
  exporter = start_meterd(dir, "exporter2", exporter_bus + simulator_section(20, "20", "K2"));
  // the relay is back up
  relay.start();
  expected.insert(k2.begin(), k2.end());
  ASSERT_TRUE(wait_until([&] { return tally(expected, seen()).lost == 0; }, 60s))
      << tally(expected, seen()).summary() << "\n" << exporter->log() << importer->log();
  std::this_thread::sleep_for(3s);  // anything sent twice would arrive by now
  const auto t = tally(expected, seen());
  std::cout << "[tally] bus link: 60 s down, kill -9 importer, kill -9 exporter with " << expected.size() - 20 - at_exporter_kill
            << " queued: " << t.summary() << std::endl;
  EXPECT_EQ(t.lost, 0u) << t.summary();
  EXPECT_EQ(t.duplicates, 0u) << t.summary();
  EXPECT_EQ(seen().size(), expected.size());
  EXPECT_NE(exporter->log().find("readings wait in the export queue"), std::string::npos) << exporter->log();
}
