// The transport library on its own: settings parsing, backoff, captures and replay pacing,
// recording, and the descriptor transports against real pseudo-terminals and sockets.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <gtest/gtest.h>
#include <thread>

#include "cii_test_support.hpp"
#include "meterd/transport/capture_replay.hpp"
#include "meterd/transport/raw_recorder.hpp"
#include "meterd/transport/reconnect_backoff.hpp"
#include "meterd/transport/serial_port.hpp"
#include "meterd/transport/tcp_client.hpp"

using namespace meterd::transport;
using namespace std::chrono_literals;
using meterd::cii_test::PtyPair;
using meterd::cii_test::TempDir;

TEST(SerialSettings, ParsesThePresetsAndRejectsTypos) {
  EXPECT_EQ(parse_serial_settings("2400 8E1"), (SerialSettings{2400, 8, Parity::even, 1}));
  EXPECT_EQ(parse_serial_settings("  9600   8n1 "), (SerialSettings{9600, 8, Parity::none, 1}));
  EXPECT_EQ(parse_serial_settings("115200 8N1").name(), "115200 8N1");
  EXPECT_EQ(parse_serial_settings("9600 7E1"), (SerialSettings{9600, 7, Parity::even, 1}));
  for (const char* bad : {"", "2400", "2401 8E1", "2400 9E1", "2400 8X1", "2400 8E3", "2400 8E1x", "fast"})
    EXPECT_THROW(parse_serial_settings(bad), std::invalid_argument) << bad;
  const auto presets = cii_auto_presets();
  ASSERT_EQ(presets.size(), 3u);
  EXPECT_EQ(presets[0].name(), "2400 8E1");
  EXPECT_EQ(presets[1].name(), "9600 8N1");
  EXPECT_EQ(presets[2].name(), "115200 8N1");
}

TEST(ReconnectBackoff, DoublesUpToTheCeilingAndResets) {
  ReconnectBackoff b(100ms, 700ms);
  EXPECT_EQ(b.next(), 100ms);
  EXPECT_EQ(b.next(), 200ms);
  EXPECT_EQ(b.next(), 400ms);
  EXPECT_EQ(b.next(), 700ms);
  EXPECT_EQ(b.next(), 700ms);
  EXPECT_EQ(b.failures(), 5u);
  b.reset();
  EXPECT_EQ(b.next(), 100ms);
  EXPECT_THROW(ReconnectBackoff(0ms, 1s), std::invalid_argument);
  EXPECT_THROW(ReconnectBackoff(2s, 1s), std::invalid_argument);
}

TEST(HostPort, ParsesNamesAddressesAndBrackets) {
  EXPECT_EQ(parse_host_port("gateway.local:2001").host, "gateway.local");
  EXPECT_EQ(parse_host_port("gateway.local:2001").port, 2001);
  EXPECT_EQ(parse_host_port("[fe80::1]:7000").host, "fe80::1");
  EXPECT_EQ(parse_host_port("[fe80::1]:7000").text(), "[fe80::1]:7000");
  for (const char* bad : {"host", ":80", "host:", "host:0", "host:70000", "host:8a", "fe80::1:80", "[::1:80"})
    EXPECT_THROW(parse_host_port(bad), std::invalid_argument) << bad;
}

TEST(CaptureReplay, LoadsHexWithWhitespaceRawAndDetectsWhichIsWhich) {
  TempDir dir;
  std::ofstream(dir.path() / "c.hex") << "7E A0 08\n ce ff\t03 13\n";
  std::ofstream(dir.path() / "c.bin", std::ios::binary) << std::string("\x7E\xA0\x08\x00", 4);
  const std::vector<std::uint8_t> expected{0x7E, 0xA0, 0x08, 0xCE, 0xFF, 0x03, 0x13};
  EXPECT_EQ(load_capture(dir.path() / "c.hex", CaptureFormat::hex), expected);
  EXPECT_EQ(load_capture(dir.path() / "c.hex", CaptureFormat::detect), expected);
  EXPECT_EQ(load_capture(dir.path() / "c.bin", CaptureFormat::detect), (std::vector<std::uint8_t>{0x7E, 0xA0, 0x08, 0x00}));
  EXPECT_EQ(load_capture(dir.path() / "c.hex", CaptureFormat::raw).size(), 22u);
  EXPECT_THROW(load_capture(dir.path() / "c.bin", CaptureFormat::hex), TransportError);
  EXPECT_THROW(load_capture(dir.path() / "missing", CaptureFormat::raw), TransportError);
}

