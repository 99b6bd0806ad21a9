// The `dashboard` sink: stores every reading in the embedded history, pushes it to open
// live streams and serves the dashboard API. Store failures (full disk, corrupt file) are
// reported as diagnostics and never stop the pipeline.
#include <dlfcn.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <stdexcept>
#include <vector>
#include <nlohmann/json.hpp>

#include "access_control.hpp"
#include "dashboard_api.hpp"
#include "meterd/http/server.hpp"
#include "meterd/plugin.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::dashboard {
namespace {

namespace po = boost::program_options;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

template <typename T>
T opt(const po::variables_map& vm, const char* name, T fallback) {
  return vm.count(name) ? vm[name].as<T>() : fallback;
}

// Where this plugin's shared library lies, so the front end is found next to an installed
// plugin without configuration.
std::filesystem::path plugin_dir() {
  static const int anchor = 0;
  Dl_info info{};
  if (dladdr(&anchor, &info) == 0 || !info.dli_fname) return {};
  return std::filesystem::path(info.dli_fname).parent_path();
}

// An explicit `web_root` wins. Otherwise the installed copy (<prefix>/share/meterd/dashboard/web
// for a plugin in <prefix>/lib/meterd/plugins), then the front end's build output in the
// source tree, which is what a developer running from the build directory has.
std::filesystem::path resolve_web_root(const std::string& configured) {
  if (!configured.empty()) return std::filesystem::absolute(configured);
  std::vector<std::filesystem::path> candidates;
  if (const auto dir = plugin_dir(); !dir.empty())
    candidates.push_back(dir / ".." / ".." / ".." / "share" / "meterd" / "dashboard" / "web");
  candidates.emplace_back(METERD_DASHBOARD_SOURCE_DIR "/web/dist");
  for (const auto& c : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(c / "index.html", ec)) return std::filesystem::weakly_canonical(c, ec);
  }
  return candidates.back();
}

bool is_loopback(const std::string& address) {
  return address == "localhost" || address == "::1" || address.rfind("127.", 0) == 0;
}

// "auto": a browser drops a Secure cookie it received over plain HTTP, so the flag is left
// off where the server can only be reached from this machine (the demo on localhost) and
// set everywhere else, where a TLS proxy in front is expected.
bool secure_cookies(const std::string& setting, const std::string& listen) {
  if (setting == "true") return true;
  if (setting == "false") return false;
  if (setting == "auto") return !is_loopback(listen);
  throw std::invalid_argument("option 'secure_cookies' must be auto, true or false, not '" + setting + "'");
}

class DashboardSink : public sdk::Sink {
 public:
  explicit DashboardSink(sdk::SinkContext& context) : context_(context) {}

