// The `simulator` source: household meters with realistic daily and weekly shapes, for
// demos and tests. Paced in real time, accelerated, or as fast as possible.
#include <chrono>
#include <sstream>
#include <thread>

#include "meterd/plugin.hpp"
#include "meterd/reading_builder.hpp"
#include "meterd/time_zone.hpp"
#include "simulated_meter.hpp"

namespace po = boost::program_options;

namespace meterd::simulator {
namespace {

std::int64_t parse_start(const std::string& s) {
  if (s == "now")
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  CivilTime c;
  if (std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d", &c.year, &c.month, &c.day, &c.hour, &c.minute, &c.second) != 6)
    throw std::invalid_argument("option 'start': expected 'now' or a UTC time like 2026-01-01T00:00:00, got '" + s + "'");
  return civil_to_seconds(c);
}

class SimulatorSource final : public sdk::Source {
 public:
  explicit SimulatorSource(sdk::SourceContext& ctx) : ctx_(ctx) {
    const auto& o = ctx.options();
    interval_ms_ = o["interval_ms"].as<int>();
    speed_ = o["speed"].as<double>();
    count_ = o["count"].as<std::uint64_t>();
    start_ = parse_start(o["start"].as<std::string>());
    if (interval_ms_ < 100) throw std::invalid_argument("option 'interval_ms' must be at least 100");
    if (speed_ < 0) throw std::invalid_argument("option 'speed' must be 0 (as fast as possible) or positive");
    const auto seed = o["seed"].as<std::uint64_t>();
    std::stringstream list(o["meters"].as<std::string>());
    std::string item;
    std::uint64_t n = 0;
    while (std::getline(list, item, ',')) {
      item.erase(0, item.find_first_not_of(' '));
      if (item.empty()) continue;
      const auto eq = item.find('=');
      const std::string profile = item.substr(0, eq);
      const std::string id = eq == std::string::npos ? "SIM-" + profile : item.substr(eq + 1);
      meters_.emplace_back(id, parse_profile(profile), seed + n++);
    }
    if (meters_.empty()) throw std::invalid_argument("option 'meters' names no meter (e.g. house,heat_pump)");
  }

  void run(std::stop_token stop) override {
    const auto zone = ctx_.time_zone();
    const auto wall_start = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; count_ == 0 || i < count_; ++i) {
      const double sim_offset_s = static_cast<double>(i) * interval_ms_ / 1000.0;
      if (speed_ > 0) {
        const auto due = wall_start + std::chrono::microseconds(static_cast<std::int64_t>(sim_offset_s / speed_ * 1e6));
        while (std::chrono::steady_clock::now() < due) {
          if (stop.stop_requested()) return;
          std::this_thread::sleep_until(std::min(due, std::chrono::steady_clock::now() + std::chrono::milliseconds(50)));
        }
      }
      if (stop.stop_requested()) return;
      const std::int64_t t_ms = start_ * 1000 + static_cast<std::int64_t>(i) * interval_ms_;
      const std::int64_t t = t_ms / 1000;
      for (auto& m : meters_) {
        DecodedMessage msg = m.step(t, zone->utc_to_local(t));
        v1::Reading r = to_reading(msg, m.meter_id(), *zone);
        r.set_meter_time_ms(t_ms);
        r.set_meter_utc_offset_s(zone->offset_at(t));
        ctx_.publish(std::move(r));
      }
    }
  }

 private:
  sdk::SourceContext& ctx_;
  std::vector<SimulatedMeter> meters_;
  int interval_ms_ = 5000;
  double speed_ = 1;
  std::uint64_t count_ = 0;
  std::int64_t start_ = 0;
};

void describe(po::options_description& d) {
  d.add_options()
    ("meters", po::value<std::string>()->default_value("house,heat_pump"),
     "comma-separated profiles (house, heat_pump), each optionally =METER_ID, e.g. house=LGZ1030000000001")
    ("interval_ms", po::value<int>()->default_value(5000), "time between pushes on the simulated clock")
    ("speed", po::value<double>()->default_value(1.0), "simulated seconds per real second; 0 = as fast as possible")
    ("count", po::value<std::uint64_t>()->default_value(0), "stop after this many pushes per meter (0 = run forever)")
    ("start", po::value<std::string>()->default_value("now"), "simulated start time, 'now' or UTC like 2026-01-01T00:00:00")
    ("seed", po::value<std::uint64_t>()->default_value(1), "seed of the load shapes; the same seed gives the same data");
}

std::unique_ptr<sdk::Source> make(sdk::SourceContext& ctx) { return std::make_unique<SimulatorSource>(ctx); }

const sdk::PluginInfo kInfo{sdk::kApiVersion, sdk::Kind::source, "simulator", "1.0.0",
                            "simulated household and heat-pump meters with realistic load shapes", describe, make, nullptr};

}  // namespace
}  // namespace meterd::simulator

METERD_PLUGIN(meterd::simulator::kInfo)
