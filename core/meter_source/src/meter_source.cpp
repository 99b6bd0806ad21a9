#include "meterd/meter_source/meter_source.hpp"

#include <algorithm>
#include <array>

#include "meterd/meter_source/transport_opener.hpp"
#include "meterd/reading_builder.hpp"
#include "meterd/time_zone.hpp"
#include "meterd/transport/serial_port.hpp"

namespace meterd::meter_source {
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

std::string seconds_text(std::chrono::steady_clock::duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + " s";
}

// How often the line is looked at while something changes: bytes arriving, or serial presets
// tried one after another. An idle line is looked at only when a silence report falls due.
constexpr std::chrono::milliseconds kReadSlice{200};
// A stream without a descriptor (a paced replay) is read again this often while it has
// nothing due; only while a replay runs.
constexpr std::chrono::milliseconds kUndescribedPoll{20};

}  // namespace

std::shared_ptr<const TimeZone> pipeline_zone(const sdk::SourceContext& ctx) {
  auto zone = ctx.time_zone();
  return zone ? zone : TimeZone::load("Europe/Zurich");
}

MeterSource::MeterSource(sdk::SourceContext& ctx, Protocol protocol, LineSettings line, DecoderFactory make_decoder)
    : ctx_(ctx),
      protocol_(protocol),
      line_(std::move(line)),
      make_decoder_(std::move(make_decoder)),
      zone_(pipeline_zone(ctx)),
      fallback_meter_id_(line_.meter_id.empty() ? ctx.instance_name() : line_.meter_id),
      throttle_(line_.diagnostic_burst, line_.diagnostic_interval),
      silence_(line_.silence_timeout),
      backoff_(line_.reconnect_initial, line_.reconnect_max),
      sniffer_(protocol) {
  if (line_.transport == TransportKind::serial && line_.auto_preset) auto_detector_.emplace(line_.presets, line_.auto_window);
  if (!line_.record_file.empty()) recorder_ = std::make_unique<transport::RawRecorder>(line_.record_file);
}

MeterSource::~MeterSource() = default;

void MeterSource::report(sdk::Level level, const std::string& code, const std::string& message) {
  const auto held = throttle_.admit(code, Clock::now());
  if (!held) return;
  std::string text = message;
  if (*held > 0) text += " (" + std::to_string(*held) + " more like this were not reported)";
  ctx_.diagnostic(level, code, text, last_meter_id_.empty() ? fallback_meter_id_ : last_meter_id_);
}

std::optional<MeterSource::Clock::time_point> MeterSource::next_supervision() const {
  std::optional<Clock::time_point> due = silence_.next_due();
  if (bytes_arrived_ || (auto_detector_ && !auto_detector_->is_locked())) {
    const auto soon = last_supervision_ + kReadSlice;
    due = due ? std::min(*due, soon) : soon;
  }
  return due;
}

void MeterSource::arm_supervision() {
  const auto due = next_supervision();
  if (supervision_timer_ && due && supervision_timer_.when == *due) return;
  loop_->cancel(supervision_timer_);
  if (due) supervision_timer_ = loop_->at(*due, [this] { guarded(&MeterSource::on_supervision_due); });
}

void MeterSource::new_decoder() {
  decoder_ = make_decoder_();
  sniffer_.reset();
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

void MeterSource::sniff(std::span<const std::uint8_t> bytes) {
  // Only while this plugin's own decoder has not recognised a single frame: a working line
  // that happens to carry a P1-like text in a DLMS string is none of the sniffer's business.
  if (decoder_->counters().frames_ok > 0) return;
  const auto foreign = sniffer_.feed(bytes);
  if (!foreign) return;
  const ProtocolInfo& found = protocol_info(*foreign);
  const ProtocolInfo& own = protocol_info(protocol_);
  std::string where = current_preset_.empty() ? "" : " at " + current_preset_;
  std::string advice = "use plugin " + std::string(found.plugin) + " (plugin = " + found.plugin;
  if (!current_preset_.empty()) advice += ", serial = " + current_preset_;
  advice += ")";
  report(sdk::Level::warning, diag::wrong_plugin,
         std::string("this looks like ") + found.title + where + ", not " + own.title + ": " + advice);
}

void MeterSource::handle_bytes(std::span<const std::uint8_t> bytes, Clock::time_point now) {
  silence_.bytes_arrived(now);
  if (recorder_ && !recorder_->append(bytes) && !record_failure_reported_) {
    record_failure_reported_ = true;  // once: the disk stays full for a while, reading goes on
    report(sdk::Level::warning, diag::record_failed, recorder_->last_error() + "; reading continues without recording");
  }
  decoder_->feed(bytes);
  sniff(bytes);
  // Data flows again: the next failure starts with a short delay.
  if (decoder_->counters().frames_ok > 0) backoff_.reset();
}

void MeterSource::supervise(transport::ByteStream& stream, Clock::time_point now, bool bytes_arrived) {
  if (auto silent = silence_.report_due(now)) {
    const std::string hint = line_.transport == TransportKind::serial ? protocol_info(protocol_).silent_line_hint
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
             "valid frames at " + auto_detector_->current().name() + " on " + line_.device +
                 "; staying on it (set serial = " + auto_detector_->current().name() + " to skip detection)");
      return;
    case PresetAutoDetector::Verdict::lost_lock:
      report(sdk::Level::warning, diag::preset_lost,
             "bytes but no valid frame for a while; searching the serial presets again");
      [[fallthrough]];
    case PresetAutoDetector::Verdict::switch_preset:
      port->reconfigure(auto_detector_->current());
      current_preset_ = auto_detector_->current().name();
      new_decoder();
      auto_detector_->begin_trial(now, decoder_->counters().frames_ok);
      report(sdk::Level::info, diag::preset_trial,
             "trying " + auto_detector_->current().name() + " on " + line_.device + " (auto detection)");
      return;
  }
}

