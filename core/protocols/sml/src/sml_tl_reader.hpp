#pragma once
// SML type-length encoding (SML 1.04 §6.3): a tree of octet strings, booleans, integers,
// unsigned integers and lists, each node remembering where it sits in the payload.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace meterd::sml {

struct SmlNode {
  enum class Type { octets, boolean, integer, unsigned_int, list, end_of_message /* 00 */ };
  Type type = Type::octets;
  std::span<const std::uint8_t> octets;  // octet strings: the bytes; numbers: their big-endian bytes
  std::int64_t integer = 0;              // integer (sign-extended) and boolean
  std::uint64_t unsigned_int = 0;        // unsigned
  std::vector<SmlNode> children;         // lists
  std::size_t offset = 0, size = 0;      // byte range in the payload, TL field included

  // "01": an octet string of length 0, SML's way of leaving an optional field out.
  bool absent() const { return type == Type::octets && octets.empty(); }
  bool is_number() const { return type == Type::integer || type == Type::unsigned_int; }
  bool is_list(std::size_t n) const { return type == Type::list && children.size() == n; }
};

class SmlTlReader {
 public:
  explicit SmlTlReader(std::span<const std::uint8_t> data) : data_(data) {}
  // One node starting at the current position; nothing (and `error` set) when malformed.
  std::optional<SmlNode> read(std::string& error);
  std::size_t position() const { return pos_; }
  bool at_end() const { return pos_ >= data_.size(); }
  std::uint8_t peek() const { return data_[pos_]; }
  void skip(std::size_t n) { pos_ += n; }

 private:
  std::optional<SmlNode> read_node(int depth, std::string& error);
  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
};

}  // namespace meterd::sml
