#pragma once
// Reassembly of APDUs that span several link frames: General Block Transfer (L+G), HDLC
// segmentation (Iskraemeco) and M-Bus CI segmentation (Kaifa, Sagemcom). Each keeps one
// bounded buffer; a fault drops the message being assembled, never later ones.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace meterd::dlms {

constexpr std::size_t kDefaultReassemblyCap = 64 * 1024;

enum class ReassemblyResult {
  single,        // not part of a multi-frame message: use the input as is
  in_progress,   // accepted, more parts expected
  complete,      // message() holds the whole APDU
  duplicate,     // GBT block number repeated: message dropped
  gap,           // a part is missing: message dropped
  orphan,        // a continuation without a first part: ignored
  overflow,      // beyond the cap: message dropped
};

const char* reassembly_result_name(ReassemblyResult r);

struct GbtBlock {
  bool last = false;
  bool streaming = false;
  std::uint8_t window = 0;
  std::uint16_t number = 0;
  std::uint16_t acknowledged = 0;
  std::span<const std::uint8_t> data;
  std::size_t encoded_size = 0;  // bytes used from the input, tag included
};

// Parses a GBT APDU (E0 ...) at the start of `bytes`.
std::optional<GbtBlock> parse_gbt_block(std::span<const std::uint8_t> bytes);

class GbtReassembler {
 public:
  explicit GbtReassembler(std::size_t cap = kDefaultReassemblyCap) : cap_(cap) {}
  // `discarded_partial` is set when a new block 1 replaced an unfinished message.
  ReassemblyResult add(const GbtBlock& block, bool& discarded_partial);
  std::span<const std::uint8_t> message() const { return buffer_; }
  bool active() const { return active_; }
  void reset();

 private:
  std::size_t cap_;
  std::vector<std::uint8_t> buffer_;
  std::uint16_t next_ = 0;
  bool active_ = false;
};

class HdlcSegmentReassembler {
 public:
  explicit HdlcSegmentReassembler(std::size_t cap = kDefaultReassemblyCap) : cap_(cap) {}
  ReassemblyResult add(bool segmented, std::span<const std::uint8_t> info, bool& discarded_partial);
  std::span<const std::uint8_t> message() const { return buffer_; }
  bool active() const { return active_; }
  void reset();

 private:
  std::size_t cap_;
  std::vector<std::uint8_t> buffer_;
  bool active_ = false;
};

class MbusSegmentReassembler {
 public:
  explicit MbusSegmentReassembler(std::size_t cap = kDefaultReassemblyCap) : cap_(cap) {}
  // `data` is the M-Bus user data after CI; its two TSAP bytes are stripped here.
  ReassemblyResult add(std::uint8_t ci, std::span<const std::uint8_t> data, bool& discarded_partial);
  std::span<const std::uint8_t> message() const { return buffer_; }
  bool active() const { return active_; }
  void reset();

 private:
  std::size_t cap_;
  std::vector<std::uint8_t> buffer_;
  std::uint8_t next_ = 0;
  bool active_ = false;
};

}  // namespace meterd::dlms
