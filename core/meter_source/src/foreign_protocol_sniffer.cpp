#include "meterd/meter_source/foreign_protocol_sniffer.hpp"

#include <algorithm>

#include "meterd/dlms/dlms_stream_decoder.hpp"
#include "meterd/dsmr/dsmr_stream_decoder.hpp"
#include "meterd/sml/sml_stream_decoder.hpp"

namespace meterd::meter_source {

ForeignProtocolSniffer::ForeignProtocolSniffer(Protocol own) : own_(own) { reset(); }

ForeignProtocolSniffer::~ForeignProtocolSniffer() = default;

void ForeignProtocolSniffer::reset() {
  head_.clear();
  done_ = false;
  // DLMS frames are binary with no fixed start pattern worth trusting on its own; a decoder
  // that checks HCS/FCS (or the M-Bus checksum) is the reliable test. Encrypted pushes count
  // too: link frames are checked before any key is needed.
  if (own_ != Protocol::dlms) dlms_probe_ = std::make_unique<dlms::DlmsStreamDecoder>();
}

std::optional<Protocol> ForeignProtocolSniffer::feed(std::span<const std::uint8_t> bytes) {
  if (done_ || bytes.empty()) return std::nullopt;
  const std::size_t take = std::min(bytes.size(), head_limit - head_.size());
  head_.insert(head_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(take));
  std::optional<Protocol> found;
  if (own_ != Protocol::dsmr && dsmr::DsmrStreamDecoder::looks_like(head_)) found = Protocol::dsmr;
  else if (own_ != Protocol::sml && sml::SmlStreamDecoder::looks_like(head_)) found = Protocol::sml;
  else if (dlms_probe_) {
    dlms_probe_->feed(bytes.first(take));
    if (dlms_probe_->counters().frames_ok > 0) found = Protocol::dlms;
  }
  if (found || head_.size() >= head_limit) {
    done_ = true;
    dlms_probe_.reset();
  }
  return found;
}

}  // namespace meterd::meter_source
