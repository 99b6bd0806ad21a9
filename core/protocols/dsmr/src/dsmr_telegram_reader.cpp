#include "dsmr_telegram_reader.hpp"

#include <algorithm>
#include <cstring>

namespace meterd::dsmr {
namespace {

constexpr std::uint8_t kEnvelopeTag = 0xDB;   // general-glo-ciphering
constexpr std::size_t kTitleEnd = 10;         // DB 08 + 8 bytes system title
constexpr std::size_t kEnvelopeOverhead = 5 + 12;  // SC + frame counter, GCM tag
constexpr std::size_t kIdentificationCheck = 5;      // "/XXXn"

bool is_hex_digit(std::uint8_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

}  // namespace

DsmrTelegramReader::DsmrTelegramReader(Listener& listener, std::size_t max_bytes)
    : listener_(listener), max_bytes_(max_bytes) {
  buf_.reserve(max_bytes < 4096 ? max_bytes : 4096);
}

void DsmrTelegramReader::push(std::span<const std::uint8_t> in) {
  while (!in.empty()) {
    std::size_t used = 0;
    switch (state_) {
      case State::idle: used = step_idle(in); break;
      case State::telegram: used = step_telegram(in); break;
      case State::trailer: used = step_trailer(in); break;
      case State::envelope_header: used = step_envelope_header(in); break;
      case State::envelope_body: used = step_envelope_body(in); break;
    }
    in = in.subspan(used);
  }
}

void DsmrTelegramReader::finish() {
  if (state_ == State::trailer) {
    complete_telegram();  // "!CRC" without the final CR LF: nothing more will come
  } else if (state_ != State::idle) {
    listener_.on_dropped(DropReason::truncated, buf_.size());
    buf_.clear();
    state_ = State::idle;
  }
}

void DsmrTelegramReader::start(State s, std::uint8_t first) {
  buf_.clear();
  buf_.push_back(first);
  state_ = s;
  trailer_digits_ = 0;
  envelope_total_ = 0;
}

std::size_t DsmrTelegramReader::step_idle(std::span<const std::uint8_t> in) {
  const std::uint8_t b = in.front();
  if (b == '/') start(State::telegram, b);
  else if (b == kEnvelopeTag) start(State::envelope_header, b);
  else listener_.on_garbage(b);
  return 1;
}

// "/" + three-letter manufacturer id + baud-rate character: anything else means the "/" was
// noise, and a real telegram may start in the bytes that follow.
bool DsmrTelegramReader::identification_plausible() const {
  const std::size_t i = buf_.size() - 1;
  const std::uint8_t c = buf_[i];
  const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  if (i >= 1 && i <= 3) return alpha;
  if (i == 4) return alpha || (c >= '0' && c <= '9');
  return true;
}

std::size_t DsmrTelegramReader::step_telegram(std::span<const std::uint8_t> in) {
  if (buf_.size() < kIdentificationCheck) {
    buf_.push_back(in.front());
    if (!identification_plausible()) rescan_after_false_start();
    return 1;
  }
  const bool at_line_start = buf_.back() == '\n';
  if (at_line_start && in.front() == '/') {
    // A header inside a telegram: the previous one lost its end (meter reset, cable).
    listener_.on_dropped(DropReason::cut, buf_.size());
    start(State::telegram, '/');
    return 1;
  }
  if (at_line_start && in.front() == '!') {
    buf_.push_back('!');
    state_ = State::trailer;
    return 1;
  }
  // Copy up to and including the next LF in one go; only line starts need a closer look.
  const void* lf = std::memchr(in.data(), '\n', in.size());
  std::size_t n = lf ? static_cast<std::size_t>(static_cast<const std::uint8_t*>(lf) - in.data()) + 1 : in.size();
  if (buf_.size() + n > max_bytes_) {
    // The byte that would exceed the limit is looked at again as a possible new start.
    const std::size_t fits = max_bytes_ - buf_.size();
    listener_.on_dropped(DropReason::oversize, buf_.size() + fits);
    buf_.clear();
    state_ = State::idle;
    return fits;
  }
  buf_.insert(buf_.end(), in.begin(), in.begin() + static_cast<std::ptrdiff_t>(n));
  return n;
}

std::size_t DsmrTelegramReader::step_trailer(std::span<const std::uint8_t> in) {
  const std::uint8_t b = in.front();
  if (b == '\n') {
    buf_.push_back(b);
    complete_telegram();
    return 1;
  }
  if (b == '\r' || (is_hex_digit(b) && trailer_digits_ < 4 && (buf_.back() != '\r'))) {
    if (b != '\r') ++trailer_digits_;
    buf_.push_back(b);
    return 1;
  }
  // Anything else ends the trailer without being part of it (EasyMeter gateways pad with FF).
  complete_telegram();
  return 0;
}

void DsmrTelegramReader::complete_telegram() {
  state_ = State::idle;
  listener_.on_telegram(buf_);
  buf_.clear();
}

std::size_t DsmrTelegramReader::envelope_header_size() const {
  const std::uint8_t len0 = buf_[kTitleEnd];
  const std::size_t len_bytes = len0 == 0x82 ? 3 : len0 == 0x81 ? 2 : len0 < 0x80 ? 1 : 0;
  return len_bytes == 0 ? 0 : kTitleEnd + len_bytes;
}

bool DsmrTelegramReader::envelope_header_valid() {
  const std::size_t n = buf_.size();
  if (n == 2) return buf_[1] == 0x08;  // system title length
  if (n <= kTitleEnd) return true;
  const std::size_t header = envelope_header_size();
  if (header == 0) return false;
  const std::size_t len_bytes = header - kTitleEnd;
  const std::uint8_t len0 = buf_[kTitleEnd];
  if (n < header) return true;
  if (n == header) {
    std::size_t len = len_bytes == 1 ? len0 : 0;
    for (std::size_t i = kTitleEnd + 1; i < header; ++i) len = len << 8 | buf_[i];
    envelope_total_ = header + len;
    return len > kEnvelopeOverhead && envelope_total_ <= max_bytes_;
  }
  // Security control: AES-GCM suite 0, encrypted, with or without authentication.
  return buf_[header] == 0x30 || buf_[header] == 0x20;
}

void DsmrTelegramReader::rescan_after_false_start() {
  // Not a start after all: the first byte was garbage, the rest may hold a real start.
  const std::vector<std::uint8_t> rest(buf_.begin() + 1, buf_.end());
  listener_.on_garbage(buf_.front());
  buf_.clear();
  state_ = State::idle;
  push(rest);
}

std::size_t DsmrTelegramReader::step_envelope_header(std::span<const std::uint8_t> in) {
  buf_.push_back(in.front());
  if (!envelope_header_valid()) {
    rescan_after_false_start();
    return 1;
  }
  // Length and security control checked: the rest is ciphertext, taken in bulk.
  if (envelope_total_ != 0 && buf_.size() == envelope_header_size() + 1) state_ = State::envelope_body;
  return 1;
}

std::size_t DsmrTelegramReader::step_envelope_body(std::span<const std::uint8_t> in) {
  const std::size_t n = std::min(in.size(), envelope_total_ - buf_.size());
  buf_.insert(buf_.end(), in.begin(), in.begin() + static_cast<std::ptrdiff_t>(n));
  if (buf_.size() == envelope_total_) {
    state_ = State::idle;
    listener_.on_envelope(buf_);
    buf_.clear();
  }
  return n;
}

}  // namespace meterd::dsmr
