#pragma once
// The mqtt source: subscribes with QoS 1 in a persistent session, journals each message in
// its inbox before the broker's copy is acknowledged, decodes it by format, drops reading ids
// already published, publishes, and forgets the messages once the sinks hold their readings.
#include <map>
#include <memory>

#include "inbox.hpp"
#include "meterd/diagnostic_throttle.hpp"
#include "meterd/mqtt/mosquitto_client.hpp"
#include "meterd/plugin.hpp"
#include "seen_ids.hpp"
#include "source_options.hpp"

namespace meterd::mqtt_source {

class MqttSource : public sdk::Source {
 public:
  explicit MqttSource(sdk::SourceContext& context);
  void run(std::stop_token stop) override;

 private:
  void on_message(const std::string& topic, const std::string& payload, bool retained);
  void handle(const disk_queue::QueueBatch& batch);
  // Waits until the sinks hold what was published; false when stopping first.
  bool confirm(std::stop_token stop);
  void report(const Problem& problem);
  void report_connection();

  sdk::SourceContext& context_;
  SourceSettings settings_;
  MessageDecoder decoder_;
  Inbox inbox_;
  SeenIds seen_;
  std::map<std::string, DiagnosticThrottle> throttles_;  // per diagnostic code
  std::unique_ptr<mqtt::MosquittoClient> client_;
  bool was_connected_ = false;
  std::chrono::steady_clock::time_point down_since_ = std::chrono::steady_clock::now();
  DiagnosticThrottle connection_throttle_;
};

void check_options(const boost::program_options::variables_map& options);

}  // namespace meterd::mqtt_source
