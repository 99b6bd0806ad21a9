#pragma once
// The broker options of every MQTT plugin (host, port, client_id, login, TLS files,
// keep-alive), declared and read in one place so the sink and the source are configured alike.
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>
#include <string>

#include "meterd/mqtt/mosquitto_client.hpp"

namespace meterd::mqtt {

// `prefix` goes before every option name, for a plugin whose section also speaks of other
// servers (the alerts sink: mqtt_host, mqtt_port, ...).
void describe_broker_options(boost::program_options::options_description& options, const std::string& prefix = "");

// `default_client_id` when client_id is left empty. Throws std::invalid_argument naming the
// option when the TLS options do not fit together.
BrokerSettings read_broker_settings(const boost::program_options::variables_map& options,
                                    const std::string& default_client_id, const std::string& prefix = "");

}  // namespace meterd::mqtt