TEST(CaptureReplay, PacesAtTheRateAndEndsWithClosed) {
  std::vector<std::uint8_t> bytes(600, 0x55);
  CaptureReplay replay(bytes, 2000, "test");  // 600 bytes at 2000 B/s: 0.3 s
  std::vector<std::uint8_t> buffer(64);
  std::size_t got = 0;
  const auto start = std::chrono::steady_clock::now();
  ReadResult r;
  while ((r = replay.read(buffer, 50ms)).status != ReadStatus::closed) got += r.size;
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(got, bytes.size());
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 2s);
  EXPECT_NE(r.reason.find("end of capture"), std::string::npos);

  CaptureReplay fast(bytes, 0, "fast");
  std::vector<std::uint8_t> big(1000);
  EXPECT_EQ(fast.read(big, 0ms).size, 600u);
  EXPECT_EQ(fast.read(big, 0ms).status, ReadStatus::closed);
}

TEST(RawRecorder, AppendsAcrossReopens) {
  TempDir dir;
  const auto file = dir.path() / "sub" / "raw.bin";
  {
    RawRecorder r(file);
    const std::uint8_t a[] = {1, 2, 3};
    EXPECT_TRUE(r.append(a));
  }
  RawRecorder r(file);
  const std::uint8_t b[] = {4};
  EXPECT_TRUE(r.append(b));
  EXPECT_EQ(std::filesystem::file_size(file), 4u);
  EXPECT_THROW(RawRecorder(dir.path() / "sub" / "raw.bin" / "x"), TransportError);
}

TEST(SerialPort, ReadsFromAPseudoTerminalAndReportsTheUnplug) {
  TempDir dir;
  PtyPair pty(dir.path() / "adapter");
  SerialPort port((dir.path() / "adapter").string(), parse_serial_settings("9600 8N1"));
  EXPECT_EQ(pty.current_baud(), 9600u);
  EXPECT_EQ(port.description(), "serial " + (dir.path() / "adapter").string() + " 9600 8N1");
  std::vector<std::uint8_t> buffer(16);
  EXPECT_EQ(port.read(buffer, 50ms).status, ReadStatus::timeout);
  pty.write({1, 2, 3, 0x0D, 0x0A});
  auto r = port.read(buffer, 1s);
  ASSERT_EQ(r.status, ReadStatus::data);
  // Raw mode: CR and LF arrive untouched.
  EXPECT_EQ(std::vector<std::uint8_t>(buffer.begin(), buffer.begin() + static_cast<long>(r.size)),
            (std::vector<std::uint8_t>{1, 2, 3, 0x0D, 0x0A}));
  port.reconfigure(parse_serial_settings("2400 8E1"));
  EXPECT_EQ(pty.current_baud(), 2400u);
  pty.unplug();
  r = port.read(buffer, 1s);
  EXPECT_EQ(r.status, ReadStatus::closed);
  EXPECT_FALSE(r.reason.empty());
  EXPECT_THROW(SerialPort((dir.path() / "nothing").string(), parse_serial_settings("2400 8E1")), TransportError);
  const auto regular = dir.path() / "regular";
  std::ofstream(regular) << "x";
  EXPECT_THROW(SerialPort(regular.string(), parse_serial_settings("2400 8E1")), TransportError);
}

TEST(TcpClient, ReadsUntilThePeerClosesAndReportsRefusal) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::uint16_t port = ntohs(addr.sin_port);
  // Bound but not listening: connections are refused.
  EXPECT_THROW(TcpClient({"127.0.0.1", port}, 500ms), TransportError);
  ASSERT_EQ(::listen(listener, 1), 0);
  TcpClient client({"127.0.0.1", port}, 500ms);
  const int peer = ::accept(listener, nullptr, nullptr);
  ASSERT_GE(peer, 0);
  std::vector<std::uint8_t> buffer(16);
  EXPECT_EQ(client.read(buffer, 50ms).status, ReadStatus::timeout);
  ASSERT_EQ(::write(peer, "abc", 3), 3);
  auto r = client.read(buffer, 1s);
  EXPECT_EQ(r.status, ReadStatus::data);
  EXPECT_EQ(r.size, 3u);
  ::close(peer);
  r = client.read(buffer, 1s);
  EXPECT_EQ(r.status, ReadStatus::closed);
  ::close(listener);
  EXPECT_THROW(TcpClient({"host.invalid", 1}, 500ms), TransportError);
}
