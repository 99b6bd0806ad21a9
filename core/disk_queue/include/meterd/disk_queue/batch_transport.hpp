#pragma once
// What a sink implements to send queued records to its server.
#include <cstddef>
#include <span>
#include <string>

namespace meterd::disk_queue {

struct DeliveryResult {
  // How many records, from the start of the batch, the server has acknowledged. Only these
  // are removed from the queue; the rest are sent again later.
  std::size_t acknowledged = 0;
  std::string error;  // why the rest was not acknowledged, for the Diagnostic
};

class BatchTransport {
 public:
  virtual ~BatchTransport() = default;
  // Sends the records and waits for the server's acknowledgement. Must not throw for server
  // or network problems: report them in `error`.
  virtual DeliveryResult deliver(std::span<const std::string> records) = 0;
};

}  // namespace meterd::disk_queue
