#pragma once
// The body of every meter source plugin: opens the configured transport, feeds the bytes to
// a protocol decoder, publishes one reading per decoded message, and never gives up on the
// line: unplugs, dropped connections and unreadable devices are reported and retried with a
// growing delay. A plugin supplies only its protocol and how to build its decoder.
//
// A line is driven by an event loop, never by a thread of its own: in a pipeline every line
// attaches to the core's one shared loop, so a thousand meters cost one sleeping thread and
// no wake-up while idle; run() (a source used on its own) runs a private loop.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stop_token>
#include <string>

#include "meterd/event_loop.hpp"
#include "meterd/meter_source/diagnostic_throttle.hpp"
#include "meterd/meter_source/foreign_protocol_sniffer.hpp"
#include "meterd/meter_source/known_protocols.hpp"
#include "meterd/meter_source/line_settings.hpp"
#include "meterd/meter_source/preset_auto_detector.hpp"
#include "meterd/meter_source/silence_monitor.hpp"
#include "meterd/plugin.hpp"
#include "meterd/stream_decoder.hpp"
#include "meterd/transport/byte_stream.hpp"
#include "meterd/transport/raw_recorder.hpp"
#include "meterd/transport/reconnect_backoff.hpp"

namespace meterd::meter_source {

// Codes of the diagnostics a meter source adds to its decoder's own (docs/connect-your-meter.md).
namespace diag {
inline constexpr const char* open_failed = "transport_open_failed";
inline constexpr const char* disconnected = "transport_closed";
inline constexpr const char* no_data = "no_data";
inline constexpr const char* preset_trial = "serial_preset_trial";
inline constexpr const char* preset_locked = "serial_preset_locked";
inline constexpr const char* preset_lost = "serial_preset_lost";
inline constexpr const char* record_failed = "record_failed";
inline constexpr const char* replay_done = "replay_done";
inline constexpr const char* wrong_plugin = "wrong_plugin";
}  // namespace diag

// Called once per connection and per auto preset: a message cut by an unplug or read at a
// wrong rate must not be glued to the bytes that follow.
using DecoderFactory = std::function<std::unique_ptr<StreamDecoder>()>;

// The pipeline's [meterd] time_zone, Europe/Zurich when the context has none.
std::shared_ptr<const TimeZone> pipeline_zone(const sdk::SourceContext& context);

class MeterSource : public sdk::Source {
 public:
  MeterSource(sdk::SourceContext& context, Protocol protocol, LineSettings line, DecoderFactory make_decoder);
  ~MeterSource() override;

  void run(std::stop_token stop) override;
  bool attach(EventLoop& loop, Done done) override;
  void detach() override;

 private:
  using Clock = std::chrono::steady_clock;

  // The loop's callbacks: each runs guarded, a failure ends this line only.
  void open_line();
  void on_readable();
  void on_supervision_due();

  void close_line();
  void retry_later(std::chrono::milliseconds delay);
  void line_closed(const std::string& reason);
  void end(std::exception_ptr failure);
  void guarded(void (MeterSource::*step)());
  void read_again_at(Clock::time_point when);
  void supervise_now(Clock::time_point now);
  void arm_supervision();
  std::optional<Clock::time_point> next_supervision() const;
  void new_decoder();
  void handle_bytes(std::span<const std::uint8_t> bytes, Clock::time_point now);
  void sniff(std::span<const std::uint8_t> bytes);
  void supervise(transport::ByteStream& stream, Clock::time_point now, bool bytes_arrived);
  void report(sdk::Level level, const std::string& code, const std::string& message);

  sdk::SourceContext& ctx_;
  Protocol protocol_;
  LineSettings line_;
  DecoderFactory make_decoder_;
  std::shared_ptr<const TimeZone> zone_;
  std::string fallback_meter_id_;
  std::unique_ptr<StreamDecoder> decoder_;
  std::unique_ptr<transport::RawRecorder> recorder_;
  bool record_failure_reported_ = false;
  DiagnosticThrottle throttle_;
  SilenceMonitor silence_;
  transport::ReconnectBackoff backoff_;
  std::optional<PresetAutoDetector> auto_detector_;
  ForeignProtocolSniffer sniffer_;
  std::string current_preset_;  // empty unless the stream is a serial port
  std::string last_meter_id_;

  EventLoop* loop_ = nullptr;
  Done done_;
  bool ended_ = false;
  std::unique_ptr<transport::ByteStream> stream_;
  int watched_fd_ = -1;
  EventLoop::Timer open_timer_, read_timer_, supervision_timer_;
  bool bytes_arrived_ = false;  // since the last supervision
  Clock::time_point last_supervision_{};
};

}  // namespace meterd::meter_source
