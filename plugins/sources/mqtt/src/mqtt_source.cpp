#include "mqtt_source.hpp"

#include "meterd/time_zone.hpp"

namespace meterd::mqtt_source {
namespace {

constexpr std::size_t kBatch = 500;
constexpr std::chrono::milliseconds kCheckpointTimeout{10'000};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::shared_ptr<const TimeZone> zone_of(const SourceSettings& settings, const sdk::SourceContext& context) {
  return settings.time_zone.empty() ? context.time_zone() : TimeZone::load(settings.time_zone);
}

disk_queue::DiskQueueOptions inbox_options(const SourceSettings& settings, sdk::SourceContext& context) {
  disk_queue::DiskQueueOptions options;
  options.directory = context.state_dir() / "inbox";
  options.max_bytes = settings.inbox_max_mb * 1024 * 1024;
  options.segment_bytes = std::min<std::uint64_t>(options.max_bytes / 4, 8ull * 1024 * 1024);
  options.fsync = settings.fsync;
  return options;
}

}  // namespace

void check_options(const boost::program_options::variables_map& options) {
  const auto settings = read_source_settings(options, "check");
  if (!settings.time_zone.empty()) (void)TimeZone::load(settings.time_zone);
}

MqttSource::MqttSource(sdk::SourceContext& context)
    : context_(context),
      settings_(read_source_settings(context.options(), context.instance_name())),
      decoder_(settings_.decoder, zone_of(settings_, context)),
      inbox_(inbox_options(settings_, context), settings_.inbox_max),
      seen_(context.state_dir() / "seen-ids", settings_.remember_ids) {
  for (const auto& problem : inbox_.recovery().problems) context_.diagnostic(sdk::Level::warning, "inbox_repaired", problem);
}

void MqttSource::on_message(const std::string& topic, const std::string& payload, bool retained) {
  ++context_.counters().in;
  const auto dropped = inbox_.put(IncomingMessage{topic, payload, retained, now_ms(), {}});
  if (dropped > 0) {
    context_.counters().drops += dropped;
    context_.diagnostic(sdk::Level::error, "queue_overflow",
                        std::to_string(dropped) + " messages were pushed out of the inbox by its disk budget; raise inbox_max_mb");
  }
}

void MqttSource::report(const Problem& problem) {
  ++context_.counters().errors;
  auto& throttle = throttles_[problem.code];
  if (const auto count = throttle.occurred()) {
    context_.diagnostic(sdk::Level::warning, problem.code,
                        problem.message + (*count > 1 ? " (" + std::to_string(*count) + " such messages since the last report)" : ""),
                        problem.meter);
  }
}

void MqttSource::report_connection() {
  const bool up = client_->connected();
  if (up && !was_connected_) {
    if (connection_throttle_.cleared()) context_.diagnostic(sdk::Level::info, "connected", "connected to the MQTT broker again");
  } else if (!up) {
    if (was_connected_) down_since_ = std::chrono::steady_clock::now();
    // A broker down for a moment (a restart) is not worth a warning; one that stays away is.
    if (std::chrono::steady_clock::now() - down_since_ > std::chrono::seconds(5)) {
      if (connection_throttle_.occurred()) {
        context_.diagnostic(sdk::Level::warning, "broker_unreachable",
                            client_->last_problem() + "; retrying (messages for this source wait at the broker)");
      }
    }
  }
  was_connected_ = up;
}

void MqttSource::handle(const disk_queue::QueueBatch& batch) {
  for (std::size_t i = 0; i < batch.records.size(); ++i) {
    auto message = decode_message(batch.records[i]);
    if (!message) {
      report(Problem{"inbox_damaged", "an inbox record could not be read and was skipped", {}});
      continue;
    }
    message->inbox_position = std::to_string(batch.ends[i].segment) + "." + std::to_string(batch.ends[i].offset);
    Decoded decoded = decoder_.decode(*message);
    if (decoded.problem) report(*decoded.problem);
    for (auto& reading : decoded.readings) {
      if (!seen_.admit(reading.id())) {
        context_.log(sdk::Level::debug, "duplicate reading " + reading.id() + " dropped");
        continue;
      }
      if (context_.publish(std::move(reading))) ++context_.counters().out;
    }
  }
}

bool MqttSource::confirm(std::stop_token stop) {
  while (!context_.checkpoint(kCheckpointTimeout)) {
    if (stop.stop_requested()) return false;
  }
  return true;
}

void MqttSource::run(std::stop_token stop) {
  client_ = std::make_unique<mqtt::MosquittoClient>(
      settings_.broker, nullptr,
      [this](const std::string& topic, const std::string& payload, bool retained) { on_message(topic, payload, retained); });
  client_->start();
  // Closing the inbox releases a network thread waiting for room in it.
  std::stop_callback release(stop, [this] { inbox_.close(); });
  while (!stop.stop_requested()) {
    report_connection();
    const auto batch = inbox_.take(kBatch, std::chrono::milliseconds(200));
    if (batch.empty()) continue;
    handle(batch);
    // Only what the sinks hold leaves the inbox; otherwise the next start reads it again.
    if (!confirm(stop)) break;
    inbox_.done(batch);
    seen_.save();
  }
  client_->stop_gracefully();
}

}  // namespace meterd::mqtt_source
