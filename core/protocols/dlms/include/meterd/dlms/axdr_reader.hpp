#pragma once
// A-XDR Data decoding (IEC 62056-6-2 / DLMS "Data" CHOICE) into a flat preorder node list.
// A flat list lets the decoder reuse one buffer for every push instead of allocating a tree.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace meterd::dlms {

enum class AxdrType : std::uint8_t {
  null_data = 0x00,
  array = 0x01,
  structure = 0x02,
  boolean = 0x03,
  bit_string = 0x04,
  double_long = 0x05,
  double_long_unsigned = 0x06,
  octet_string = 0x09,
  visible_string = 0x0A,
  utf8_string = 0x0C,
  bcd = 0x0D,
  integer = 0x0F,
  long_signed = 0x10,
  unsigned_8 = 0x11,
  long_unsigned = 0x12,
  long64 = 0x14,
  long64_unsigned = 0x15,
  enumeration = 0x16,
  float32 = 0x17,
  float64 = 0x18,
  date_time = 0x19,
  date = 0x1A,
  time = 0x1B,
};

struct AxdrNode {
  AxdrType type = AxdrType::null_data;
  std::uint32_t offset = 0;  // first content byte (after tag and length) within the parsed span
  std::uint32_t length = 0;  // content bytes for strings and fixed types; element count for containers
  std::uint32_t end = 0;     // index one past this node's last descendant in the node list
  std::int64_t integer = 0;  // integer types (long64-unsigned stored as its two's-complement bits)
  double real = 0;           // float32 / float64

  bool is_container() const { return type == AxdrType::array || type == AxdrType::structure; }
  bool is_integer() const;
  bool is_string() const {
    return type == AxdrType::octet_string || type == AxdrType::visible_string || type == AxdrType::utf8_string;
  }
};

enum class AxdrError {
  none,
  truncated,       // a length, count or value runs past the end of the input
  unknown_tag,     // type tag outside the Data CHOICE (or compact-array, never seen in pushes)
  too_deep,        // nesting beyond the limit
  too_many_nodes,  // element counts beyond the limit
  trailing_bytes,  // parse_exact: bytes left after the one Data
};

const char* axdr_error_name(AxdrError e);

// Reads an A-XDR length or element count at bytes[pos] (00-7F, or 81..84 followed by that
// many bytes); advances pos. Empty when truncated or longer than 32 bits.
std::optional<std::uint32_t> read_axdr_length(std::span<const std::uint8_t> bytes, std::size_t& pos);

class AxdrTree {
 public:
  static constexpr std::size_t kMaxDepth = 16;
  static constexpr std::size_t kMaxNodes = 8192;

  // Parses one Data at the start of `bytes`; on success returns the bytes it used.
  // The tree refers to `bytes` by offset: keep the span alive while reading content().
  std::optional<std::size_t> parse(std::span<const std::uint8_t> bytes);
  // As parse(), but the Data must use every byte (structural validation of a plaintext).
  bool parse_exact(std::span<const std::uint8_t> bytes);

  AxdrError error() const { return error_; }
  std::size_t error_offset() const { return error_offset_; }
  const std::vector<AxdrNode>& nodes() const { return nodes_; }
  std::span<const std::uint8_t> bytes() const { return bytes_; }
  const AxdrNode& node(std::size_t i) const { return nodes_[i]; }
  std::size_t size() const { return nodes_.size(); }
  std::span<const std::uint8_t> content(const AxdrNode& n) const { return bytes_.subspan(n.offset, n.length); }
  std::span<const std::uint8_t> content(std::size_t i) const { return content(nodes_[i]); }
  // Children of container i are i+1, node(i+1).end, ... (count = node(i).length).
  std::size_t first_child(std::size_t i) const { return i + 1; }
  std::size_t next_sibling(std::size_t i) const { return nodes_[i].end; }
  // Child k of container i (k < length), walking siblings.
  std::size_t child(std::size_t i, std::size_t k) const;

 private:
  bool parse_node(std::size_t& pos, std::size_t depth);
  bool fail(AxdrError e, std::size_t at);
  std::span<const std::uint8_t> bytes_;
  std::vector<AxdrNode> nodes_;
  AxdrError error_ = AxdrError::none;
  std::size_t error_offset_ = 0;
};

}  // namespace meterd::dlms
