#include "meterd/runtime/instance_context.hpp"

#include "meterd/runtime/log.hpp"
#include "meterd/time_zone.hpp"

namespace meterd {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

InstanceContext::InstanceContext(const InstanceConfig& config, Bus& bus, Checkpoints& checkpoints,
                                 std::filesystem::path state_root, std::shared_ptr<const TimeZone> zone)
    : config_(config), bus_(bus), checkpoints_(checkpoints), state_root_(std::move(state_root)), zone_(std::move(zone)) {}

std::string default_reading_id(const v1::Reading& r) {
  std::string id = r.source() + "/" + r.meter_id() + "/";
  if (r.has_meter_time_ms()) return id + std::to_string(r.meter_time_ms());
  return id + "r" + std::to_string(r.received_ms()) + "-" + std::to_string(r.sequence());
}

void InstanceContext::log(sdk::Level level, std::string_view message) { log::write(level, config_.section, message); }

void InstanceContext::diagnostic(sdk::Level level, std::string_view code, std::string_view message,
                                 std::string_view meter_id) {
  log::write(level, config_.section, std::string(message) + " [" + std::string(code) + "]");
  if (level == sdk::Level::error) ++counters_.errors;
  v1::Diagnostic d;
  d.set_severity(static_cast<v1::Diagnostic::Severity>(static_cast<int>(level)));
  d.set_code(std::string(code));
  d.set_message(std::string(message));
  d.set_meter_id(std::string(meter_id));
  d.set_source(config_.section);
  d.set_time_ms(now_ms());
  bus_.publish("D/" + config_.name, d);
}

std::filesystem::path InstanceContext::state_dir() {
  auto dir = state_root_ / config_.section;
  std::filesystem::create_directories(dir);
  return dir;
}

bool InstanceContext::publish(v1::Reading&& r) {
  if (r.source().empty()) r.set_source(config_.name);
  if (r.received_ms() == 0) r.set_received_ms(now_ms());
  r.set_sequence(++sequence_);
  if (r.id().empty()) r.set_id(default_reading_id(r));
  topic_.assign("R/").append(r.source()).append("/").append(r.meter_id());
  ++counters_.in;
  if (bus_.publish(topic_, r)) {
    ++counters_.out;
    return true;
  }
  ++counters_.drops;
  report_drops();
  return false;
}

bool InstanceContext::publish_raw(v1::RawFrame&& frame) {
  if (frame.source().empty()) frame.set_source(config_.name);
  if (frame.received_ms() == 0) frame.set_received_ms(now_ms());
  return bus_.publish("F/" + config_.name, frame);
}

// The marker travels behind this source's readings on the one publishing socket, so a sink
// acknowledging it has consumed all of them.
bool InstanceContext::checkpoint(std::chrono::milliseconds timeout) {
  const std::uint64_t number = checkpoints_.next(config_.name);
  const std::string payload = std::to_string(number);
  if (!bus_.publish_bytes(Checkpoints::topic(config_.name), payload)) return false;
  return checkpoints_.wait(config_.name, number, timeout);
}

// At most one drop diagnostic a second, carrying the count since the last one, so a stuck
// sink cannot flood the bus with reports about itself.
void InstanceContext::report_drops() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_drop_report_ < std::chrono::seconds(1)) return;
  last_drop_report_ = now;
  const auto total = counters_.drops.load();
  diagnostic(sdk::Level::error, "bus_drop",
             std::to_string(total - drops_reported_) +
                 " readings dropped: a sink did not keep up (its queue stayed full for longer than [bus] block_ms). "
                 "Raise [bus] high_water_mark or block_ms, or find the slow sink in the counters.");
  drops_reported_ = total;
}

}  // namespace meterd
