#pragma once
// The alerts sink's options (README.md): declared once, read once, for --check-config and
// for the start alike.
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>
#include <optional>
#include <vector>

#include "alert_rule.hpp"
#include "email_channel.hpp"
#include "meterd/disk_queue/backoff.hpp"
#include "mqtt_channel.hpp"
#include "webhook_channel.hpp"

namespace meterd::alerts {

struct AlertSettings {
  std::vector<Rule> rules;
  std::optional<WebhookSettings> webhook;
  std::optional<EmailSettings> email;
  std::optional<MqttChannelSettings> mqtt;
  std::size_t queue_size = 1000;
  disk_queue::BackoffOptions backoff;
  std::int64_t max_age_ms = 3'600'000;
};

void describe_alert_options(boost::program_options::options_description& options);
// Throws std::invalid_argument saying which option to change and how.
AlertSettings read_alert_settings(const boost::program_options::variables_map& options, const std::string& instance);

}  // namespace meterd::alerts
