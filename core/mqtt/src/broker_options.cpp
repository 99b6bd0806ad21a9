#include "meterd/mqtt/broker_options.hpp"

#include "meterd/option_checks.hpp"

namespace po = boost::program_options;

namespace meterd::mqtt {

void describe_broker_options(po::options_description& options) {
  options.add_options()
    ("host", po::value<std::string>()->default_value("127.0.0.1"), "MQTT broker host")
    ("port", po::value<int>()->default_value(1883)->notifier(sdk::in_range(1, 65535)), "MQTT broker port (8883 is usual for TLS)")
    ("client_id", po::value<std::string>()->default_value(""), "MQTT client id (default: meterd-<instance>)")
    ("username", po::value<std::string>()->default_value(""), "broker login")
    ("password", po::value<std::string>()->default_value(""), "broker password")
    ("tls", po::value<bool>()->default_value(false), "connect with TLS, checking the broker certificate")
    ("ca_file", po::value<std::string>()->default_value(""), "CA certificate(s) for TLS (PEM); system CAs if empty")
    ("cert_file", po::value<std::string>()->default_value(""), "client certificate for TLS (PEM), with key_file")
    ("key_file", po::value<std::string>()->default_value(""), "private key of cert_file (PEM, unencrypted)")
    ("keepalive_s", po::value<int>()->default_value(30)->notifier(sdk::in_range(5, 65535)), "MQTT keep-alive");
}

BrokerSettings read_broker_settings(const po::variables_map& o, const std::string& default_client_id) {
  BrokerSettings broker;
  broker.host = o["host"].as<std::string>();
  broker.port = o["port"].as<int>();
  broker.client_id = o["client_id"].as<std::string>();
  if (broker.client_id.empty()) broker.client_id = default_client_id;
  broker.username = o["username"].as<std::string>();
  broker.password = o["password"].as<std::string>();
  broker.tls = o["tls"].as<bool>();
  broker.ca_file = o["ca_file"].as<std::string>();
  broker.cert_file = o["cert_file"].as<std::string>();
  broker.key_file = o["key_file"].as<std::string>();
  broker.keepalive_s = o["keepalive_s"].as<int>();
  check_tls_files(broker);
  return broker;
}

}  // namespace meterd::mqtt
