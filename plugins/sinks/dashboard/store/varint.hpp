#pragma once
// LEB128 varints with zigzag for signed values: small magnitudes (the common case for
// deltas of meter data) take one byte whatever their sign.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace meterd::dashboard {

inline std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
inline std::int64_t unzigzag(std::uint64_t v) { return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1); }

inline void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
inline void put_signed(std::string& out, std::int64_t v) { put_varint(out, zigzag(v)); }

// Reads from a byte string; throws std::runtime_error when the data ends early, which the
// store reports as a corrupt chunk.
class VarintReader {
 public:
  explicit VarintReader(std::string_view data) : data_(data) {}
  std::uint64_t next() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) throw std::runtime_error("chunk data ends inside a number");
      const auto byte = static_cast<unsigned char>(data_[pos_++]);
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
    throw std::runtime_error("chunk number longer than 64 bits");
  }
  std::int64_t next_signed() { return unzigzag(next()); }
  bool done() const { return pos_ >= data_.size(); }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

}  // namespace meterd::dashboard
