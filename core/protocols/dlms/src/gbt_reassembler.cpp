#include "meterd/dlms/axdr_reader.hpp"
#include "meterd/dlms/reassembly.hpp"

namespace meterd::dlms {

const char* reassembly_result_name(ReassemblyResult r) {
  switch (r) {
    case ReassemblyResult::single: return "single";
    case ReassemblyResult::in_progress: return "in progress";
    case ReassemblyResult::complete: return "complete";
    case ReassemblyResult::duplicate: return "duplicate block";
    case ReassemblyResult::gap: return "missing block";
    case ReassemblyResult::orphan: return "continuation without a first block";
    case ReassemblyResult::overflow: return "message too large";
  }
  return "unknown";
}

std::optional<GbtBlock> parse_gbt_block(std::span<const std::uint8_t> b) {
  constexpr std::size_t kHeader = 6;  // tag, control, block number, acknowledged block number
  if (b.size() < kHeader + 1 || b[0] != 0xE0) return std::nullopt;
  GbtBlock g;
  g.last = (b[1] & 0x80) != 0;
  g.streaming = (b[1] & 0x40) != 0;
  g.window = b[1] & 0x3F;
  g.number = static_cast<std::uint16_t>((b[2] << 8) | b[3]);
  g.acknowledged = static_cast<std::uint16_t>((b[4] << 8) | b[5]);
  std::size_t pos = kHeader;
  const auto length = read_axdr_length(b, pos);
  if (!length || *length > b.size() - pos) return std::nullopt;
  g.data = b.subspan(pos, *length);
  g.encoded_size = pos + *length;
  return g;
}

void GbtReassembler::reset() {
  buffer_.clear();
  active_ = false;
  next_ = 0;
}

ReassemblyResult GbtReassembler::add(const GbtBlock& block, bool& discarded_partial) {
  discarded_partial = false;
  if (block.number == 1) {
    // A new first block always starts over: earlier pushes may have lost their tail.
    discarded_partial = active_;
    reset();
    active_ = true;
  } else if (!active_) {
    return ReassemblyResult::orphan;
  } else if (block.number != next_) {
    const bool duplicate = block.number < next_;
    reset();
    return duplicate ? ReassemblyResult::duplicate : ReassemblyResult::gap;
  }
  if (buffer_.size() + block.data.size() > cap_) {
    reset();
    return ReassemblyResult::overflow;
  }
  buffer_.insert(buffer_.end(), block.data.begin(), block.data.end());
  next_ = static_cast<std::uint16_t>(block.number + 1);
  if (!block.last) return ReassemblyResult::in_progress;
  active_ = false;
  return ReassemblyResult::complete;
}

}  // namespace meterd::dlms
