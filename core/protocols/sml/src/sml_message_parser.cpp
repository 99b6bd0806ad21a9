#include "sml_message_parser.hpp"

#include <string>

#include "meterd/crc16.hpp"
#include "meterd/hex.hpp"

namespace meterd::sml {
namespace {

// The message CRC covers the message from its list TL byte up to its crc field, stored low
// byte first like the transport CRC. The transport CRC already protects the bytes, so a
// mismatch is reported but does not discard the values.
bool message_crc_matches(std::span<const std::uint8_t> payload, const SmlNode& msg) {
  const SmlNode& crc = msg.children[4];
  if (crc.type != SmlNode::Type::unsigned_int || crc.octets.size() > 2) return false;
  const auto covered = payload.subspan(msg.offset, crc.offset - msg.offset);
  const std::uint16_t computed = crc16_x25(covered);
  const std::uint16_t stated = crc.octets.size() == 2
                                   ? static_cast<std::uint16_t>(crc.octets[0] | crc.octets[1] << 8)
                                   : crc.octets[0];
  return computed == stated;
}

}  // namespace

SmlFileContent parse_sml_file(std::span<const std::uint8_t> payload) {
  SmlFileContent out;
  SmlTlReader reader(payload);
  while (!reader.at_end()) {
    if (reader.peek() == 0x00) {  // fill bytes between messages
      reader.skip(1);
      continue;
    }
    std::string error;
    const std::size_t at = reader.position();
    auto node = reader.read(error);
    if (!node || !node->is_list(6) || node->children[5].type != SmlNode::Type::end_of_message ||
        !node->children[3].is_list(2) ||
        node->children[3].children[0].type != SmlNode::Type::unsigned_int) {
      out.structure_ok = false;
      out.diagnostics.push_back({Severity::error, "parse_error",
                                 "SML message at payload offset " + std::to_string(at) + " is malformed (" +
                                     (node ? std::string("not a list(6) message") : error) + "): " +
                                     to_hex(payload.subspan(at), 16)});
      return out;
    }
    if (!message_crc_matches(payload, *node))
      out.diagnostics.push_back({Severity::warning, "message_crc_error",
                                 "SML message CRC does not match (transport CRC was good); values kept"});
    SmlMessage msg;
    msg.tag = static_cast<std::uint32_t>(node->children[3].children[0].unsigned_int);
    msg.body = std::move(node->children[3].children[1]);
    out.messages.push_back(std::move(msg));
  }
  return out;
}

}  // namespace meterd::sml
