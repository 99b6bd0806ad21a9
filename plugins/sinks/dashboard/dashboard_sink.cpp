// The `dashboard` sink: stores every reading in the embedded history, pushes it to open
// live streams and serves the dashboard API. Store failures (full disk, corrupt file) are
// reported as diagnostics and never stop the pipeline.

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <vector>
#include <nlohmann/json.hpp>

#include "access_control.hpp"
#include "alert_board.hpp"
#include "community_options.hpp"
#include "dashboard_api.hpp"
#include "reading_checks.hpp"
#include "meterd/http/server.hpp"
#include "meterd/diagnostic_throttle.hpp"
#include "meterd/option_checks.hpp"
#include "meterd/plugin.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::dashboard {
namespace {

namespace po = boost::program_options;

constexpr std::size_t kFlushAfterPoints = 50'000;
// Series-hours per store transaction, and the time one call spends writing before it goes
// back to the bus: the bus drops a reading whose sink's queue stays full for block_ms, and
// a write of 170,000 series in one go took longer than that.
constexpr std::size_t kHoursPerSlice = 1000;
// At most this long between passes: what a pass has to write, and the points held meanwhile
// (about 170,000 series' worth with 10,000 meters), grow with it.
constexpr std::int64_t kMaxSpacingMs = 20'000;
constexpr auto kWriteBudget = std::chrono::milliseconds(200);
// While a pass over the buffered hours is under way, readings are taken for this long
// between two budgets of writing.
constexpr std::int64_t kBetweenBudgetsMs = 100;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

template <typename T>
T opt(const po::variables_map& vm, const char* name, T fallback) {
  return vm.count(name) ? vm[name].as<T>() : fallback;
}

// An explicit `web_root` wins. Otherwise the installed copy (<datadir>/meterd/dashboard/web of
// the prefix this plugin was built for), then the front end's build output in the source
// tree, which is what a developer running from the build directory has.
std::filesystem::path resolve_web_root(const std::string& configured) {
  if (!configured.empty()) return std::filesystem::absolute(configured);
  const std::filesystem::path candidates[] = {METERD_DASHBOARD_WEB_INSTALL_DIR, METERD_DASHBOARD_SOURCE_DIR "/web/dist"};
  for (const auto& c : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(c / "index.html", ec)) return std::filesystem::weakly_canonical(c, ec);
  }
  return candidates[1];
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

std::size_t count_option(const po::variables_map& vm, const char* name, int fallback) {
  const int value = opt(vm, name, fallback);
  if (value < 1) throw std::invalid_argument(std::string("option '") + name + "' must be at least 1");
  return static_cast<std::size_t>(value);
}

void read_limits(const po::variables_map& vm, http::ServerOptions& o) {
  o.max_connections = count_option(vm, "max_connections", 256);
  o.max_connections_per_address = count_option(vm, "max_connections_per_address", 32);
  o.reserved_connections = static_cast<std::size_t>(std::max(0, opt(vm, "reserved_connections", 16)));
  o.max_streams_per_address = count_option(vm, "max_streams_per_address", 8);
  o.idle_timeout = std::chrono::seconds(count_option(vm, "idle_timeout_s", 15));
  o.header_timeout = std::chrono::seconds(count_option(vm, "header_timeout_s", 10));
  o.trusted_proxies = http::TrustedProxies::parse(opt<std::string>(vm, "trusted_proxies", ""));
  if (o.reserved_connections >= o.max_connections)
    throw std::invalid_argument("option 'reserved_connections' must be less than 'max_connections'");
}

// The prices: a single one, HT/NT, any number of bands, or dated sets (`prices`); grid
// usage, levies and VAT; the feed-in tariff; dynamic prices; and the monthly fee.
Prices read_prices(const po::variables_map& vm, const TimeZone& zone) {
  Prices prices;
  prices.single = opt(vm, "price", 0.0);
  prices.high = opt(vm, "price_ht", prices.single);
  prices.low = opt(vm, "price_nt", prices.single);
  prices.currency = opt<std::string>(vm, "currency", "CHF");
  prices.schedule = TariffSchedule::parse(opt<std::string>(vm, "ht_schedule", ""));
  prices.bands = BandSchedule::parse(opt<std::string>(vm, "bands", ""));
  if (!prices.bands.empty()) {
    for (const std::string name : {"ht_schedule", "price_ht", "price_nt"})
      if (name == "ht_schedule" ? !prices.schedule.empty() : vm.count(name) > 0)
        throw std::invalid_argument("options 'bands' and '" + name + "' exclude each other: with bands, give each band's "
                                    "price in 'prices' (ht_schedule is the two-band case 'ht: <hours>; nt: rest')");
    if (opt<std::string>(vm, "prices", "").empty())
      throw std::invalid_argument("option 'bands' needs 'prices' with a price per band, e.g. 'prices = 2026-01-01 " +
                                  prices.bands.names().front() + "=0.30 ...'");
  }
  prices.holidays = Holidays::parse(opt<std::string>(vm, "holidays", ""), opt<std::string>(vm, "holiday_canton", ""),
                                    opt<std::string>(vm, "holidays_as", ""));
  const auto bands = prices.band_names();
  if (const auto dated = opt<std::string>(vm, "prices", ""); !dated.empty()) {
    for (const std::string name : {"price", "price_ht", "price_nt"})
      if (vm.count(name) && !vm[name].defaulted())
        throw std::invalid_argument("options 'prices' and '" + name + "' exclude each other: give every price in 'prices'");
    prices.dated = parse_price_sets("prices", dated, bands, zone, true);
  }
  prices.grid = parse_price_sets("grid_prices", opt<std::string>(vm, "grid_prices", ""), bands, zone);
  prices.levies = parse_price_sets("levies", opt<std::string>(vm, "levies", ""), bands, zone);
  prices.vat_percent = opt(vm, "vat_percent", 0.0);
  if (const auto feed_in = opt<std::string>(vm, "feed_in", ""); feed_in == "dynamic") prices.feed_in_dynamic = true;
  else prices.feed_in = parse_price_sets("feed_in", feed_in, bands, zone);
  prices.dynamic_meter = opt<std::string>(vm, "dynamic_prices", "");
  prices.dynamic_max_age_ms = opt(vm, "dynamic_price_valid_min", 60) * 60'000LL;
  if (prices.feed_in_dynamic && prices.dynamic_meter.empty())
    throw std::invalid_argument("option 'feed_in' is 'dynamic' but 'dynamic_prices' names no price meter; set it, "
                                "or give a fixed feed-in price such as 'feed_in = 0.08'");
  prices.fixed_fee_per_month = opt(vm, "fixed_fee_per_month", 0.0);
  return prices;
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
    so.disk_budget_bytes = static_cast<std::uint64_t>(opt(vm, "disk_budget_mb", 0)) * 1024u * 1024u;
    so.gap_limit_ms = static_cast<std::int64_t>(opt(vm, "gap_limit_s", 0)) * 1000;
    open_store(so);
    retain_at_start();
    stats_ = std::make_unique<Statistics>(*store_, read_prices(vm, store_->zone()));
    make_state_dir_private();
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
    server_options.port = static_cast<unsigned short>(opt(vm, "port", 8081));
    server_options.threads = opt(vm, "threads", 2);
    read_limits(vm, server_options);
    live_ = std::make_unique<LiveFeed>(count_option(vm, "max_streams_per_link", 4));
    ApiOptions api_options;
    api_options.log_warning = [this](const std::string& line) { context_.log(sdk::Level::warning, line); };
    api_options.meter_names = MeterNames::parse(opt<std::string>(vm, "meter_names", ""));
    api_options.meter_roles = MeterRoles::parse(opt<std::string>(vm, "meter_roles", ""));
    api_options.community = read_community(vm, stats_->prices(), store_->zone());
    api_options.offline_after_ms = opt(vm, "offline_after_s", 60) * 1000LL;
    api_options.web_root = resolve_web_root(opt<std::string>(vm, "web_root", ""));
    alerts_ = std::make_unique<AlertBoard>(context_.state_dir() / "alerts.sqlite");
    api_options.alerts = [board = alerts_.get()](std::size_t limit) { return board->json(limit); };
    api_options.secure_cookies = secure_cookies(opt<std::string>(vm, "secure_cookies", "auto"), server_options.address);
    api_ = std::make_unique<DashboardApi>(*store_, *stats_, *access_, *live_, api_options, now_ms);
    server_options.privileged = [api = api_.get()](const http::Request& r) { return api->is_admin(r); };
    server_ = std::make_unique<http::Server>(server_options, api_->router());
    server_->start();
    context_.log(sdk::Level::info, "dashboard on http://" + server_options.address + ":" + std::to_string(server_->port()) +
                                       " (front end from " + api_options.web_root.string() +
                                       (api_options.secure_cookies ? ", Secure cookies)" : ", cookies without Secure)"));
  }

