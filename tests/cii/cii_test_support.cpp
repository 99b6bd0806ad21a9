#include "cii_test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <stdexcept>

#include "meterd/dlms/dlms_keys.hpp"
#include "meterd/dlms/e450_push_encoder.hpp"

namespace meterd::cii_test {

PushValues push_values(std::uint32_t i) {
  return {100000 + 7 * i, 500 + 10 * i, static_cast<std::uint16_t>(220 + i % 20)};
}

std::vector<std::uint8_t> e450_push(std::uint32_t i, const std::string& meter_id, const std::string& key) {
  const PushValues v = push_values(i);
  dlms::E450Readings r;
  r.logical_device_name = meter_id;
  r.clock.year = 2026;
  r.clock.month = 1;
  r.clock.day = 15;
  r.clock.weekday = 4;
  r.clock.hour = 10;
  r.clock.minute = static_cast<int>(i / 60 % 60);
  r.clock.second = static_cast<int>(i % 60);
  r.clock.hundredths = 0;
  r.clock.status = 0x00;
  r.active_energy_import_wh = v.energy_wh;
  r.active_power_import_w = v.power_w;
  r.voltage_v[0] = v.voltage_l1;
  r.voltage_v[1] = 231;
  r.voltage_v[2] = 232;
  r.current_centiamp[0] = 123;
  dlms::E450EncoderOptions options;
  if (!key.empty()) {
    options.encryption_key = dlms::parse_aes_key(key);
    options.security_control = 0x20;
  }
  dlms::E450Push push;
  push.invoke_id = i + 1;
  push.frame_counter = i + 1;
  push.items = dlms::vse2026_e450_items(r);
  return dlms::E450PushEncoder(options).encode(push);
}

LoopbackSocket bind_loopback() {
  LoopbackSocket s;
  s.fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (s.fd < 0 || ::bind(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("cannot bind a loopback socket");
  socklen_t len = sizeof addr;
  ::getsockname(s.fd, reinterpret_cast<sockaddr*>(&addr), &len);
  s.port = ntohs(addr.sin_port);
  return s;
}

}  // namespace meterd::cii_test
