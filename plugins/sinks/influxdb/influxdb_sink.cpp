// The `influxdb` sink plugin: readings -> disk queue -> line protocol over HTTP(S).
#include <memory>

#include "influx_client.hpp"
#include "influx_transport.hpp"
#include "meterd/disk_queue/queued_delivery.hpp"
#include "meterd/option_checks.hpp"
#include "meterd/plugin.hpp"

namespace po = boost::program_options;

namespace meterd::influx {
namespace {

void describe_options(po::options_description& options) {
  options.add_options()
    ("url", po::value<std::string>()->default_value("http://127.0.0.1:8086"), "InfluxDB base URL (http or https)")
    ("api_version", po::value<int>()->default_value(1), "1 for InfluxDB 1.x /write, 2 for /api/v2/write")
    ("database", po::value<std::string>()->default_value("meterd"), "1.x database")
    ("retention_policy", po::value<std::string>()->default_value(""), "1.x retention policy (default: the database's)")
    ("username", po::value<std::string>()->default_value(""), "1.x user")
    ("password", po::value<std::string>()->default_value(""), "1.x password")
    ("org", po::value<std::string>()->default_value(""), "2.x organisation")
    ("bucket", po::value<std::string>()->default_value(""), "2.x bucket")
    ("token", po::value<std::string>()->default_value(""), "2.x API token")
    ("precision", po::value<std::string>()->default_value("ms"), "timestamp precision: ns, us, ms or s")
    ("gzip", po::value<bool>()->default_value(true), "compress request bodies")
    ("ca_file", po::value<std::string>()->default_value(""), "CA certificate(s) to trust for https (PEM)")
    ("tls_verify", po::value<bool>()->default_value(true), "check the server certificate and host name")
    ("timeout_ms", po::value<int>()->default_value(10000)->notifier(sdk::in_range(100, 3600000)), "HTTP request timeout");
  disk_queue::describe_queue_options(options, 5000);
}

InfluxEndpoint read_endpoint(const po::variables_map& o) {
  InfluxEndpoint endpoint;
  endpoint.url = o["url"].as<std::string>();
  endpoint.api_version = o["api_version"].as<int>();
  endpoint.database = o["database"].as<std::string>();
  endpoint.retention_policy = o["retention_policy"].as<std::string>();
  endpoint.username = o["username"].as<std::string>();
  endpoint.password = o["password"].as<std::string>();
  endpoint.org = o["org"].as<std::string>();
  endpoint.bucket = o["bucket"].as<std::string>();
  endpoint.token = o["token"].as<std::string>();
  endpoint.precision = parse_precision(o["precision"].as<std::string>());
  return endpoint;
}

class InfluxSink : public sdk::Sink {
 public:
  explicit InfluxSink(sdk::SinkContext& context)
      : context_(context),
        client_(read_endpoint(context.options()),
                {context.options()["ca_file"].as<std::string>(), context.options()["tls_verify"].as<bool>()},
                context.options()["gzip"].as<bool>(),
                std::chrono::milliseconds(context.options()["timeout_ms"].as<int>())),
        transport_(client_, [this](std::size_t readings, const std::string& message) { report_rejected(readings, message); }),
        delivery_(context, transport_,
                  disk_queue::read_queue_settings(context.options(), context.state_dir() / "queue")) {}

  void start() override { delivery_.start(); }
  void consume(const v1::Reading& reading) override { delivery_.enqueue(reading); }
  void flush() override { delivery_.flush(); }
  bool durable() const override { return delivery_.durable(); }
  void stop() override { delivery_.stop(); }

 private:
  void report_rejected(std::size_t readings, const std::string& message) {
    context_.counters().drops += readings;
    context_.diagnostic(sdk::Level::error, "influx_rejected",
                        "InfluxDB refused a batch of " + std::to_string(readings) +
                            " readings as invalid; they are not retried: " + message);
  }

  sdk::SinkContext& context_;
  InfluxClient client_;
  InfluxTransport transport_;
  disk_queue::QueuedDelivery delivery_;
};

std::unique_ptr<sdk::Sink> make_sink(sdk::SinkContext& context) { return std::make_unique<InfluxSink>(context); }

void check_options(const po::variables_map& options) {
  validate(read_endpoint(options));
  (void)disk_queue::read_queue_settings(options, {});
}

const sdk::PluginInfo kInfo{
    sdk::kApiVersion, sdk::Kind::sink, "influxdb", "0.1.0",
    "Writes readings to InfluxDB 1.x/2.x (line protocol, gzip, TLS) through a disk-backed queue",
    describe_options, nullptr, make_sink, check_options};

}  // namespace
}  // namespace meterd::influx

METERD_PLUGIN(meterd::influx::kInfo)
