#include "meterd/dlms/axdr_reader.hpp"

#include <cstring>

namespace meterd::dlms {
namespace {

std::uint64_t read_be(std::span<const std::uint8_t> b, std::size_t pos, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | b[pos + i];
  return v;
}

// Content size of fixed-width types; 0 for types with a length prefix or no content.
std::size_t fixed_width(AxdrType t) {
  switch (t) {
    case AxdrType::boolean:
    case AxdrType::bcd:
    case AxdrType::integer:
    case AxdrType::unsigned_8:
    case AxdrType::enumeration: return 1;
    case AxdrType::long_signed:
    case AxdrType::long_unsigned: return 2;
    case AxdrType::double_long:
    case AxdrType::double_long_unsigned:
    case AxdrType::float32: return 4;
    case AxdrType::long64:
    case AxdrType::long64_unsigned:
    case AxdrType::float64: return 8;
    case AxdrType::date_time: return 12;
    case AxdrType::date: return 5;
    case AxdrType::time: return 4;
    default: return 0;
  }
}

bool known_tag(std::uint8_t tag) {
  return tag <= 0x06 || tag == 0x09 || tag == 0x0A || (tag >= 0x0C && tag <= 0x12) ||
         (tag >= 0x14 && tag <= 0x1B);
}

std::int64_t sign_extend(std::uint64_t v, std::size_t bytes) {
  const unsigned shift = static_cast<unsigned>(64 - 8 * bytes);
  return static_cast<std::int64_t>(v << shift) >> shift;
}

}  // namespace

bool AxdrNode::is_integer() const {
  switch (type) {
    case AxdrType::boolean:
    case AxdrType::double_long:
    case AxdrType::double_long_unsigned:
    case AxdrType::bcd:
    case AxdrType::integer:
    case AxdrType::long_signed:
    case AxdrType::unsigned_8:
    case AxdrType::long_unsigned:
    case AxdrType::long64:
    case AxdrType::long64_unsigned:
    case AxdrType::enumeration: return true;
    default: return false;
  }
}

const char* axdr_error_name(AxdrError e) {
  switch (e) {
    case AxdrError::none: return "none";
    case AxdrError::truncated: return "truncated";
    case AxdrError::unknown_tag: return "unknown type tag";
    case AxdrError::too_deep: return "nesting too deep";
    case AxdrError::too_many_nodes: return "too many elements";
    case AxdrError::trailing_bytes: return "trailing bytes";
  }
  return "unknown";
}

std::optional<std::uint32_t> read_axdr_length(std::span<const std::uint8_t> bytes, std::size_t& pos) {
  if (pos >= bytes.size()) return std::nullopt;
  const std::uint8_t first = bytes[pos];
  if (first < 0x80) {
    ++pos;
    return first;
  }
  const std::size_t n = first & 0x7F;
  if (n == 0 || n > 4 || bytes.size() - pos - 1 < n) return std::nullopt;
  const auto v = static_cast<std::uint32_t>(read_be(bytes, pos + 1, n));
  pos += 1 + n;
  return v;
}

bool AxdrTree::fail(AxdrError e, std::size_t at) {
  error_ = e;
  error_offset_ = at;
  return false;
}

std::optional<std::size_t> AxdrTree::parse(std::span<const std::uint8_t> bytes) {
  bytes_ = bytes;
  nodes_.clear();
  error_ = AxdrError::none;
  error_offset_ = 0;
  std::size_t pos = 0;
  if (!parse_node(pos, 0)) return std::nullopt;
  return pos;
}

bool AxdrTree::parse_exact(std::span<const std::uint8_t> bytes) {
  const auto used = parse(bytes);
  if (!used) return false;
  if (*used != bytes.size()) return fail(AxdrError::trailing_bytes, *used);
  return true;
}

std::size_t AxdrTree::child(std::size_t i, std::size_t k) const {
  std::size_t c = first_child(i);
  for (std::size_t n = 0; n < k; ++n) c = next_sibling(c);
  return c;
}

bool AxdrTree::parse_node(std::size_t& pos, std::size_t depth) {
  if (depth > kMaxDepth) return fail(AxdrError::too_deep, pos);
  if (nodes_.size() >= kMaxNodes) return fail(AxdrError::too_many_nodes, pos);
  if (pos >= bytes_.size()) return fail(AxdrError::truncated, pos);
  const std::size_t tag_pos = pos;
  const std::uint8_t tag = bytes_[pos++];
  if (!known_tag(tag)) return fail(AxdrError::unknown_tag, tag_pos);
  const auto type = static_cast<AxdrType>(tag);
  const std::size_t index = nodes_.size();
  nodes_.push_back(AxdrNode{type, 0, 0, 0, 0, 0});

  const std::size_t remaining_after_tag = bytes_.size() - pos;
  if (type == AxdrType::array || type == AxdrType::structure) {
    const auto count = read_axdr_length(bytes_, pos);
    // Every element needs at least its tag byte: reject absurd counts before recursing.
    if (!count || *count > bytes_.size() - pos) return fail(AxdrError::truncated, tag_pos);
    nodes_[index].offset = static_cast<std::uint32_t>(pos);
    nodes_[index].length = *count;
    for (std::uint32_t k = 0; k < *count; ++k)
      if (!parse_node(pos, depth + 1)) return false;
  } else if (type == AxdrType::null_data) {
    nodes_[index].offset = static_cast<std::uint32_t>(pos);
  } else if (const std::size_t width = fixed_width(type); width != 0) {
    if (remaining_after_tag < width) return fail(AxdrError::truncated, tag_pos);
    AxdrNode& n = nodes_[index];
    n.offset = static_cast<std::uint32_t>(pos);
    n.length = static_cast<std::uint32_t>(width);
    const std::uint64_t v = read_be(bytes_, pos, width <= 8 ? width : 0);
    switch (type) {
      case AxdrType::double_long:
      case AxdrType::integer:
      case AxdrType::long_signed:
      case AxdrType::long64: n.integer = sign_extend(v, width); break;
      case AxdrType::float32: {
        const auto bits = static_cast<std::uint32_t>(v);
        float f;
        std::memcpy(&f, &bits, sizeof f);
        n.real = f;
        break;
      }
      case AxdrType::float64: std::memcpy(&n.real, &v, sizeof n.real); break;
      default: n.integer = static_cast<std::int64_t>(v); break;
    }
    pos += width;
  } else {
    // octet-string, visible-string, utf8-string, bit-string: length-prefixed.
    const auto len = read_axdr_length(bytes_, pos);
    if (!len) return fail(AxdrError::truncated, tag_pos);
    const std::size_t bytes_needed = type == AxdrType::bit_string ? (std::size_t{*len} + 7) / 8 : *len;
    if (bytes_needed > bytes_.size() - pos) return fail(AxdrError::truncated, tag_pos);
    nodes_[index].offset = static_cast<std::uint32_t>(pos);
    nodes_[index].length = static_cast<std::uint32_t>(bytes_needed);
    pos += bytes_needed;
  }
  nodes_[index].end = static_cast<std::uint32_t>(nodes_.size());
  return true;
}

}  // namespace meterd::dlms
