// The `simulator` source: household meters with realistic daily and weekly shapes, for
// demos and tests. Paced in real time, accelerated, or as fast as possible. It either
// publishes readings directly or, with `output = cii`, plays the meter itself: it sends real
// E450 CII frames to a pseudo-terminal or TCP clients, for the e450_cii source to decode.
#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "cii_push_builder.hpp"
#include "pty_outlet.hpp"
#include "tcp_outlet.hpp"

#include "meterd/plugin.hpp"
#include "meterd/reading_builder.hpp"
#include "meterd/time_zone.hpp"
#include "simulated_meter.hpp"
#include "simulator_progress.hpp"

namespace po = boost::program_options;

namespace meterd::simulator {
namespace {

std::int64_t wall_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::int64_t parse_start(const std::string& s) {
  if (s == "now") return wall_now_ms() / 1000;
  CivilTime c;
  if (std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d", &c.year, &c.month, &c.day, &c.hour, &c.minute, &c.second) != 6)
    throw std::invalid_argument("option 'start': expected 'now' or a UTC time like 2026-01-01T00:00:00, got '" + s + "'");
  return civil_to_seconds(c);
}

class SimulatorSource final : public sdk::Source {
 public:
  explicit SimulatorSource(sdk::SourceContext& ctx) : ctx_(ctx), zone_(ctx.time_zone()) {
    const auto& o = ctx.options();
    interval_ms_ = o["interval_ms"].as<int>();
    speed_ = o["speed"].as<double>();
    count_ = o["count"].as<std::uint64_t>();
    start_ = parse_start(o["start"].as<std::string>());
    start_now_ = o["start"].as<std::string>() == "now";
    if (interval_ms_ < 100) throw std::invalid_argument("option 'interval_ms' must be at least 100");
    if (speed_ < 0) throw std::invalid_argument("option 'speed' must be 0 (as fast as possible) or positive");
    history_days_ = o["history_days"].as<int>();
    history_interval_ms_ = o["history_interval_ms"].as<int>();
    if (history_days_ < 0 || history_days_ > 3660)
      throw std::invalid_argument("option 'history_days' must be 0 (none) to 3660");
    if (history_interval_ms_ < 1000) throw std::invalid_argument("option 'history_interval_ms' must be at least 1000");
    const auto seed = o["seed"].as<std::uint64_t>();
    // The weather follows the instance's seed alone: a pv and a house_pv meter in two instances
    // with the same seed and place see the same clouds.
    const PvOptions pv{o["latitude"].as<double>(), o["longitude"].as<double>(), o["pv_kwp"].as<double>(), seed};
    if (!(pv.latitude_deg >= -90 && pv.latitude_deg <= 90))
      throw std::invalid_argument("option 'latitude' must be -90 to 90 degrees (north positive), e.g. 47.38");
    if (!(pv.longitude_deg >= -180 && pv.longitude_deg <= 180))
      throw std::invalid_argument("option 'longitude' must be -180 to 180 degrees (east positive), e.g. 8.54");
    if (!(pv.peak_kw > 0 && pv.peak_kw <= 10'000))
      throw std::invalid_argument("option 'pv_kwp' must be above 0 and at most 10000 (the modules' peak power in kW)");
    std::stringstream list(o["meters"].as<std::string>());
    std::string item;
    std::uint64_t n = 0;
    while (std::getline(list, item, ',')) {
      item.erase(0, item.find_first_not_of(' '));
      if (item.empty()) continue;
      const auto eq = item.find('=');
      const std::string profile = item.substr(0, eq);
      const std::string id = eq == std::string::npos ? "SIM-" + profile : item.substr(eq + 1);
      meters_.emplace_back(id, parse_profile(profile), seed + n++, 0.0, pv);
    }
    if (history_days_ > 0) resume_from_progress();
    if (meters_.empty()) throw std::invalid_argument("option 'meters' names no meter (e.g. house,heat_pump)");
    const std::string output = o["output"].as<std::string>();
    if (output == "cii") {
      // One line carries one meter, as on a real CII interface; simulate more meters with
      // more instances.
      if (meters_.size() != 1)
        throw std::invalid_argument("option 'meters': output = cii simulates one meter per instance, got " +
                                    std::to_string(meters_.size()));
      builder_.emplace(o["key"].as<std::string>(), o["auth_key"].as<std::string>());
      const std::string transport = o["cii_transport"].as<std::string>();
      const std::string link = o["cii_link"].as<std::string>();
      if (transport == "pty")
        outlet_ = std::make_unique<PtyOutlet>(link);
      else if (transport == "tcp")
        outlet_ = std::make_unique<TcpOutlet>(o["cii_listen"].as<std::string>(), link);
      else
        throw std::invalid_argument("option 'cii_transport': '" + transport + "' is not pty or tcp");
      ctx.log(sdk::Level::info, "sending E450 CII frames" + std::string(o["key"].as<std::string>().empty() ? "" : " (encrypted)") +
                                    " on " + outlet_->endpoint() + (link.empty() ? "" : " (see " + link + ")"));
    } else if (output != "readings") {
      throw std::invalid_argument("option 'output': '" + output + "' is not readings or cii");
    }
  }

  void run(std::stop_token stop) override {
    if (history_days_ > 0) backfill(stop);
    const auto wall_start = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; count_ == 0 || i < count_; ++i) {
      const double sim_offset_s = static_cast<double>(i) * interval_ms_ / 1000.0;
      if (speed_ > 0) {
        const auto due = wall_start + std::chrono::microseconds(static_cast<std::int64_t>(sim_offset_s / speed_ * 1e6));
        while (std::chrono::steady_clock::now() < due) {
          if (stop.stop_requested()) return save_progress();
          if (outlet_) outlet_->poll();
          std::this_thread::sleep_until(std::min(due, std::chrono::steady_clock::now() + std::chrono::milliseconds(50)));
        }
      }
      if (stop.stop_requested()) return save_progress();
      const std::int64_t t_ms = start_ * 1000 + static_cast<std::int64_t>(i) * interval_ms_;
      for (auto& m : meters_) {
        if (outlet_) {
          const auto t = t_ms / 1000;
          const auto wire = builder_->frames(m.step(t, zone_->utc_to_local(t)), t, *zone_);
          if (outlet_->send(wire) < wire.size()) ctx_.counters().drops.fetch_add(1, std::memory_order_relaxed);
          else ctx_.counters().out.fetch_add(1, std::memory_order_relaxed);
          continue;
        }
        publish(m, t_ms);
      }
      simulated_until_ms_ = t_ms;
      if (history_days_ > 0 && i % 60 == 59) save_progress();
    }
    save_progress();
  }

 private:
  void publish(SimulatedMeter& m, std::int64_t t_ms) {
    const std::int64_t t = t_ms / 1000;
    v1::Reading r = to_reading(m.step(t, zone_->utc_to_local(t)), m.meter_id(), *zone_);
    r.set_meter_time_ms(t_ms);
    r.set_meter_utc_offset_s(zone_->offset_at(t));
    ctx_.publish(std::move(r));
  }

  std::filesystem::path progress_file() { return ctx_.state_dir() / "simulator-progress"; }

  // A restart continues the registers where the last run left them and fills only the time
  // since; a changed meter list starts afresh.
  void resume_from_progress() {
    const auto saved = SimulatorProgress::load(progress_file());
    if (!saved || saved->energy_wh.size() != meters_.size()) return;
    for (const auto& m : meters_)
      if (!saved->energy_wh.count(m.meter_id())) return;
    for (auto& m : meters_) {
      const auto exported = saved->export_wh.find(m.meter_id());
      m.resume(saved->energy_wh.at(m.meter_id()), exported == saved->export_wh.end() ? 0 : exported->second);
    }
    simulated_until_ms_ = saved->until_ms;
  }

  // The meters' past, as fast as the bus takes it, published as readings even with
  // output = cii: it stands in for the history a meter's owner would import.
  void backfill(const std::stop_token& stop) {
    const auto live_ms = [this] { return start_now_ ? wall_now_ms() : start_ * 1000; };
    // On whole intervals, so a minute's push lands on the minute as a meter's would.
    std::int64_t earliest = live_ms() - static_cast<std::int64_t>(history_days_) * 86'400'000;
    earliest -= earliest % history_interval_ms_;
    std::int64_t t_ms = std::max(earliest, simulated_until_ms_);
    // Prime each meter at the first instant without publishing it: its register is the saved
    // one, and the power from here on is integrated into it.
    for (auto& m : meters_) m.step(t_ms / 1000, zone_->utc_to_local(t_ms / 1000));
    std::uint64_t pushes = 0;
    for (t_ms += history_interval_ms_; t_ms < live_ms() && !stop.stop_requested(); t_ms += history_interval_ms_) {
      for (auto& m : meters_) publish(m, t_ms);
      simulated_until_ms_ = t_ms;
      ++pushes;
    }
    if (start_now_) start_ = wall_now_ms() / 1000;
    ctx_.log(sdk::Level::info, "simulated history: " + std::to_string(pushes) + " pushes per meter; live from here");
    save_progress();
  }

  // Saved only once the sinks hold what was published up to it; otherwise a restart after a
  // kill -9 would continue past history the sinks never got.
  void save_progress() {
    if (history_days_ == 0 || simulated_until_ms_ == 0) return;
    if (!ctx_.checkpoint(std::chrono::minutes(2))) return;
    SimulatorProgress p;
    p.until_ms = simulated_until_ms_;
    for (const auto& m : meters_) {
      p.energy_wh[m.meter_id()] = m.energy_import_wh();
      p.export_wh[m.meter_id()] = m.energy_export_wh();
    }
    p.save(progress_file());
  }

  sdk::SourceContext& ctx_;
  std::shared_ptr<const TimeZone> zone_;
  std::vector<SimulatedMeter> meters_;
  int interval_ms_ = 5000;
  double speed_ = 1;
  std::uint64_t count_ = 0;
  std::int64_t start_ = 0;
  bool start_now_ = true;  // live from the real present, which moves on while history is filled
  int history_days_ = 0, history_interval_ms_ = 60000;
  std::int64_t simulated_until_ms_ = 0;
  std::optional<CiiPushBuilder> builder_;
  std::unique_ptr<FrameOutlet> outlet_;
};

void describe(po::options_description& d) {
  d.add_options()
    ("meters", po::value<std::string>()->default_value("house,heat_pump"),
     "comma-separated profiles (house, heat_pump, pv, house_pv), each optionally =METER_ID, e.g. house=LGZ1030000000001")
    ("interval_ms", po::value<int>()->default_value(5000), "time between pushes on the simulated clock")
    ("speed", po::value<double>()->default_value(1.0), "simulated seconds per real second; 0 = as fast as possible")
    ("count", po::value<std::uint64_t>()->default_value(0), "stop after this many pushes per meter (0 = run forever)")
    ("start", po::value<std::string>()->default_value("now"), "simulated start time, 'now' or UTC like 2026-01-01T00:00:00")
    ("seed", po::value<std::uint64_t>()->default_value(1), "seed of the load shapes; the same seed gives the same data")
    ("latitude", po::value<double>()->default_value(47.38), "pv, house_pv: the site's latitude in degrees, north positive")
    ("longitude", po::value<double>()->default_value(8.54), "pv, house_pv: the site's longitude in degrees, east positive")
    ("pv_kwp", po::value<double>()->default_value(8.0), "pv, house_pv: the PV modules' peak power (kWp)")
    ("history_days", po::value<int>()->default_value(0),
     "first publish this many days of history before 'start' as fast as possible (0 = none); "
     "remembers where it stopped, so a restart continues the registers and fills only the time since")
    ("history_interval_ms", po::value<int>()->default_value(60000), "time between pushes in that history")
    ("output", po::value<std::string>()->default_value("readings"),
     "readings (publish on the bus) or cii (send E450 CII frames for an e450_cii source to read)")
    ("cii_transport", po::value<std::string>()->default_value("pty"),
     "cii: pty (a pseudo-terminal set to 2400 8E1, like a USB M-Bus adapter) or tcp (serve clients like ser2net)")
    ("cii_link", po::value<std::string>()->default_value(""),
     "cii: pty: symlink to the terminal created here; tcp: file that receives host:port")
    ("cii_listen", po::value<std::string>()->default_value("127.0.0.1:0"), "cii tcp: host:port to listen on (port 0 = any free)")
    ("key", po::value<std::string>()->default_value(""), "cii: encrypt pushes with this 32-hex-digit key (empty = plaintext)")
    ("auth_key", po::value<std::string>()->default_value(""), "cii: also authenticate pushes with this 32-hex-digit key");
}

std::unique_ptr<sdk::Source> make(sdk::SourceContext& ctx) { return std::make_unique<SimulatorSource>(ctx); }

const sdk::PluginInfo kInfo{sdk::kApiVersion, sdk::Kind::source, "simulator", "1.0.0",
                            "simulated household, heat-pump and PV meters with realistic load and production shapes", describe, make, nullptr};

}  // namespace
}  // namespace meterd::simulator

METERD_PLUGIN(meterd::simulator::kInfo)
