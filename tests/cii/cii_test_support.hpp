#pragma once
// Shared by the CII tests: E450 push frames with known values, plus the generic helpers from
// tests/support under the names the CII tests use.
#include <cstdint>
#include <string>
#include <vector>

#include "pty_pair.hpp"
#include "reading_values.hpp"
#include "recording_context.hpp"
#include "running_source.hpp"
#include "temp_dir.hpp"

namespace meterd::cii_test {

using test_support::PtyPair;
using test_support::RecordingContext;
using test_support::RunningSource;
using test_support::SeenDiagnostic;
using test_support::TempDir;
using test_support::value_of;

// Values of the i-th test push: they change with i so lost or repeated pushes are noticed.
struct PushValues {
  std::uint32_t energy_wh, power_w;
  std::uint16_t voltage_l1;
};
PushValues push_values(std::uint32_t i);

// Wire bytes of the i-th push (E450 VSE list, GBT over HDLC); encrypted when `key` is given.
std::vector<std::uint8_t> e450_push(std::uint32_t i, const std::string& meter_id, const std::string& key = "");

// A TCP socket bound to a free loopback port, not yet listening (a gateway that is not up yet).
struct LoopbackSocket {
  int fd = -1;
  std::uint16_t port = 0;
  std::string address() const { return "127.0.0.1:" + std::to_string(port); }
};
LoopbackSocket bind_loopback();

inline constexpr const char* kTestKey = "000102030405060708090A0B0C0D0E0F";

}  // namespace meterd::cii_test