  // Alert notices of any alerts sink, for the Alerts view; other diagnostics are not kept.
  bool wants_diagnostics() const override { return true; }

  void consume(const v1::Diagnostic& diagnostic) override {
    try {
      alerts_->take(diagnostic);
    } catch (const StoreError& e) {
      context_.diagnostic(sdk::Level::error, "store_error", std::string("alerts not kept: ") + e.what());
    }
  }

  void consume(const v1::Reading& reading) override {
    const std::int64_t t = reading.has_meter_time_ms() ? reading.meter_time_ms() : reading.received_ms();
    const std::int64_t now = now_ms();
    live_values_.clear();
    for (const auto& v : reading.values()) {
      if (!v.has_number() || v.quantity().empty()) continue;
      if (v.interval_end_ms() > v.interval_start_ms()) {
        store_->add_interval(reading.meter_id(), v.quantity(), v.unit(), v.interval_start_ms(), v.interval_end_ms(),
                             v.number(), v.tariff());
        continue;
      }
      const std::int64_t at = v.time_ms() ? v.time_ms() : t;
      auto problem = time_problem(at, now, v.quantity());
      if (!problem && !std::isfinite(v.number())) problem = ReadingProblem::not_finite;
      if (!problem) problem = add_problem(store_->add(reading.meter_id(), v.quantity(), v.unit(), Point{at, v.number()}));
      if (problem == ReadingProblem::past_retention) {
        note_refused(at);  // one diagnostic for a whole replay, see report_refused()
        continue;
      }
      if (problem) report(*problem, reading.meter_id(), v.quantity(), now);
      if (problem && *problem != ReadingProblem::out_of_order) continue;
      live_values_.push_back({v.quantity(), v.number(), v.unit(), at});
    }
    // Pushed before storing completes: live viewers must not wait for the disk.
    if (!live_values_.empty()) live_->publish(reading.meter_id(), t, live_values_);
    ++context_.counters().out;
    // Also early in a burst (a backfill): the flush's working set grows with what it writes.
    const auto pause = pass_open_ ? kBetweenBudgetsMs : 2000;
    if (now - last_flush_ms_ > pause || (!store_failing_ && store_->unflushed_points() >= flush_after_points())) flush();
    // Back-pressure: past twice that, this reading waits for a budget of writing. Its thread
    // then takes readings more slowly, the bus queue fills and the sources wait, instead of
    // buffered points growing without bound.
    while (!store_failing_ && store_->unflushed_points() >= 2 * flush_after_points()) write_store(kWriteBudget);
  }