void MeterSource::supervise_now(Clock::time_point now) {
  try {
    supervise(*stream_, now, bytes_arrived_);
  } catch (const transport::TransportError& e) {
    // Reconfiguring failed: the adapter went away between two reads.
    line_closed(std::string(e.what()) + "; reconnecting");
    return;
  }
  bytes_arrived_ = false;
  last_supervision_ = now;
  arm_supervision();
}

void MeterSource::on_supervision_due() {
  supervision_timer_ = {};  // it has run
  supervise_now(Clock::now());
}

void MeterSource::read_again_at(Clock::time_point when) {
  loop_->cancel(read_timer_);
  read_timer_ = loop_->at(when, [this] {
    read_timer_ = {};
    guarded(&MeterSource::on_readable);
  });
}

void MeterSource::on_readable() {
  std::array<std::uint8_t, 4096> buffer{};
  const auto result = stream_->read(buffer, std::chrono::milliseconds(0));
  const auto now = Clock::now();
  const bool polled = watched_fd_ < 0;
  if (result.status == transport::ReadStatus::timeout) {
    if (polled) read_again_at(now + kUndescribedPoll);
    return;
  }
  if (result.status == transport::ReadStatus::closed) {
    decoder_->finish();
    if (line_.transport == TransportKind::replay) {
      const auto& c = decoder_->counters();
      ctx_.diagnostic(sdk::Level::info, diag::replay_done,
                      "replay of " + line_.replay_file + " done: " + std::to_string(c.messages) + " messages from " +
                          std::to_string(c.bytes) + " bytes",
                      fallback_meter_id_);
      end(nullptr);
      return;
    }
    line_closed(result.reason + "; reconnecting");
    return;
  }
  handle_bytes(std::span(buffer.data(), result.size), now);
  bytes_arrived_ = true;
  if (polled) read_again_at(now);
  if (now - last_supervision_ >= kReadSlice)
    supervise_now(now);
  else
    arm_supervision();
}

void MeterSource::open_line() {
  open_timer_ = {};  // it has run
  const transport::SerialSettings preset = auto_detector_ ? auto_detector_->current() : line_.presets.front();
  try {
    stream_ = open_transport(line_, preset);
  } catch (const std::exception& e) {
    if (line_.transport == TransportKind::replay) {
      // A capture that cannot be read will not become readable by waiting.
      report(sdk::Level::error, diag::open_failed, e.what());
      end(nullptr);
      return;
    }
    const auto delay = backoff_.next();
    report(sdk::Level::warning, diag::open_failed,
           std::string(e.what()) + "; retrying in " + std::to_string(delay.count()) + " ms");
    retry_later(delay);
    return;
  }
  ctx_.log(sdk::Level::info, "reading " + stream_->description());
  current_preset_ = line_.transport == TransportKind::serial ? preset.name() : "";
  new_decoder();
  const auto now = Clock::now();
  if (auto_detector_) {
    auto_detector_->begin_trial(now, 0);
    if (!auto_detector_->is_locked())
      report(sdk::Level::info, diag::preset_trial, "trying " + preset.name() + " on " + line_.device + " (auto detection)");
  }
  silence_.restart(now);
  bytes_arrived_ = false;
  last_supervision_ = now;
  if (const int fd = stream_->wait_fd(); fd >= 0) {
    loop_->watch(fd, [this] { guarded(&MeterSource::on_readable); });
    watched_fd_ = fd;
  } else {
    read_again_at(now);
  }
  arm_supervision();
}

void MeterSource::close_line() {
  if (watched_fd_ >= 0) loop_->unwatch(watched_fd_);
  watched_fd_ = -1;
  loop_->cancel(read_timer_);
  loop_->cancel(supervision_timer_);
  stream_.reset();
}

void MeterSource::line_closed(const std::string& reason) {
  report(sdk::Level::warning, diag::disconnected, reason);
  close_line();
  retry_later(backoff_.next());
}

void MeterSource::retry_later(std::chrono::milliseconds delay) {
  open_timer_ = loop_->at(Clock::now() + delay, [this] { guarded(&MeterSource::open_line); });
}

void MeterSource::end(std::exception_ptr failure) {
  close_line();
  loop_->cancel(open_timer_);
  if (ended_) return;
  ended_ = true;
  done_(failure);
}

void MeterSource::guarded(void (MeterSource::*step)()) {
  if (ended_) return;
  try {
    (this->*step)();
  } catch (...) {
    end(std::current_exception());
  }
}

bool MeterSource::attach(EventLoop& loop, Done done) {
  loop_ = &loop;
  done_ = std::move(done);
  open_timer_ = loop.at(Clock::now(), [this] { guarded(&MeterSource::open_line); });
  return true;
}

void MeterSource::detach() {
  // What the decoder holds complete at the stop is still published.
  if (stream_ && !ended_) decoder_->finish();
  close_line();
  loop_->cancel(open_timer_);
}

void MeterSource::run(std::stop_token stop) {
  EventLoop loop;
  std::exception_ptr failure;
  attach(loop, [&](std::exception_ptr f) {
    failure = f;
    loop.stop();
  });
  const std::stop_callback on_stop(stop, [&loop] { loop.stop(); });
  loop.run();
  detach();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace meterd::meter_source
