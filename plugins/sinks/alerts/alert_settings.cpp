#include "alert_settings.hpp"

#include "meterd/mqtt/broker_options.hpp"
#include "meterd/option_checks.hpp"

namespace po = boost::program_options;

namespace meterd::alerts {
namespace {

std::string text(const po::variables_map& o, const char* key) { return o[key].as<std::string>(); }

}  // namespace

void describe_alert_options(po::options_description& options) {
  options.add_options()
    ("alert.*", po::value<std::string>(), "a rule setting: alert.NAME.when, .for, .clear_for, .meter, .instance, "
     ".quiet_hours, .night, .repeat, .cooldown, .hysteresis, .channels (docs/alerts.md)")
    ("quiet_hours", po::value<std::string>()->default_value("none")->notifier(sdk::parses_with(parse_window)),
     "daily window (local time) in which notices wait, e.g. 22:00-07:00; a rule may set its own")
    ("cooldown", po::value<std::string>()->default_value("15 min")->notifier(sdk::parses_with(parse_duration_ms)),
     "after a resolve, a new episode of the same alert is announced only this much later")
    ("max_age", po::value<std::string>()->default_value("1 h")->notifier(sdk::parses_with(parse_duration_ms)),
     "readings older than this (a history backfill) are not judged; 0: every reading is")
    ("queue_size", po::value<int>()->default_value(1000)->notifier(sdk::in_range(1, 1'000'000)),
     "notices kept per channel while its server is unreachable; beyond it the oldest is dropped")
    ("retry_initial_ms", po::value<int>()->default_value(1000)->notifier(sdk::in_range(10, 3'600'000)), "first wait after a failed delivery")
    ("retry_max_ms", po::value<int>()->default_value(300'000)->notifier(sdk::in_range(10, 86'400'000)), "longest wait between delivery attempts")
    ("webhook_url", po::value<std::string>()->default_value(""), "POST notices as JSON to this http:// or https:// URL")
    ("webhook_secret", po::value<std::string>()->default_value(""), "sign the body: X-Meterd-Signature: sha256=<HMAC-SHA256 hex>")
    ("webhook_header", po::value<std::vector<std::string>>()->composing(), "extra request header 'Name: value' (repeatable)")
    ("webhook_topic", po::value<std::string>()->default_value(""), "ntfy topic, when webhook_url is the ntfy server's root")
    ("webhook_ca_file", po::value<std::string>()->default_value(""), "CA certificate(s) for https (PEM); system CAs if empty")
    ("smtp_url", po::value<std::string>()->default_value(""), "send notices by e-mail through this server: smtp://host:587 or smtps://host:465")
    ("smtp_username", po::value<std::string>()->default_value(""), "SMTP login")
    ("smtp_password", po::value<std::string>()->default_value(""), "SMTP password")
    ("smtp_from", po::value<std::string>()->default_value(""), "sender address")
    ("smtp_to", po::value<std::string>()->default_value(""), "comma-separated recipient addresses")
    ("smtp_require_tls", po::value<bool>()->default_value(true), "refuse to send without STARTTLS (false only for a relay on this host)")
    ("smtp_ca_file", po::value<std::string>()->default_value(""), "CA certificate(s) for the SMTP server (PEM); system CAs if empty")
    ("mqtt", po::value<bool>()->default_value(false), "publish alert states to an MQTT broker (mqtt_host, ...)")
    ("mqtt_base_topic", po::value<std::string>()->default_value("meterd"), "alert topics are <base>/alerts/<rule>/state and .../attributes")
    ("mqtt_discovery_prefix", po::value<std::string>()->default_value("homeassistant"), "Home Assistant discovery prefix (empty: no discovery)");
  mqtt::describe_broker_options(options, "mqtt_");
}

AlertSettings read_alert_settings(const po::variables_map& o, const std::string& instance) {
  AlertSettings s;
  s.queue_size = static_cast<std::size_t>(o["queue_size"].as<int>());
  s.backoff.initial = std::chrono::milliseconds(o["retry_initial_ms"].as<int>());
  s.backoff.maximum = std::chrono::milliseconds(o["retry_max_ms"].as<int>());
  s.max_age_ms = parse_duration_ms(text(o, "max_age"));
  std::set<std::string> channels;
  if (const auto url = text(o, "webhook_url"); !url.empty()) {
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
      throw std::invalid_argument("option 'webhook_url': '" + url + "' must start with http:// or https://");
    WebhookSettings w;
    w.url = url;
    w.secret = text(o, "webhook_secret");
    if (o.count("webhook_header")) w.headers = o["webhook_header"].as<std::vector<std::string>>();
    for (const auto& h : w.headers)
      if (h.find(':') == std::string::npos || h.find(':') == 0)
        throw std::invalid_argument("option 'webhook_header': '" + h + "' must look like 'Name: value'");
    w.topic = text(o, "webhook_topic");
    w.ca_file = text(o, "webhook_ca_file");
    s.webhook = w;
    channels.insert("webhook");
  }
  if (const auto url = text(o, "smtp_url"); !url.empty()) {
    if (url.rfind("smtp://", 0) != 0 && url.rfind("smtps://", 0) != 0)
      throw std::invalid_argument("option 'smtp_url': '" + url + "' must start with smtp:// (STARTTLS) or smtps://");
    EmailSettings e;
    e.url = url;
    e.username = text(o, "smtp_username");
    e.password = text(o, "smtp_password");
    e.from = text(o, "smtp_from");
    e.to = split_list(text(o, "smtp_to"));
    e.require_tls = o["smtp_require_tls"].as<bool>();
    e.ca_file = text(o, "smtp_ca_file");
    if (e.from.find('@') == std::string::npos)
      throw std::invalid_argument("option 'smtp_from': give the sender's address, e.g. smtp_from = meterd@example.org");
    if (e.to.empty()) throw std::invalid_argument("option 'smtp_to': give at least one recipient address");
    s.email = e;
    channels.insert("email");
  }
  if (o["mqtt"].as<bool>()) {
    MqttChannelSettings m;
    m.broker = mqtt::read_broker_settings(o, "meterd-alerts-" + instance, "mqtt_");
    m.base_topic = text(o, "mqtt_base_topic");
    m.discovery_prefix = text(o, "mqtt_discovery_prefix");
    s.mqtt = m;
    channels.insert("mqtt");
  }
  if (channels.empty())
    throw std::invalid_argument("no channel is configured, so no one would be told; set webhook_url, smtp_url or mqtt = true");
  RuleDefaults defaults;
  defaults.quiet = parse_window(text(o, "quiet_hours"));
  defaults.cooldown_ms = parse_duration_ms(text(o, "cooldown"));
  const auto meters = o.count("meters") ? split_list(o["meters"].as<std::string>()) : std::vector<std::string>{};
  s.rules = read_rules(o, defaults, meters, channels);
  if (s.rules.empty())
    throw std::invalid_argument("no rule: add at least one, e.g. alert.meter_silent.when = silent 15 min (docs/alerts.md)");
  return s;
}

}  // namespace meterd::alerts
