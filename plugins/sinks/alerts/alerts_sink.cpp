// The `alerts` sink: judges alert rules on the readings and counters it receives and tells
// the owner through webhook, e-mail and MQTT channels (docs/alerts.md).
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "alert_engine.hpp"
#include "alert_settings.hpp"
#include "alert_state_file.hpp"
#include "meterd/plugin.hpp"
#include "meterd/time_zone.hpp"
#include "notice_channel.hpp"

namespace po = boost::program_options;

namespace meterd::alerts {
namespace {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class AlertsSink final : public sdk::Sink {
 public:
  explicit AlertsSink(sdk::SinkContext& ctx)
      : ctx_(ctx),
        settings_(read_alert_settings(ctx.options(), ctx.instance_name())),
        state_(ctx.state_dir() / "alerts.sqlite"),
        engine_(settings_.rules, ctx.time_zone(), &state_) {}

  bool wants_diagnostics() const override { return true; }

  void start() override {
    engine_.start(wall_ms());
    auto report = [this](const ChannelProblem& p) {
      ctx_.diagnostic(p.resolved ? sdk::Level::info : sdk::Level::warning,
                      p.resolved ? "alert_channel_resumed" : "alert_channel_failed", std::string(p.channel) + ": " + p.message);
    };
    const auto zone = ctx_.time_zone();
    if (settings_.webhook) add(make_webhook_channel(*settings_.webhook, zone), report);
    if (settings_.email) add(make_email_channel(*settings_.email, zone), report);
    if (settings_.mqtt) {
      std::vector<std::string> names;
      for (const auto& r : settings_.rules) names.push_back(r.name);
      std::map<std::string, std::set<std::string>> firing;
      for (const auto& s : engine_.status())
        if (s.firing) firing[s.rule].insert(s.subject);
      add(make_mqtt_channel(*settings_.mqtt, names, firing, zone), report);
    }
    for (auto& w : workers_) w->start();
    clock_ = std::jthread([this](std::stop_token stop) { run_clock(stop); });
  }

  void consume(const v1::Reading& reading) override {
    ++ctx_.counters().in;
    // A backfill of old data must not page the owner about the past.
    if (settings_.max_age_ms > 0 && reading_time_ms(reading) < wall_ms() - settings_.max_age_ms) return;
    std::lock_guard lock(mutex_);
    send(engine_.on_reading(reading));
  }

  void consume(const v1::Diagnostic& diagnostic) override {
    if (diagnostic.code() != "counters") return;
    std::lock_guard lock(mutex_);
    send(engine_.on_diagnostic(diagnostic));
  }

  void flush() override { save(); }

  void stop() override {
    clock_ = {};
    save();
    for (auto& w : workers_) w->stop(std::chrono::seconds(5));
  }

 private:
  void add(std::unique_ptr<Channel> channel, ChannelWorker::Report report) {
    workers_.push_back(std::make_unique<ChannelWorker>(std::move(channel), settings_.queue_size, settings_.backoff, report));
  }

  void send(const std::vector<Notice>& notices) {
    for (const auto& n : notices) {
      // On the bus as well (topic D/), so any sink receiving diagnostics sees alerts come and go.
      ctx_.diagnostic(n.kind == Notice::Kind::resolved ? sdk::Level::info : sdk::Level::warning,
                      std::string("alert_") + kind_name(n.kind), n.message, n.subject);
      ++ctx_.counters().out;
      for (auto& w : workers_) {
        const bool wanted = n.channels.empty() || std::find(n.channels.begin(), n.channels.end(), w->name()) != n.channels.end();
        if (wanted) w->post(n);
      }
    }
    std::size_t waiting = 0;
    for (auto& w : workers_) waiting += w->waiting();
    ctx_.counters().queue_depth = waiting;
  }

  void save() {
    std::lock_guard lock(mutex_);
    try {
      engine_.save();
    } catch (const std::exception& e) {
      ++ctx_.counters().errors;
      ctx_.diagnostic(sdk::Level::error, "alert_state_unwritable", std::string(e.what()) + "; alert states are kept in memory and written at the next chance");
    }
  }

  // Each rule on the bus (alert_rule, the message "NAME: condition"), so a dashboard lists the
  // rules before any of them fires.
  void announce_rules() {
    for (const auto& r : settings_.rules)
      ctx_.diagnostic(sdk::Level::info, "alert_rule", r.name + ": " + r.condition.text + (r.meter.empty() ? "" : ", meter " + r.meter));
  }

  // Silence and notices that waited (quiet hours, cool-down) depend on the clock, not on readings.
  void run_clock(std::stop_token stop) {
    int ticks = 0;
    while (!stop.stop_requested()) {
      std::mutex m;
      std::unique_lock wait(m);
      std::condition_variable_any().wait_for(wait, stop, std::chrono::seconds(1), [] { return false; });
      if (stop.stop_requested()) return;
      // Only after the first second: every sink of the run has subscribed by then.
      if (ticks == 0) announce_rules();
      {
        std::lock_guard lock(mutex_);
        send(engine_.tick(wall_ms()));
      }
      if (++ticks % 10 == 0) save();
    }
  }

  sdk::SinkContext& ctx_;
  AlertSettings settings_;
  AlertStateFile state_;
  std::mutex mutex_;
  AlertEngine engine_;
  std::vector<std::unique_ptr<ChannelWorker>> workers_;
  std::jthread clock_;
};

std::unique_ptr<sdk::Sink> make(sdk::SinkContext& ctx) { return std::make_unique<AlertsSink>(ctx); }

void check(const po::variables_map& options) { (void)read_alert_settings(options, "check"); }

const sdk::PluginInfo kInfo{sdk::kApiVersion, sdk::Kind::sink, "alerts", "1.0.0",
                            "tells the owner by webhook, e-mail or MQTT when an alert rule fires and when it resolves",
                            describe_alert_options, nullptr, make, check};

}  // namespace
}  // namespace meterd::alerts

METERD_PLUGIN(meterd::alerts::kInfo)
