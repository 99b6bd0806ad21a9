#include "meterd/dlms/bare_units.hpp"
#include "meterd/dlms/reassembly.hpp"

namespace meterd::dlms {

void HdlcSegmentReassembler::reset() {
  buffer_.clear();
  active_ = false;
}

ReassemblyResult HdlcSegmentReassembler::add(bool segmented, std::span<const std::uint8_t> info,
                                             bool& discarded_partial) {
  discarded_partial = false;
  // Only the first segment carries the LLC header, so one marks a new message.
  const bool first = starts_with_llc(info);
  if (active_ && first) {
    discarded_partial = true;
    reset();
  }
  if (!segmented && !active_) return ReassemblyResult::single;
  if (!active_) {
    if (!first) return ReassemblyResult::orphan;
    buffer_.clear();
    active_ = true;
  }
  if (buffer_.size() + info.size() > cap_) {
    reset();
    return ReassemblyResult::overflow;
  }
  buffer_.insert(buffer_.end(), info.begin(), info.end());
  if (segmented) return ReassemblyResult::in_progress;
  active_ = false;
  return ReassemblyResult::complete;
}

}  // namespace meterd::dlms
