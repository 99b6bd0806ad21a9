#include "meterd/disk_queue/queue_settings.hpp"

#include <stdexcept>
#include <string>

#include "meterd/option_checks.hpp"

namespace po = boost::program_options;

namespace meterd::disk_queue {
namespace {

std::function<void(const double&)> at_least_mb(double low) {
  return [low](const double& value) {
    if (!(value >= low)) throw sdk::OptionRuleError("must be at least " + std::to_string(low).substr(0, 4) + " MB");
  };
}

}  // namespace

void describe_queue_options(po::options_description& options, int default_batch_size) {
  const auto positive = sdk::at_least(1);
  options.add_options()
    ("batch_size", po::value<int>()->default_value(default_batch_size)->notifier(positive),
     "send as soon as this many readings are queued")
    ("batch_interval_ms", po::value<int>()->default_value(1000)->notifier(positive),
     "send a smaller batch once its oldest reading has waited this long")
    ("queue_max_mb", po::value<double>()->default_value(256)->notifier(at_least_mb(0.05)),
     "disk budget of the store-and-forward queue; the oldest unsent readings are dropped beyond it")
    ("fsync", po::value<std::string>()->default_value("interval")->notifier(sdk::one_of({"always", "interval", "never"})),
     "when queued readings are forced to disk: always, interval or never")
    ("fsync_interval_ms", po::value<int>()->default_value(1000)->notifier(positive), "for fsync = interval")
    ("retry_initial_ms", po::value<int>()->default_value(500)->notifier(positive), "first wait after a failed delivery")
    ("retry_max_ms", po::value<int>()->default_value(60000)->notifier(positive), "longest wait between delivery attempts")
    ("stop_timeout_ms", po::value<int>()->default_value(5000)->notifier(positive),
     "how long shutdown keeps delivering; what is left stays queued for the next start")
    ("memory_keep", po::value<int>()->default_value(100000)->notifier(positive),
     "readings kept in memory while the queue cannot be written (disk full); beyond this the oldest are dropped");
}

namespace {

// The values passed the options' rules when the config was read.
int positive(const po::variables_map& options, const char* name) { return options[name].as<int>(); }

}  // namespace

QueueSettings read_queue_settings(const po::variables_map& options, const std::filesystem::path& queue_directory) {
  QueueSettings settings;
  settings.queue.directory = queue_directory;
  const double max_mb = options["queue_max_mb"].as<double>();
  settings.queue.max_bytes = static_cast<std::uint64_t>(max_mb * 1024 * 1024);
  settings.queue.fsync = parse_fsync_policy(options["fsync"].as<std::string>()).value_or(FsyncPolicy::interval);
  settings.queue.fsync_interval = std::chrono::milliseconds(positive(options, "fsync_interval_ms"));
  settings.delivery.batch_records = static_cast<std::size_t>(positive(options, "batch_size"));
  settings.delivery.batch_interval = std::chrono::milliseconds(positive(options, "batch_interval_ms"));
  settings.delivery.backoff.initial = std::chrono::milliseconds(positive(options, "retry_initial_ms"));
  settings.delivery.backoff.maximum = std::chrono::milliseconds(positive(options, "retry_max_ms"));
  settings.delivery.stop_timeout = std::chrono::milliseconds(positive(options, "stop_timeout_ms"));
  settings.memory_keep = static_cast<std::size_t>(positive(options, "memory_keep"));
  if (settings.delivery.backoff.maximum < settings.delivery.backoff.initial)
    throw std::invalid_argument("option 'retry_max_ms' must not be below 'retry_initial_ms'");
  return settings;
}

}  // namespace meterd::disk_queue