  // Each write adds to every touched series' current hour and rollups, whether it gained one
  // point or twenty: with thousands of meters, fewer and larger writes cost far less per
  // reading. So passes over the buffered hours are spaced by ten times the last one's writing
  // time (a few ms with a handful of meters, i.e. at once; at most kMaxSpacingMs). A pass is
  // written in budgets of kWriteBudget with readings taken between them. Until written,
  // durable() is false and the core asks again.
  void flush() override {
    check_price_feed();
    last_flush_ms_ = now_ms();
    if (!pass_open_ && last_flush_ms_ - last_write_ms_ < write_spacing_ms_ &&
        store_->unflushed_points() < flush_after_points())
      return;
    write_store(kWriteBudget);
  }

  // Writes slices of the store until the pass over its buffered hours ends or `budget` is
  // spent (none: everything buffered).
  void write_store(std::optional<std::chrono::milliseconds> budget, bool maintain = true) {
    report_refused();
    last_flush_ms_ = now_ms();
    const auto started = std::chrono::steady_clock::now();
    try {
      if (!budget) store_->flush();
      else
        do pass_open_ = store_->flush_slice(kHoursPerSlice);
        while (pass_open_ && std::chrono::steady_clock::now() - started < *budget);
      pass_open_ = pass_open_ && budget;
      // Hourly; a pass storing many hours' minutes is spread over several writes.
      if (maintain && !pass_open_ && last_flush_ms_ - last_retention_ms_ > 3'600'000 &&
          !store_->enforce_retention(last_flush_ms_, kHoursPerSlice))
        last_retention_ms_ = last_flush_ms_;
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
      pass_open_ = false;
    }
    pass_writing_ += std::chrono::steady_clock::now() - started;
    last_flush_ms_ = now_ms();  // readings are taken for a while from here on
    if (pass_open_) return;
    last_write_ms_ = now_ms();
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(pass_writing_).count();
    pass_writing_ = {};
    write_spacing_ms_ = std::clamp<std::int64_t>(10 * took, 0, kMaxSpacingMs);
    // A failing disk is retried every few seconds, not at every idle moment.
    if (store_failing_) write_spacing_ms_ = std::max<std::int64_t>(write_spacing_ms_, 2000);
  }

