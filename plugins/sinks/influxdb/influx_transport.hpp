#pragma once
// Turns a batch of queued readings into one line protocol request and reports how much of it
// InfluxDB acknowledged.
#include <functional>
#include <string>

#include "influx_client.hpp"
#include "meterd/disk_queue/batch_transport.hpp"

namespace meterd::influx {

class InfluxTransport : public disk_queue::BatchTransport {
 public:
  // `rejected` is told about batches the server refused as malformed (HTTP 400): retrying
  // those can never succeed, so they are acknowledged and reported instead of blocking the
  // queue forever. It gets the number of readings and the server's message.
  InfluxTransport(InfluxClient& client, std::function<void(std::size_t, const std::string&)> rejected);
  disk_queue::DeliveryResult deliver(std::span<const std::string> records) override;

  // The request body for a batch (exposed for tests and the benchmark).
  std::string format_batch(std::span<const std::string> records) const;

 private:
  InfluxClient& client_;
  std::function<void(std::size_t, const std::string&)> rejected_;
};

}  // namespace meterd::influx
