#include "sml_transport_reader.hpp"

#include <algorithm>

#include "meterd/crc16.hpp"

namespace meterd::sml {
namespace {

constexpr std::array<std::uint8_t, 8> kStart = {0x1B, 0x1B, 0x1B, 0x1B, 0x01, 0x01, 0x01, 0x01};
constexpr std::uint8_t kEsc = 0x1B;

bool is_block(const std::array<std::uint8_t, 4>& b, std::uint8_t v) {
  return b[0] == v && b[1] == v && b[2] == v && b[3] == v;
}

}  // namespace

SmlTransportReader::SmlTransportReader(Listener& listener, std::size_t max_bytes)
    : listener_(listener), max_bytes_(max_bytes) {}

void SmlTransportReader::push(std::span<const std::uint8_t> bytes) {
  for (std::uint8_t b : bytes) {
    if (in_frame_) take_frame_byte(b);
    else seek_start(b);
  }
}

void SmlTransportReader::finish() {
  if (in_frame_) drop(FrameProblem::truncated);
  else if (start_matched_ > 0) listener_.on_garbage(start_matched_);
  start_matched_ = 0;
}

// Matches the start sequence byte by byte. A failed partial match is garbage except for the
// trailing 1B bytes, which may begin the real start sequence.
void SmlTransportReader::seek_start(std::uint8_t b) {
  if (b == kStart[start_matched_]) {
    if (++start_matched_ == kStart.size()) begin_frame();
    return;
  }
  if (b == kEsc) {
    if (start_matched_ == 4) {
      listener_.on_garbage(1);  // five 1B in a row: the first cannot belong to the start
    } else {
      listener_.on_garbage(start_matched_);
      start_matched_ = 1;
    }
    return;
  }
  listener_.on_garbage(start_matched_ + 1);
  start_matched_ = 0;
}

void SmlTransportReader::begin_frame() {
  in_frame_ = true;
  start_matched_ = 0;
  wire_.assign(kStart.begin(), kStart.end());
  payload_.clear();
  block_fill_ = 0;
  after_escape_ = false;
}

void SmlTransportReader::drop(FrameProblem p) {
  in_frame_ = false;
  listener_.on_bad_frame(p, wire_.size());
  wire_.clear();
  payload_.clear();
}

void SmlTransportReader::take_frame_byte(std::uint8_t b) {
  if (wire_.size() >= max_bytes_) {
    drop(FrameProblem::oversize);
    seek_start(b);
    return;
  }
  wire_.push_back(b);
  if (wire_.size() % 4 != 0 && wire_.size() >= 2 * kStart.size() &&
      std::equal(kStart.begin(), kStart.end(), wire_.end() - kStart.size())) {
    // A start sequence off the block grid: bytes were lost, so the grid of the old frame is
    // wrong. Without this a cut frame would swallow every following one up to the size limit.
    wire_.resize(wire_.size() - kStart.size());
    drop(FrameProblem::cut);
    begin_frame();
    return;
  }
  block_[block_fill_++] = b;
  if (block_fill_ == block_.size()) {
    block_fill_ = 0;
    take_block();
  }
}

void SmlTransportReader::take_block() {
  if (!after_escape_) {
    if (is_block(block_, kEsc)) after_escape_ = true;
    else payload_.insert(payload_.end(), block_.begin(), block_.end());
    return;
  }
  after_escape_ = false;
  if (is_block(block_, kEsc)) {
    payload_.insert(payload_.end(), block_.begin(), block_.end());  // escaped 1B1B1B1B
  } else if (is_block(block_, 0x01)) {
    // Start sequence in mid-file: the previous file was cut off; this one starts now.
    wire_.resize(wire_.size() - kStart.size());
    drop(FrameProblem::cut);
    begin_frame();
  } else if (block_[0] == 0x1A) {
    end_of_frame();
  } else {
    drop(FrameProblem::bad_escape);
  }
}

void SmlTransportReader::end_of_frame() {
  in_frame_ = false;
  const std::size_t pad = block_[1];
  const std::uint16_t stated = static_cast<std::uint16_t>(block_[2] | block_[3] << 8);  // LSB first
  const auto covered = std::span<const std::uint8_t>(wire_).first(wire_.size() - 2);
  if (crc16_x25(covered) != stated) {
    in_frame_ = true;  // let drop() report and clear
    return drop(FrameProblem::crc_error);
  }
  if (pad > 3 || pad > payload_.size()) {
    in_frame_ = true;
    return drop(FrameProblem::bad_padding);
  }
  payload_.resize(payload_.size() - pad);
  const std::size_t wire_bytes = wire_.size();
  listener_.on_file(payload_, wire_bytes);
  wire_.clear();
  payload_.clear();
}

}  // namespace meterd::sml
