#pragma once
// Turns a simulated meter's push into the bytes a Landis+Gyr E450 sends on its CII interface:
// the VSE standard list in GBT blocks over HDLC, optionally general-glo-ciphered with a frame
// counter that rises by one per push, as on a real meter.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meterd/decoded_message.hpp"
#include "meterd/dlms/e450_push_encoder.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::simulator {

class CiiPushBuilder {
 public:
  // `key`/`auth_key` empty: plaintext pushes. Throws std::invalid_argument for a malformed key.
  CiiPushBuilder(const std::string& key, const std::string& auth_key);

  // Wire bytes for `push` (values as SimulatedMeter::step produced them) taken at `utc_seconds`;
  // the meter clock shows local time in `zone` with the DST status bit, deviation unspecified,
  // as Swiss E450s send it.
  std::vector<std::uint8_t> frames(const DecodedMessage& push, std::int64_t utc_seconds, const TimeZone& zone);
  std::uint32_t pushes() const { return invoke_id_; }

 private:
  dlms::E450PushEncoder encoder_;
  std::uint32_t invoke_id_ = 0;
};

}  // namespace meterd::simulator
