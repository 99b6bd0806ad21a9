#include "meterd/dlms/reassembly.hpp"

namespace meterd::dlms {
namespace {
constexpr std::size_t kTsapBytes = 2;  // STSAP 01, DTSAP 67 in every segment
}

void MbusSegmentReassembler::reset() {
  buffer_.clear();
  active_ = false;
  next_ = 0;
}

ReassemblyResult MbusSegmentReassembler::add(std::uint8_t ci, std::span<const std::uint8_t> data,
                                             bool& discarded_partial) {
  discarded_partial = false;
  const std::uint8_t number = ci & 0x0F;
  const bool final_segment = (ci & 0x10) != 0;
  if ((ci & 0xE0) != 0 || data.size() < kTsapBytes) return ReassemblyResult::orphan;
  const auto payload = data.subspan(kTsapBytes);
  if (number == 0) {
    discarded_partial = active_;
    reset();
    if (final_segment) {
      buffer_.assign(payload.begin(), payload.end());
      return ReassemblyResult::complete;
    }
    active_ = true;
  } else if (!active_) {
    return ReassemblyResult::orphan;
  } else if (number != next_) {
    const bool duplicate = number < next_;
    reset();
    return duplicate ? ReassemblyResult::duplicate : ReassemblyResult::gap;
  }
  if (buffer_.size() + payload.size() > cap_) {
    reset();
    return ReassemblyResult::overflow;
  }
  buffer_.insert(buffer_.end(), payload.begin(), payload.end());
  next_ = static_cast<std::uint8_t>(number + 1);
  if (!final_segment) return ReassemblyResult::in_progress;
  active_ = false;
  return ReassemblyResult::complete;
}

}  // namespace meterd::dlms
