#pragma once
// The mqtt source's options: the broker (shared with the mqtt sink), the format and its
// mapping, the inbox. Read into settings once, so --check-config and a start refuse alike.
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>
#include <string>
#include <vector>

#include "meterd/disk_queue/fsync_policy.hpp"
#include "meterd/mqtt/mosquitto_client.hpp"
#include "message_decoder.hpp"

namespace meterd::mqtt_source {

struct SourceSettings {
  mqtt::BrokerSettings broker;
  DecoderSettings decoder;
  std::string time_zone;  // empty: [meterd] time_zone
  std::uint64_t inbox_max = 10'000;
  std::uint64_t inbox_max_mb = 256;
  disk_queue::FsyncPolicy fsync = disk_queue::FsyncPolicy::interval;
  std::size_t remember_ids = 5'000;
};

void describe_source_options(boost::program_options::options_description& options);
// Throws std::invalid_argument naming the option and what to write.
SourceSettings read_source_settings(const boost::program_options::variables_map& options, const std::string& instance);

}  // namespace meterd::mqtt_source
