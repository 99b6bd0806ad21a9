#include "meterd/disk_queue/queue_settings.hpp"

#include <stdexcept>
#include <string>

namespace po = boost::program_options;

namespace meterd::disk_queue {

void describe_queue_options(po::options_description& options, int default_batch_size) {
  options.add_options()
    ("batch_size", po::value<int>()->default_value(default_batch_size),
     "send as soon as this many readings are queued")
    ("batch_interval_ms", po::value<int>()->default_value(1000),
     "send a smaller batch once its oldest reading has waited this long")
    ("queue_max_mb", po::value<double>()->default_value(256),
     "disk budget of the store-and-forward queue; the oldest unsent readings are dropped beyond it")
    ("fsync", po::value<std::string>()->default_value("interval"),
     "when queued readings are forced to disk: always, interval or never")
    ("fsync_interval_ms", po::value<int>()->default_value(1000), "for fsync = interval")
    ("retry_initial_ms", po::value<int>()->default_value(500), "first wait after a failed delivery")
    ("retry_max_ms", po::value<int>()->default_value(60000), "longest wait between delivery attempts")
    ("stop_timeout_ms", po::value<int>()->default_value(5000),
     "how long shutdown keeps delivering; what is left stays queued for the next start");
}

namespace {

int positive(const po::variables_map& options, const char* name) {
  const int value = options[name].as<int>();
  if (value <= 0) throw std::invalid_argument(std::string("option '") + name + "' must be greater than 0");
  return value;
}

}  // namespace

QueueSettings read_queue_settings(const po::variables_map& options, const std::filesystem::path& queue_directory) {
  QueueSettings settings;
  settings.queue.directory = queue_directory;
  const double max_mb = options["queue_max_mb"].as<double>();
  if (!(max_mb >= 0.05)) throw std::invalid_argument("option 'queue_max_mb' must be at least 0.05");
  settings.queue.max_bytes = static_cast<std::uint64_t>(max_mb * 1024 * 1024);
  const auto policy = parse_fsync_policy(options["fsync"].as<std::string>());
  if (!policy) throw std::invalid_argument("option 'fsync' must be always, interval or never");
  settings.queue.fsync = *policy;
  settings.queue.fsync_interval = std::chrono::milliseconds(positive(options, "fsync_interval_ms"));
  settings.delivery.batch_records = static_cast<std::size_t>(positive(options, "batch_size"));
  settings.delivery.batch_interval = std::chrono::milliseconds(positive(options, "batch_interval_ms"));
  settings.delivery.backoff.initial = std::chrono::milliseconds(positive(options, "retry_initial_ms"));
  settings.delivery.backoff.maximum = std::chrono::milliseconds(positive(options, "retry_max_ms"));
  settings.delivery.stop_timeout = std::chrono::milliseconds(positive(options, "stop_timeout_ms"));
  return settings;
}

}  // namespace meterd::disk_queue
