#include <cstring>

#include "meterd/runtime/bus_link.hpp"

namespace meterd {

// Number (8 bytes, little endian), topic length (2 bytes), topic, payload.
std::string encode_link_record(std::uint64_t sequence, std::string_view topic, std::string_view payload) {
  std::string out(10 + topic.size() + payload.size(), '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(sequence >> (8 * i));
  out[8] = static_cast<char>(topic.size() & 0xff);
  out[9] = static_cast<char>(topic.size() >> 8);
  std::memcpy(out.data() + 10, topic.data(), topic.size());
  std::memcpy(out.data() + 10 + topic.size(), payload.data(), payload.size());
  return out;
}

bool decode_link_record(std::string_view bytes, LinkRecord& out) {
  if (bytes.size() < 10) return false;
  const auto byte = [&](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])); };
  out.sequence = 0;
  for (int i = 0; i < 8; ++i) out.sequence |= byte(i) << (8 * i);
  const std::size_t topic_size = byte(8) | (byte(9) << 8);
  if (bytes.size() < 10 + topic_size) return false;
  out.topic = bytes.substr(10, topic_size);
  out.payload = bytes.substr(10 + topic_size);
  return true;
}

}  // namespace meterd
