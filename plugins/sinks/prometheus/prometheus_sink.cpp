// The `prometheus` sink plugin: keeps the latest value of every meter series and meterd's own
// counters, and serves them at http://<listen>/metrics for Prometheus to scrape.
#include <memory>

#include "meterd/meter_roles.hpp"
#include "meterd/time_zone.hpp"

#include "balance_table.hpp"
#include "health_table.hpp"
#include "listen_address.hpp"
#include "meterd/option_checks.hpp"
#include "meter_table.hpp"
#include "meterd/plugin.hpp"
#include "metrics_endpoint.hpp"

namespace po = boost::program_options;

namespace meterd::prometheus {
namespace {

void describe_options(po::options_description& options) {
  options.add_options()
    ("listen", po::value<std::string>()->default_value("127.0.0.1:9464"),
     "address:port of the metrics endpoint ([v6]:port for IPv6; 0.0.0.0:9464 for all interfaces)")
    ("path", po::value<std::string>()->default_value("/metrics"), "URL path of the metrics page")
    ("staleness_seconds", po::value<double>()->default_value(300),
     "a series not refreshed for this long is no longer exported")
    ("meter_roles", po::value<std::string>()->default_value("")->notifier(sdk::parses_with(MeterRoles::parse)),
     "what each meter is in the energy balance, e.g. 'LGZ1030000000001=grid, LGZ1030000000002=pv'; "
     "adds today's self-sufficiency and the current power flows")
    ("price_valid_min", po::value<int>()->default_value(60),
     "minutes an energy price holds after its start when no newer one starts; after that the feed's price is "
     "left out (as the dashboard's dynamic_price_valid_min)");
}

double read_staleness(const po::variables_map& options) {
  const double seconds = options["staleness_seconds"].as<double>();
  if (!(seconds > 0)) throw std::invalid_argument("option 'staleness_seconds' must be greater than 0");
  return seconds;
}

// How long a price holds after its start, in ms: 15 min to a day, as the dashboard's.
std::int64_t read_price_valid_ms(const po::variables_map& options) {
  const int minutes = options["price_valid_min"].as<int>();
  if (minutes < 15 || minutes > 1440)
    throw std::invalid_argument("option 'price_valid_min' must be 15 to 1440 (minutes), like the dashboard's "
                                "dynamic_price_valid_min; got " + std::to_string(minutes));
  return minutes * 60'000LL;
}

EndpointOptions read_endpoint(const po::variables_map& options) {
  const ListenAddress listen = parse_listen_address(options["listen"].as<std::string>());
  return {listen.host, listen.port, options["path"].as<std::string>()};
}

void check_options(const po::variables_map& options) {
  (void)read_staleness(options);
  (void)read_price_valid_ms(options);
  sdk::ip_address()(read_endpoint(options).host);
}

class PrometheusSink : public sdk::Sink {
 public:
  explicit PrometheusSink(sdk::SinkContext& context)
      : context_(context),
        endpoint_options_(read_endpoint(context.options())),
        meters_(std::chrono::duration<double>(read_staleness(context.options()))),
        balance_(MeterRoles::parse(context.options()["meter_roles"].as<std::string>()),
                 context.time_zone() ? context.time_zone() : TimeZone::utc(),
                 static_cast<std::int64_t>(read_staleness(context.options()) * 1000)),
        prices_(read_price_valid_ms(context.options())),
        endpoint_(endpoint_options_, meters_, health_, &balance_, &prices_) {}

  void start() override {
    endpoint_.start();
    // Announced as a Diagnostic so the bound port is known even when the config asked for 0.
    context_.diagnostic(sdk::Level::info, "listening",
                        "serving metrics on http://" + url_host() + ":" + std::to_string(endpoint_.port()) +
                            endpoint_options_.path);
  }

  void consume(const v1::Reading& reading) override {
    // `out` counts readings that changed the exported state; the core already counted `in`.
    const bool latest = meters_.update(reading, MeterTable::Clock::now());
    const bool priced = prices_.update(reading);
    balance_.update(reading);
    if (latest || priced) ++context_.counters().out;
  }

  void consume(const v1::Diagnostic& diagnostic) override { health_.update(diagnostic); }
  bool wants_diagnostics() const override { return true; }

  void stop() override { endpoint_.stop(); }

 private:
  std::string url_host() const {
    const std::string& host = endpoint_options_.host;
    return host.find(':') == std::string::npos ? host : "[" + host + "]";
  }

  sdk::SinkContext& context_;
  EndpointOptions endpoint_options_;
  MeterTable meters_;
  HealthTable health_;
  BalanceTable balance_;
  PriceTable prices_;
  // Last, so the server stops before the tables its handlers read are destroyed.
  MetricsEndpoint endpoint_;
};

std::unique_ptr<sdk::Sink> make_sink(sdk::SinkContext& context) { return std::make_unique<PrometheusSink>(context); }

const sdk::PluginInfo kInfo{
    sdk::kApiVersion, sdk::Kind::sink, "prometheus", "0.1.0",
    "Serves the latest meter values and meterd's own counters for Prometheus to scrape",
    describe_options, nullptr, make_sink, check_options};

}  // namespace
}  // namespace meterd::prometheus

METERD_PLUGIN(meterd::prometheus::kInfo)
