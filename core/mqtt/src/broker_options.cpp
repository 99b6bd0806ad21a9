#include "meterd/mqtt/broker_options.hpp"

#include "meterd/option_checks.hpp"

namespace po = boost::program_options;

namespace meterd::mqtt {

void describe_broker_options(po::options_description& options, const std::string& prefix) {
  const auto name = [&](const char* key) { return prefix + key; };
  options.add_options()
    (name("host").c_str(), po::value<std::string>()->default_value("127.0.0.1"), "MQTT broker host")
    (name("port").c_str(), po::value<int>()->default_value(1883)->notifier(sdk::in_range(1, 65535)), "MQTT broker port (8883 is usual for TLS)")
    (name("client_id").c_str(), po::value<std::string>()->default_value(""), "MQTT client id (default: meterd-<instance>)")
    (name("username").c_str(), po::value<std::string>()->default_value(""), "broker login")
    (name("password").c_str(), po::value<std::string>()->default_value(""), "broker password")
    (name("tls").c_str(), po::value<bool>()->default_value(false), "connect with TLS, checking the broker certificate")
    (name("ca_file").c_str(), po::value<std::string>()->default_value(""), "CA certificate(s) for TLS (PEM); system CAs if empty")
    (name("cert_file").c_str(), po::value<std::string>()->default_value(""), "client certificate for TLS (PEM), with key_file")
    (name("key_file").c_str(), po::value<std::string>()->default_value(""), "private key of cert_file (PEM, unencrypted)")
    (name("keepalive_s").c_str(), po::value<int>()->default_value(30)->notifier(sdk::in_range(5, 65535)), "MQTT keep-alive");
}

BrokerSettings read_broker_settings(const po::variables_map& o, const std::string& default_client_id,
                                    const std::string& prefix) {
  BrokerSettings broker;
  broker.host = o[prefix + "host"].as<std::string>();
  broker.port = o[prefix + "port"].as<int>();
  broker.client_id = o[prefix + "client_id"].as<std::string>();
  if (broker.client_id.empty()) broker.client_id = default_client_id;
  broker.username = o[prefix + "username"].as<std::string>();
  broker.password = o[prefix + "password"].as<std::string>();
  broker.tls = o[prefix + "tls"].as<bool>();
  broker.ca_file = o[prefix + "ca_file"].as<std::string>();
  broker.cert_file = o[prefix + "cert_file"].as<std::string>();
  broker.key_file = o[prefix + "key_file"].as<std::string>();
  broker.keepalive_s = o[prefix + "keepalive_s"].as<int>();
  check_tls_files(broker);
  return broker;
}

}  // namespace meterd::mqtt
