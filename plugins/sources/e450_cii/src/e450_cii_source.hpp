#pragma once
// The e450_cii source: reads DLMS/COSEM pushes from a Swiss CII interface (Landis+Gyr E450,
// E570, E360 and relatives) over a serial adapter, a TCP bridge or a capture replay, and
// publishes one reading per decoded message. It never gives up on the line: unplugs, dropped
// connections and unreadable devices are reported and retried with a growing delay.
#include <chrono>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "cii_settings.hpp"
#include "diagnostic_throttle.hpp"
#include "meterd/dlms/dlms_stream_decoder.hpp"
#include "meterd/plugin.hpp"
#include "meterd/transport/byte_stream.hpp"
#include "meterd/transport/raw_recorder.hpp"
#include "meterd/transport/reconnect_backoff.hpp"
#include "preset_auto_detector.hpp"
#include "silence_monitor.hpp"

namespace meterd::e450_cii {

// Codes of the diagnostics this source adds to the decoder's own (docs/connect-your-meter.md).
namespace diag {
inline constexpr const char* open_failed = "transport_open_failed";
inline constexpr const char* disconnected = "transport_closed";
inline constexpr const char* no_data = "no_data";
inline constexpr const char* preset_trial = "serial_preset_trial";
inline constexpr const char* preset_locked = "serial_preset_locked";
inline constexpr const char* preset_lost = "serial_preset_lost";
inline constexpr const char* record_failed = "record_failed";
inline constexpr const char* replay_done = "replay_done";
}  // namespace diag

class E450CiiSource final : public sdk::Source {
 public:
  // Throws std::invalid_argument for bad options (reported by the core with the section).
  explicit E450CiiSource(sdk::SourceContext& context);
  ~E450CiiSource() override;

  void run(std::stop_token stop) override;

 private:
  using Clock = std::chrono::steady_clock;
  enum class StreamEnd { stopped, closed, replay_done };

  StreamEnd read_stream(transport::ByteStream& stream, const std::stop_token& stop);
  void new_decoder();
  void handle_bytes(std::span<const std::uint8_t> bytes, Clock::time_point now);
  void supervise(transport::ByteStream& stream, Clock::time_point now, bool bytes_arrived);
  void report(sdk::Level level, const std::string& code, const std::string& message);
  bool wait(std::chrono::milliseconds delay, const std::stop_token& stop);

  sdk::SourceContext& ctx_;
  CiiSettings settings_;
  std::shared_ptr<const TimeZone> zone_;
  std::string fallback_meter_id_;
  std::unique_ptr<dlms::DlmsStreamDecoder> decoder_;
  std::unique_ptr<transport::RawRecorder> recorder_;
  bool record_failure_reported_ = false;
  DiagnosticThrottle throttle_;
  SilenceMonitor silence_;
  transport::ReconnectBackoff backoff_;
  std::optional<PresetAutoDetector> auto_detector_;
  std::string last_meter_id_;
};

void describe_e450_cii_options(boost::program_options::options_description& d);

}  // namespace meterd::e450_cii
