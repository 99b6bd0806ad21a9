#pragma once
// Sends line protocol batches to InfluxDB over HTTP(S) with libcurl and turns every outcome
// into a DeliveryResult: 204 acknowledges the batch, anything else says what went wrong.
#include <chrono>
#include <memory>
#include <string>

#include "influx_endpoint.hpp"
#include "meterd/disk_queue/batch_transport.hpp"

namespace meterd::influx {

struct TransportSecurity {
  std::string ca_file;       // extra CA bundle for a self-signed server; system CAs otherwise
  bool verify_tls = true;    // never turn off outside tests of the refusal path
};

struct HttpOutcome {
  long status = 0;           // 0 when no HTTP reply came
  std::string error;         // transport error or server message
};

class InfluxClient {
 public:
  InfluxClient(InfluxEndpoint endpoint, TransportSecurity security, bool gzip, std::chrono::milliseconds timeout);
  ~InfluxClient();
  InfluxClient(const InfluxClient&) = delete;
  InfluxClient& operator=(const InfluxClient&) = delete;

  HttpOutcome post_lines(const std::string& body);
  const InfluxEndpoint& endpoint() const { return endpoint_; }

 private:
  InfluxEndpoint endpoint_;
  TransportSecurity security_;
  bool gzip_;
  std::chrono::milliseconds timeout_;
  std::string url_;
  void* curl_ = nullptr;  // CURL*, reused so keep-alive connections survive between batches
};

}  // namespace meterd::influx
