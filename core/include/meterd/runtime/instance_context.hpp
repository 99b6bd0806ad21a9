#pragma once
// The core's implementation of the plugin contexts: one per configured instance.
#include <chrono>
#include <memory>
#include <mutex>

#include "meterd/plugin.hpp"
#include "meterd/runtime/bus.hpp"
#include "meterd/runtime/checkpoints.hpp"
#include "meterd/runtime/pipeline_config.hpp"

namespace meterd {

class InstanceContext final : public sdk::SourceContext, public sdk::SinkContext {
 public:
  InstanceContext(const InstanceConfig& config, Bus& bus, Checkpoints& checkpoints, std::filesystem::path state_root,
                  std::shared_ptr<const TimeZone> zone);

  const std::string& instance_name() const override { return config_.name; }
  const std::string& section() const override { return config_.section; }
  const boost::program_options::variables_map& options() const override { return config_.options; }
  void log(sdk::Level level, std::string_view message) override;
  void diagnostic(sdk::Level level, std::string_view code, std::string_view message,
                  std::string_view meter_id = {}) override;
  sdk::Counters& counters() override { return counters_; }
  std::filesystem::path state_dir() override;
  std::shared_ptr<const TimeZone> time_zone() const override { return zone_; }
  bool publish(v1::Reading&& reading) override;
  bool publish_raw(v1::RawFrame&& frame) override;
  bool checkpoint(std::chrono::milliseconds timeout) override;

 private:
  void report_drops();

  const InstanceConfig& config_;
  Bus& bus_;
  Checkpoints& checkpoints_;
  std::filesystem::path state_root_;
  std::shared_ptr<const TimeZone> zone_;
  sdk::Counters counters_;
  std::uint64_t sequence_ = 0;
  std::string topic_;  // reused "R/<source>/<meter>" buffer
  std::uint64_t drops_reported_ = 0;
  std::chrono::steady_clock::time_point last_drop_report_{};
};

std::int64_t now_ms();
// The id a reading gets when its source set none: source, meter and the meter's own time,
// which a re-read of the same data repeats; without a meter time, the receive time and the
// sequence number, which no other reading of this source shares.
std::string default_reading_id(const v1::Reading& reading);

}  // namespace meterd
