#include "sml_tl_reader.hpp"

namespace meterd::sml {
namespace {

// Messages nest about five deep (message, body, list, entry, time); more is malformed input.
constexpr int kMaxDepth = 12;

}  // namespace

std::optional<SmlNode> SmlTlReader::read(std::string& error) { return read_node(0, error); }

std::optional<SmlNode> SmlTlReader::read_node(int depth, std::string& error) {
  if (depth > kMaxDepth) {
    error = "lists nested too deeply";
    return std::nullopt;
  }
  SmlNode node;
  node.offset = pos_;
  if (at_end()) {
    error = "payload ends inside a value";
    return std::nullopt;
  }
  std::uint8_t tl = data_[pos_++];
  if (tl == 0x00) {  // closes every message as its sixth element
    node.type = SmlNode::Type::end_of_message;
    node.size = 1;
    return node;
  }
  const unsigned type = (tl >> 4) & 0x7;
  std::size_t length = tl & 0x0F;
  std::size_t tl_bytes = 1;
  // Each further TL byte (type bits 000) appends a length nibble.
  while (tl & 0x80) {
    if (at_end() || tl_bytes >= 4) {
      error = "type-length field too long or cut off";
      return std::nullopt;
    }
    tl = data_[pos_++];
    if ((tl & 0x70) != 0) {
      error = "continuation TL byte with a type";
      return std::nullopt;
    }
    length = length << 4 | (tl & 0x0F);
    ++tl_bytes;
  }
  if (type == 0x7) {
    node.type = SmlNode::Type::list;
    // Every element takes at least one byte: a larger count cannot be genuine.
    if (length > data_.size() - pos_) {
      error = "list longer than the remaining payload";
      return std::nullopt;
    }
    node.children.reserve(length);
    for (std::size_t i = 0; i < length; ++i) {
      auto child = read_node(depth + 1, error);
      if (!child) return std::nullopt;
      node.children.push_back(std::move(*child));
    }
    node.size = pos_ - node.offset;
    return node;
  }
  // For scalars the length counts the TL bytes too.
  if (length < tl_bytes || length - tl_bytes > data_.size() - pos_) {
    error = "value length inconsistent with the payload";
    return std::nullopt;
  }
  const std::size_t n = length - tl_bytes;
  node.octets = data_.subspan(pos_, n);
  pos_ += n;
  node.size = pos_ - node.offset;
  switch (type) {
    case 0x0: node.type = SmlNode::Type::octets; return node;
    case 0x4: node.type = SmlNode::Type::boolean; break;
    case 0x5: node.type = SmlNode::Type::integer; break;
    case 0x6: node.type = SmlNode::Type::unsigned_int; break;
    default: error = "unknown SML type " + std::to_string(type); return std::nullopt;
  }
  if (n == 0 || n > 8) {
    error = "number of " + std::to_string(n) + " bytes";
    return std::nullopt;
  }
  std::uint64_t u = 0;
  for (std::uint8_t b : node.octets) u = u << 8 | b;
  node.unsigned_int = u;
  // Two's complement of the stated width (3-, 5-, 6- and 7-byte numbers occur too).
  if (n < 8 && (node.octets[0] & 0x80)) u |= ~std::uint64_t{0} << (8 * n);
  node.integer = static_cast<std::int64_t>(u);
  if (node.type == SmlNode::Type::boolean) node.integer = node.unsigned_int != 0;
  return node;
}

}  // namespace meterd::sml
