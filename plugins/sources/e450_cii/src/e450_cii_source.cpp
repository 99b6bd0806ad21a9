#include "e450_cii_source.hpp"

#include <array>
#include <thread>

#include "meterd/reading_builder.hpp"
#include "meterd/time_zone.hpp"
#include "meterd/transport/serial_port.hpp"
#include "transport_opener.hpp"

namespace meterd::e450_cii {
namespace {

sdk::Level to_level(Severity s) {
  switch (s) {
    case Severity::debug: return sdk::Level::debug;
    case Severity::info: return sdk::Level::info;
    case Severity::warning: return sdk::Level::warning;
    case Severity::error: return sdk::Level::error;
  }
  return sdk::Level::warning;
}

std::shared_ptr<const TimeZone> zone_of(const sdk::SourceContext& ctx) {
  auto zone = ctx.time_zone();
  return zone ? zone : TimeZone::load("Europe/Zurich");
}

std::string seconds_text(std::chrono::steady_clock::duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + " s";
}

// How long one read may block: short, so stop requests, silence reports and preset switches
// happen on time without a separate timer thread.
constexpr std::chrono::milliseconds kReadSlice{200};

}  // namespace

void describe_e450_cii_options(boost::program_options::options_description& d) { describe_options(d); }

E450CiiSource::E450CiiSource(sdk::SourceContext& ctx)
    : ctx_(ctx),
      settings_(parse_settings(ctx.options(), zone_of(ctx)->name())),
      zone_(zone_of(ctx)),
      fallback_meter_id_(settings_.meter_id.empty() ? ctx.instance_name() : settings_.meter_id),
      throttle_(settings_.diagnostic_burst, settings_.diagnostic_interval),
      silence_(settings_.silence_timeout),
      backoff_(settings_.reconnect_initial, settings_.reconnect_max) {
  if (settings_.transport == TransportKind::serial && settings_.auto_preset)
    auto_detector_.emplace(settings_.presets, settings_.auto_window);
  if (!settings_.record_file.empty()) recorder_ = std::make_unique<transport::RawRecorder>(settings_.record_file);
}

E450CiiSource::~E450CiiSource() = default;

void E450CiiSource::report(sdk::Level level, const std::string& code, const std::string& message) {
  const auto held = throttle_.admit(code, Clock::now());
  if (!held) return;
  std::string text = message;
  if (*held > 0) text += " (" + std::to_string(*held) + " more like this were not reported)";
  ctx_.diagnostic(level, code, text, last_meter_id_.empty() ? fallback_meter_id_ : last_meter_id_);
}

bool E450CiiSource::wait(std::chrono::milliseconds delay, const std::stop_token& stop) {
  const auto until = Clock::now() + delay;
  while (!stop.stop_requested()) {
    const auto now = Clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(std::min<Clock::duration>(until - now, std::chrono::milliseconds(50)));
  }
  return false;
}

void E450CiiSource::new_decoder() {
  // A fresh decoder per connection: a message cut by an unplug must not be glued to bytes
  // from the next connection.
  decoder_ = std::make_unique<dlms::DlmsStreamDecoder>(settings_.decoder);
  decoder_->on_message([this](DecodedMessage&& m) {
    ctx_.counters().in.fetch_add(1, std::memory_order_relaxed);
    if (!m.meter_id.empty()) last_meter_id_ = m.meter_id;
    v1::Reading reading = to_reading(m, fallback_meter_id_, *zone_);
    if (ctx_.publish(std::move(reading))) ctx_.counters().out.fetch_add(1, std::memory_order_relaxed);
  });
  decoder_->on_diagnostic([this](DecoderDiagnostic&& d) {
    if (d.severity == Severity::error || d.severity == Severity::warning)
      ctx_.counters().errors.fetch_add(1, std::memory_order_relaxed);
    report(to_level(d.severity), d.code, d.message);
  });
}

void E450CiiSource::handle_bytes(std::span<const std::uint8_t> bytes, Clock::time_point now) {
  silence_.bytes_arrived(now);
  if (recorder_ && !recorder_->append(bytes) && !record_failure_reported_) {
    record_failure_reported_ = true;  // once: the disk stays full for a while, reading goes on
    report(sdk::Level::warning, diag::record_failed, recorder_->last_error() + "; reading continues without recording");
  }
  decoder_->feed(bytes);
  // Data flows again: the next failure starts with a short delay.
  if (decoder_->counters().frames_ok > 0) backoff_.reset();
}

void E450CiiSource::supervise(transport::ByteStream& stream, Clock::time_point now, bool bytes_arrived) {
  if (auto silent = silence_.report_due(now)) {
    std::string hint = settings_.transport == TransportKind::serial
                           ? "check that the adapter is an M-Bus slave on the meter's CII terminals and that the grid "
                             "operator has enabled the interface"
                           : "check the gateway and its connection to the meter";
    report(sdk::Level::warning, diag::no_data,
           "no bytes at all for " + seconds_text(*silent) + " on " + stream.description() + "; " + hint);
  }
  if (!auto_detector_) return;
  auto* port = dynamic_cast<transport::SerialPort*>(&stream);
  if (!port) return;
  const auto verdict = auto_detector_->observe(now, decoder_->counters().frames_ok, bytes_arrived);
  switch (verdict) {
    case PresetAutoDetector::Verdict::keep: return;
    case PresetAutoDetector::Verdict::locked:
      report(sdk::Level::info, diag::preset_locked,
             "valid frames at " + auto_detector_->current().name() + " on " + settings_.device +
                 "; staying on it (set serial = " + auto_detector_->current().name() + " to skip detection)");
      return;
    case PresetAutoDetector::Verdict::lost_lock:
      report(sdk::Level::warning, diag::preset_lost,
             "bytes but no valid frame for a while; searching the serial presets again");
      [[fallthrough]];
    case PresetAutoDetector::Verdict::switch_preset:
      port->reconfigure(auto_detector_->current());
      new_decoder();
      auto_detector_->begin_trial(now, decoder_->counters().frames_ok);
      report(sdk::Level::info, diag::preset_trial,
             "trying " + auto_detector_->current().name() + " on " + settings_.device + " (auto detection)");
      return;
  }
}

E450CiiSource::StreamEnd E450CiiSource::read_stream(transport::ByteStream& stream, const std::stop_token& stop) {
  std::array<std::uint8_t, 4096> buffer{};
  silence_.restart(Clock::now());
  bool bytes_arrived = false;
  auto last_supervision = Clock::now();
  while (!stop.stop_requested()) {
    const auto result = stream.read(buffer, kReadSlice);
    const auto now = Clock::now();
    if (result.status == transport::ReadStatus::data) {
      handle_bytes(std::span(buffer.data(), result.size), now);
      bytes_arrived = true;
    } else if (result.status == transport::ReadStatus::closed) {
      decoder_->finish();
      if (settings_.transport == TransportKind::replay) {
        const auto& c = decoder_->counters();
        ctx_.diagnostic(sdk::Level::info, diag::replay_done,
                        "replay of " + settings_.replay_file + " done: " + std::to_string(c.messages) +
                            " messages from " + std::to_string(c.bytes) + " bytes",
                        fallback_meter_id_);
        return StreamEnd::replay_done;
      }
      report(sdk::Level::warning, diag::disconnected, result.reason + "; reconnecting");
      return StreamEnd::closed;
    }
    if (now - last_supervision >= kReadSlice || result.status == transport::ReadStatus::timeout) {
      try {
        supervise(stream, now, bytes_arrived);
      } catch (const transport::TransportError& e) {
        // Reconfiguring failed: the adapter went away between two reads.
        report(sdk::Level::warning, diag::disconnected, std::string(e.what()) + "; reconnecting");
        return StreamEnd::closed;
      }
      bytes_arrived = false;
      last_supervision = now;
    }
  }
  return StreamEnd::stopped;
}

void E450CiiSource::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    const transport::SerialSettings preset =
        auto_detector_ ? auto_detector_->current() : settings_.presets.front();
    std::unique_ptr<transport::ByteStream> stream;
    try {
      stream = open_transport(settings_, preset);
    } catch (const std::exception& e) {
      if (settings_.transport == TransportKind::replay) {
        // A capture that cannot be read will not become readable by waiting.
        report(sdk::Level::error, diag::open_failed, e.what());
        return;
      }
      const auto delay = backoff_.next();
      report(sdk::Level::warning, diag::open_failed,
             std::string(e.what()) + "; retrying in " + std::to_string(delay.count()) + " ms");
      if (!wait(delay, stop)) return;
      continue;
    }
    ctx_.log(sdk::Level::info, "reading " + stream->description());
    new_decoder();
    if (auto_detector_) {
      auto_detector_->begin_trial(Clock::now(), 0);
      if (!auto_detector_->is_locked())
        report(sdk::Level::info, diag::preset_trial,
               "trying " + preset.name() + " on " + settings_.device + " (auto detection)");
    }
    const StreamEnd end = read_stream(*stream, stop);
    stream.reset();
    if (end == StreamEnd::stopped) {
      decoder_->finish();
      return;
    }
    if (end == StreamEnd::replay_done) return;
    const auto delay = backoff_.next();
    if (!wait(delay, stop)) return;
  }
}

}  // namespace meterd::e450_cii
