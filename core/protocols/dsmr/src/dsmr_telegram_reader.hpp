#pragma once
// Finds telegram boundaries in a P1 byte stream: plain telegrams "/ ... !CRC CR LF" and Smarty
// envelopes "DB 08 <title> <len> <SC> ...". Works byte-exact for any chunking: every decision
// depends only on the bytes seen, never on where a read() ended.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace meterd::dsmr {

enum class DropReason {
  oversize,   // longer than the configured limit
  cut,        // a new telegram started before this one ended
  truncated,  // input ended in the middle
};

class DsmrTelegramReader {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_telegram(std::span<const std::uint8_t> telegram) = 0;  // "/" .. trailer line
    virtual void on_envelope(std::span<const std::uint8_t> envelope) = 0;  // whole envelope
    virtual void on_dropped(DropReason reason, std::size_t bytes) = 0;
    virtual void on_garbage(std::uint8_t byte) = 0;  // skipped while looking for a start
  };

  DsmrTelegramReader(Listener& listener, std::size_t max_bytes);
  void push(std::span<const std::uint8_t> bytes);
  void finish();

 private:
  enum class State { idle, telegram, trailer, envelope_header, envelope_body };

  std::size_t step_idle(std::span<const std::uint8_t> in);
  std::size_t step_telegram(std::span<const std::uint8_t> in);
  std::size_t step_trailer(std::span<const std::uint8_t> in);
  std::size_t step_envelope_header(std::span<const std::uint8_t> in);
  std::size_t step_envelope_body(std::span<const std::uint8_t> in);
  bool envelope_header_valid();
  std::size_t envelope_header_size() const;  // 0 while the length form is invalid
  bool identification_plausible() const;
  void rescan_after_false_start();
  void start(State s, std::uint8_t first);
  void complete_telegram();

  Listener& listener_;
  std::size_t max_bytes_;
  State state_ = State::idle;
  std::vector<std::uint8_t> buf_;
  std::size_t trailer_digits_ = 0;
  std::size_t envelope_total_ = 0;  // 0 until the length field has been read
};

}  // namespace meterd::dsmr
