#pragma once
// SML transport v1: 1B1B1B1B 01010101 <payload, 1B1B1B1B doubled> 1B1B1B1B 1A <pad> <CRC lo hi>.
// Reads 4-byte blocks after the start sequence (the format is block aligned), checks the
// CRC-16/X-25 over the wire bytes and hands out the unescaped payload without padding.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace meterd::sml {

enum class FrameProblem {
  crc_error,   // checksum mismatch
  bad_escape,  // 1B1B1B1B followed by something that is no SML escape
  bad_padding, // padding count above 3 or longer than the payload
  oversize,    // longer than the configured limit
  cut,         // a new start sequence arrived inside a frame
  truncated,   // input ended inside a frame
};

class SmlTransportReader {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_file(std::span<const std::uint8_t> payload, std::size_t wire_bytes) = 0;
    virtual void on_bad_frame(FrameProblem problem, std::size_t wire_bytes) = 0;
    virtual void on_garbage(std::size_t bytes) = 0;  // skipped while looking for a start
  };

  SmlTransportReader(Listener& listener, std::size_t max_bytes);
  void push(std::span<const std::uint8_t> bytes);
  void finish();

 private:
  void seek_start(std::uint8_t b);
  void take_frame_byte(std::uint8_t b);
  void take_block();
  void end_of_frame();
  void begin_frame();
  void drop(FrameProblem p);

  Listener& listener_;
  std::size_t max_bytes_;
  bool in_frame_ = false;
  std::size_t start_matched_ = 0;      // bytes of the start sequence seen so far
  std::vector<std::uint8_t> wire_;     // from the start sequence on, for the CRC
  std::vector<std::uint8_t> payload_;  // unescaped
  std::array<std::uint8_t, 4> block_{};
  std::size_t block_fill_ = 0;
  bool after_escape_ = false;
};

}  // namespace meterd::sml