  void start() override {
    const auto& vm = context_.options();
    StoreOptions so;
    so.file = context_.state_dir() / "history.sqlite";
    so.raw_days = opt(vm, "raw_days", 30);
    so.minute_days = opt(vm, "minute_days", 400);
    so.quarter_days = opt(vm, "quarter_days", 1200);
    so.hour_days = opt(vm, "hour_days", 0);
    so.day_days = opt(vm, "day_days", 0);
    so.synchronous_full = opt(vm, "synchronous_full", false);
    for (const auto* name : {"raw_days", "minute_days", "quarter_days", "hour_days", "day_days", "disk_budget_mb"})
      if (opt(vm, name, 0) < 0) throw std::invalid_argument(std::string("option '") + name + "' must not be negative");
    so.disk_budget_bytes = static_cast<std::uint64_t>(opt(vm, "disk_budget_mb", 0)) * 1024u * 1024u;
    open_store(so);
    Prices prices;
    prices.single = opt(vm, "price", 0.0);
    prices.high = opt(vm, "price_ht", prices.single);
    prices.low = opt(vm, "price_nt", prices.single);
    prices.currency = opt<std::string>(vm, "currency", "CHF");
    prices.schedule = TariffSchedule::parse(opt<std::string>(vm, "ht_schedule", ""));
    if (const auto dated = opt<std::string>(vm, "prices", ""); !dated.empty()) {
      for (const std::string name : {"price", "price_ht", "price_nt"})
        if (vm.count(name) && !vm[name].defaulted())
          throw std::invalid_argument("options 'prices' and '" + name + "' exclude each other: give every price in 'prices'");
      prices.dated = parse_dated_prices(dated, !prices.schedule.empty(), store_->zone());
    }
    prices.fixed_fee_per_month = opt(vm, "fixed_fee_per_month", 0.0);
    if (prices.fixed_fee_per_month < 0) throw std::invalid_argument("option 'fixed_fee_per_month' must not be negative");
    stats_ = std::make_unique<Statistics>(*store_, prices);
    std::string generated;
    const auto password = opt<std::string>(vm, "admin_password", "");
    access_ = std::make_unique<AccessControl>(context_.state_dir() / "access.sqlite", password, &generated);
    if (!generated.empty())
      context_.log(sdk::Level::warning, "dashboard admin password (shown once, store it now): " + generated);
    else if (password.empty())
      context_.log(sdk::Level::info, "dashboard login: the admin password printed at the first start; for a new one stop meterd "
                                     "and delete " + (context_.state_dir() / "access.sqlite").string());
    http::ServerOptions server_options;
    server_options.address = opt<std::string>(vm, "listen", "127.0.0.1");
    const int port = opt(vm, "port", 8081);
    if (port < 0 || port > 65535) throw std::invalid_argument("option 'port' must be 0 to 65535");
    server_options.port = static_cast<unsigned short>(port);
    server_options.threads = std::max(1, opt(vm, "threads", 2));
    ApiOptions api_options;
    api_options.meter_names = MeterNames::parse(opt<std::string>(vm, "meter_names", ""));
    const int offline_after_s = opt(vm, "offline_after_s", 60);
    if (offline_after_s < 1) throw std::invalid_argument("option 'offline_after_s' must be at least 1");
    api_options.offline_after_ms = offline_after_s * 1000LL;
    api_options.web_root = resolve_web_root(opt<std::string>(vm, "web_root", ""));
    api_options.secure_cookies = secure_cookies(opt<std::string>(vm, "secure_cookies", "auto"), server_options.address);
    api_ = std::make_unique<DashboardApi>(*store_, *stats_, *access_, live_, api_options, now_ms);
    server_ = std::make_unique<http::Server>(server_options, api_->router());
    server_->start();
    context_.log(sdk::Level::info, "dashboard on http://" + server_options.address + ":" + std::to_string(server_->port()) +
                                       " (front end from " + api_options.web_root.string() +
                                       (api_options.secure_cookies ? ", Secure cookies)" : ", cookies without Secure)"));
  }

  void consume(const v1::Reading& reading) override {
    const std::int64_t t = reading.has_meter_time_ms() ? reading.meter_time_ms() : reading.received_ms();
    live_values_.clear();
    for (const auto& v : reading.values()) {
      if (!v.has_number() || v.quantity().empty()) continue;
      if (v.interval_end_ms() > v.interval_start_ms()) {
        store_->add_interval(reading.meter_id(), v.quantity(), v.unit(), v.interval_start_ms(), v.interval_end_ms(),
                             v.number(), v.tariff());
        continue;
      }
      const std::int64_t at = v.time_ms() ? v.time_ms() : t;
      if (!store_->add(reading.meter_id(), v.quantity(), v.unit(), Point{at, v.number()})) ++context_.counters().drops;
      live_values_.push_back({v.quantity(), v.number(), v.unit(), at});
    }
    // Pushed before storing completes: live viewers must not wait for the disk.
    if (!live_values_.empty()) live_.publish(reading.meter_id(), t, live_values_);
    ++context_.counters().out;
    if (now_ms() - last_flush_ms_ > 2000) flush();
  }

  void flush() override {
    last_flush_ms_ = now_ms();
    try {
      store_->flush();
      if (last_flush_ms_ - last_retention_ms_ > 3'600'000) {
        store_->enforce_retention(last_flush_ms_);
        last_retention_ms_ = last_flush_ms_;
      }
      if (store_failing_) {
        context_.diagnostic(sdk::Level::info, "store_recovered", "history store writes work again");
        store_failing_ = false;
      }
    } catch (const StoreError& e) {
      ++context_.counters().errors;
      if (!store_failing_)
        context_.diagnostic(sdk::Level::error, e.disk_full() ? "store_disk_full" : "store_error",
                            std::string("history store cannot write (") + e.what() +
                                "); readings are kept in memory and retried. Free disk space or lower disk_budget_mb.");
      store_failing_ = true;
    }
  }

  void stop() override {
    flush();
    if (server_) server_->stop();
  }