  // Writes what is buffered (at most about a spacing of pushes per series) and no more:
  // sealing and retention wait for the next start.
  void stop() override {
    write_store(std::nullopt, false);
    if (server_) server_->stop();
  }
  // flush() commits the store; while it cannot, readings wait in memory and are not durable.
  bool durable() const override { return !store_failing_ && store_->unflushed_points() == 0; }

 private:
  // The history, the password hash and the share links are the owner's alone, whatever the
  // umask the service was started with (the files themselves are created 0600).
  void make_state_dir_private() {
    std::error_code ec;
    std::filesystem::permissions(context_.state_dir(), std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
    if (ec)
      context_.log(sdk::Level::warning, "cannot make " + context_.state_dir().string() + " private (" + ec.message() +
                                            "); other local users may read the dashboard's state");
  }

  void report(ReadingProblem problem, const std::string& meter, const std::string& quantity, std::int64_t now) {
    const bool kept = problem == ReadingProblem::out_of_order || problem == ReadingProblem::replaced ||
                      problem == ReadingProblem::duplicate;
    if (!kept) ++context_.counters().drops;
    if (auto note = checks_.count(problem, meter, quantity, now))
      context_.diagnostic(note->warning ? sdk::Level::warning : sdk::Level::info, note->code, note->message, meter);
  }

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

  // With dynamic prices: once a minute, whether a price covers now; if not, costs fall back to
  // the fixed price, said at once and then hourly while it lasts.
  // Retention of what an earlier run left (a stop does none) before readings arrive, so that
  // a replay of hours whose detail is past retention is refused, not stored again. A store
  // that cannot write now leaves it to the hourly pass, which reports the failure.
  void retain_at_start() {
    try {
      if (!store_->enforce_retention(now_ms(), kHoursPerSlice)) last_retention_ms_ = now_ms();
    } catch (const StoreError&) {
    }
  }

  void check_price_feed() {
    const auto& prices = stats_->prices();
    const auto now = now_ms();
    if (prices.dynamic_meter.empty() || now - price_checked_ms_ < 60'000) return;
    price_checked_ms_ = now;
    const bool fresh = stats_->dynamic_prices(now, now + 1).at(now).has_value();
    if (fresh && price_stale_since_ms_) {
      context_.diagnostic(sdk::Level::info, "price_feed_fresh", "dynamic prices from meter '" + prices.dynamic_meter +
                                                                    "' cover the present again", prices.dynamic_meter);
      price_stale_since_ms_ = 0;
    }
    if (fresh || now - price_stale_noted_ms_ < 3'600'000) return;
    if (!price_stale_since_ms_) price_stale_since_ms_ = now;
    price_stale_noted_ms_ = now;
    context_.diagnostic(sdk::Level::warning, "price_feed_stale",
                        "no dynamic price from meter '" + prices.dynamic_meter + "' covers the present (none started in the last " +
                            std::to_string(prices.dynamic_max_age_ms / 60'000) +
                            " min); energy is costed at the fixed price. Check the price_feed source and its diagnostics",
                        prices.dynamic_meter);
  }

  void note_refused(std::int64_t at) {
    ++context_.counters().drops;
    ++refused_;
    oldest_refused_ms_ = refused_ == 1 ? at : std::min(oldest_refused_ms_, at);
  }

  // One line for a whole replay of old data, not one per point.
  void report_refused() {
    if (refused_ == 0 || !refusals_.occurred()) return;
    context_.diagnostic(sdk::Level::warning, "older_than_retention",
                        std::to_string(refused_) + " values not stored, the oldest from " +
                            format_iso8601(oldest_refused_ms_ / 1000, 0, true) +
                            ": their hours are older than raw_days and already summarised. Raise raw_days (0 keeps "
                            "every hour) before importing old history.");
    refused_ = 0;
  }

  sdk::SinkContext& context_;
  std::uint64_t refused_ = 0;
  std::int64_t oldest_refused_ms_ = 0;
  DiagnosticThrottle refusals_;
  std::unique_ptr<HistoryStore> store_;
  std::unique_ptr<Statistics> stats_;
  std::unique_ptr<AccessControl> access_;
  std::unique_ptr<LiveFeed> live_;
  std::vector<LiveValue> live_values_;  // reused across readings
  ReadingChecks checks_;
  std::unique_ptr<AlertBoard> alerts_;
  std::unique_ptr<DashboardApi> api_;
  std::unique_ptr<http::Server> server_;
  // Points buffered before a write is due whatever the time: about 1 MB of a backfill, or a
  // minute of 5-s pushes per series (those are in the store's open hours in any case).
  std::size_t flush_after_points() const { return std::max<std::size_t>(kFlushAfterPoints, 12 * store_->series_count()); }

  std::int64_t price_checked_ms_ = 0, price_stale_since_ms_ = 0, price_stale_noted_ms_ = 0;
  std::int64_t last_flush_ms_ = 0, last_retention_ms_ = 0, last_write_ms_ = 0, write_spacing_ms_ = 0;
  bool store_failing_ = false;
  bool pass_open_ = false;  // a pass over the buffered hours is written budget by budget
  std::chrono::steady_clock::duration pass_writing_{};
};

void describe(po::options_description& o) {
  o.add_options()
      ("listen", po::value<std::string>()->default_value("127.0.0.1")->notifier(sdk::ip_address()), "address the dashboard listens on")
      ("port", po::value<int>()->default_value(8081)->notifier(sdk::in_range(0, 65535)), "dashboard HTTP port")
      ("threads", po::value<int>()->default_value(2)->notifier(sdk::in_range(1, 64)), "HTTP worker threads")
      ("web_root", po::value<std::string>()->default_value(""),
       "directory of the built front end; empty: the installed copy, else web/dist in the plugin's source tree")
      ("admin_password", po::value<std::string>()->default_value(""), "admin password; generated and printed once when empty")
      ("secure_cookies", po::value<std::string>()->default_value("auto")->notifier(sdk::one_of({"auto", "true", "false"})),
       "Secure flag on the session cookie: auto (off when listening on loopback only), true or false")
      ("trusted_proxies", po::value<std::string>()->default_value(""),
       "reverse proxies whose X-Forwarded-For names the client, e.g. '127.0.0.1, ::1' (addresses or networks)")
      ("max_connections", po::value<int>()->default_value(256)->notifier(sdk::at_least(1)), "open HTTP connections in all")
      ("max_connections_per_address", po::value<int>()->default_value(32)->notifier(sdk::at_least(1)),
       "open HTTP connections per client address (trusted proxies exempt)")
      ("reserved_connections", po::value<int>()->default_value(16)->notifier(sdk::at_least(0)),
       "connections kept for a logged-in admin when the rest are taken")
      ("max_streams_per_address", po::value<int>()->default_value(8)->notifier(sdk::at_least(1)), "open live streams per client address")
      ("max_streams_per_link", po::value<int>()->default_value(4)->notifier(sdk::at_least(1)), "open live streams per share link and per admin session")
      ("idle_timeout_s", po::value<int>()->default_value(15)->notifier(sdk::at_least(1)), "seconds an idle connection is kept open")
      ("header_timeout_s", po::value<int>()->default_value(10)->notifier(sdk::at_least(1)),
       "seconds a request may take to arrive, from its first byte (or the connect) to its end")
      ("raw_days", po::value<int>()->default_value(30)->notifier(sdk::at_least(0)), "days raw readings are kept (0: for ever)")
      ("minute_days", po::value<int>()->default_value(400)->notifier(sdk::at_least(0)), "days 1-min rollups are kept")
      ("quarter_days", po::value<int>()->default_value(1200)->notifier(sdk::at_least(0)), "days 15-min rollups are kept")
      ("hour_days", po::value<int>()->default_value(0)->notifier(sdk::at_least(0)), "days 1-h rollups are kept (0: for ever)")
      ("day_days", po::value<int>()->default_value(0)->notifier(sdk::at_least(0)), "days daily rollups are kept (0: for ever)")
      ("synchronous_full", po::value<bool>()->default_value(false),
       "fsync every commit (survives power loss, slower); off still survives a crashed or killed process")
      ("disk_budget_mb", po::value<int>()->default_value(0)->notifier(sdk::at_least(0)), "upper bound for the history file; 0: none")
      ("gap_limit_s", po::value<int>()->default_value(0)->notifier(sdk::at_least(0)),
       "readings further apart are a gap (energy estimated, chart broken); 0: three of the meter's usual intervals, at least 60")
      ("price", po::value<double>()->default_value(0.0), "single energy price per kWh")
      ("price_ht", po::value<double>(), "high-tariff price per kWh")
      ("price_nt", po::value<double>(), "low-tariff price per kWh")
            ("ht_schedule", po::value<std::string>()->default_value("")->notifier(sdk::parses_with(TariffSchedule::parse)), "high-tariff hours, e.g. 'Mon-Fri 07-20, Sat 07-13'")
      ("prices", po::value<std::string>()->default_value(""),
       "prices with the local date they apply from, e.g. '2025-01-01 ht=0.31 nt=0.21, 2026-01-01 ht=0.32 nt=0.22' "
       "or '2025-01-01 price=0.27'; instead of price, price_ht and price_nt")
      ("bands", po::value<std::string>()->default_value(""),
       "time-of-use bands, e.g. 'peak: Mon-Fri 17-21; day: Mon-Fri 07-17, Sat 07-13; night: rest'; prices per band in 'prices'")
      ("holidays", po::value<std::string>()->default_value(""), "local dates priced like a Sunday, e.g. '2026-12-24, 2026-12-31'")
      ("holiday_canton", po::value<std::string>()->default_value(""),
       "also the public holidays of this Swiss canton (two-letter code, e.g. ZH), Easter-based ones computed")
      ("holidays_as", po::value<std::string>()->default_value("Sun"), "the weekday whose hours a holiday takes")
      ("grid_prices", po::value<std::string>()->default_value(""),
       "grid usage fee per kWh: a number, per band ('ht=0.09 nt=0.05') or dated like 'prices'")
      ("levies", po::value<std::string>()->default_value(""), "levies per kWh, given like grid_prices")
      ("vat_percent", po::value<double>()->default_value(0.0)->notifier(sdk::in_range(0.0, 100.0)),
       "VAT in percent on energy, grid usage and levies")
      ("feed_in", po::value<std::string>()->default_value(""),
       "feed-in credit per exported kWh: a number, per band, dated like 'prices', or 'dynamic'")
      ("dynamic_prices", po::value<std::string>()->default_value(""),
       "meter id whose 'price' series (e.g. from the price_feed source) sets the energy price per 15 min or hour")
      ("dynamic_price_valid_min", po::value<int>()->default_value(60)->notifier(sdk::in_range(15, 1440)),
       "minutes a dynamic price holds after its start; later, or with none, the fixed price applies (price_feed_stale)")
      ("fixed_fee_per_month", po::value<double>()->default_value(0.0)->notifier(sdk::at_least(0.0)),
       "fixed fee per month, charged per day of the month and shown apart from the energy cost")
      ("offline_after_s", po::value<int>()->default_value(60)->notifier(sdk::in_range(1, 86400 * 366)),
       "a meter silent this long (and for three of its push intervals) is shown offline and left out of the live total")
      ("currency", po::value<std::string>()->default_value("CHF"), "currency shown with costs")
      ("meter_names", po::value<std::string>()->default_value("")->notifier(sdk::parses_with(MeterNames::parse)),
       "display names of meters, e.g. 'LGZ1030000000001=House, LGZ1030000000002=Heat pump'; ids stay the keys")
      ("meter_roles", po::value<std::string>()->default_value("")->notifier(sdk::parses_with(MeterRoles::parse)),
       "what each meter is in the energy balance, e.g. 'LGZ1030000000001=grid, LGZ1030000000002=pv, "
       "LGZ1030000000003=heat_pump'; roles grid, pv, battery, heat_pump, ev, consumer");
  describe_community_options(o);
}

std::unique_ptr<sdk::Sink> make(sdk::SinkContext& context) { return std::make_unique<DashboardSink>(context); }

// The checks across options that a start makes, for --check-config.
void check_options(const po::variables_map& vm) {
  const auto utc = TimeZone::load("UTC");
  (void)read_community(vm, read_prices(vm, *utc), *utc);
  http::ServerOptions limits;
  read_limits(vm, limits);
}

const sdk::PluginInfo kInfo{sdk::kApiVersion, sdk::Kind::sink, "dashboard", "0.1.0",
                            "history store, statistics and web dashboard with live view and share links",
                            describe, nullptr, make, check_options};

}  // namespace
}  // namespace meterd::dashboard

METERD_PLUGIN(meterd::dashboard::kInfo)