 private:
  void open_store(StoreOptions so) {
    try {
      store_ = std::make_unique<HistoryStore>(so, context_.time_zone());
    } catch (const StoreError& e) {
      if (!e.corrupt()) throw;
      // Keep the damaged file for inspection and start a fresh history rather than no dashboard.
      auto aside = so.file;
      aside += ".corrupt-" + std::to_string(now_ms());
      std::filesystem::rename(so.file, aside);
      context_.diagnostic(sdk::Level::error, "store_corrupt",
                          "history file was damaged (" + std::string(e.what()) + "); moved to " + aside.string() +
                              " and started a new one");
      store_ = std::make_unique<HistoryStore>(so, context_.time_zone());
    }
  }

  sdk::SinkContext& context_;
  std::unique_ptr<HistoryStore> store_;
  std::unique_ptr<Statistics> stats_;
  std::unique_ptr<AccessControl> access_;
  LiveFeed live_;
  std::vector<LiveValue> live_values_;  // reused across readings
  std::unique_ptr<DashboardApi> api_;
  std::unique_ptr<http::Server> server_;
  std::int64_t last_flush_ms_ = 0, last_retention_ms_ = 0;
  bool store_failing_ = false;
};

void describe(po::options_description& o) {
  o.add_options()
      ("listen", po::value<std::string>()->default_value("127.0.0.1"), "address the dashboard listens on")
      ("port", po::value<int>()->default_value(8081), "dashboard HTTP port")
      ("threads", po::value<int>()->default_value(2), "HTTP worker threads")
      ("web_root", po::value<std::string>()->default_value(""),
       "directory of the built front end; empty: the installed copy, else web/dist in the plugin's source tree")
      ("admin_password", po::value<std::string>()->default_value(""), "admin password; generated and printed once when empty")
      ("secure_cookies", po::value<std::string>()->default_value("auto"),
       "Secure flag on the session cookie: auto (off when listening on loopback only), true or false")
      ("raw_days", po::value<int>()->default_value(30), "days raw readings are kept (0: for ever)")
      ("minute_days", po::value<int>()->default_value(400), "days 1-min rollups are kept")
      ("quarter_days", po::value<int>()->default_value(1200), "days 15-min rollups are kept")
      ("hour_days", po::value<int>()->default_value(0), "days 1-h rollups are kept (0: for ever)")
      ("day_days", po::value<int>()->default_value(0), "days daily rollups are kept (0: for ever)")
      ("synchronous_full", po::value<bool>()->default_value(false),
       "fsync every commit (survives power loss, slower); off still survives a crashed or killed process")
      ("disk_budget_mb", po::value<int>()->default_value(0), "upper bound for the history file; 0: none")
      ("price", po::value<double>()->default_value(0.0), "single energy price per kWh")
      ("price_ht", po::value<double>(), "high-tariff price per kWh")
      ("price_nt", po::value<double>(), "low-tariff price per kWh")
      ("ht_schedule", po::value<std::string>()->default_value(""), "high-tariff hours, e.g. 'Mon-Fri 07-20, Sat 07-13'")
      ("prices", po::value<std::string>()->default_value(""),
       "prices with the local date they apply from, e.g. '2025-01-01 ht=0.31 nt=0.21, 2026-01-01 ht=0.32 nt=0.22' "
       "or '2025-01-01 price=0.27'; instead of price, price_ht and price_nt")
      ("fixed_fee_per_month", po::value<double>()->default_value(0.0),
       "fixed fee per month, charged per day of the month and shown apart from the energy cost")
      ("offline_after_s", po::value<int>()->default_value(60),
       "a meter silent this long (and for three of its push intervals) is shown offline and left out of the live total")
      ("currency", po::value<std::string>()->default_value("CHF"), "currency shown with costs")
      ("meter_names", po::value<std::string>()->default_value(""),
       "display names of meters, e.g. 'LGZ1030000000001=House, LGZ1030000000002=Heat pump'; ids stay the keys");
}

std::unique_ptr<sdk::Sink> make(sdk::SinkContext& context) { return std::make_unique<DashboardSink>(context); }

const sdk::PluginInfo kInfo{sdk::kApiVersion, sdk::Kind::sink, "dashboard", "0.1.0",
                            "history store, statistics and web dashboard with live view and share links",
                            describe, nullptr, make};

}  // namespace
}  // namespace meterd::dashboard

METERD_PLUGIN(meterd::dashboard::kInfo)
