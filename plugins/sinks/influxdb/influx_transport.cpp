#include "influx_transport.hpp"

#include "influx_schema.hpp"

namespace meterd::influx {

InfluxTransport::InfluxTransport(InfluxClient& client, std::function<void(std::size_t, const std::string&)> rejected)
    : client_(client), rejected_(std::move(rejected)) {}

std::string InfluxTransport::format_batch(std::span<const std::string> records) const {
  std::string body;
  v1::Reading reading;
  for (const std::string& record : records) {
    if (!reading.ParseFromString(record)) continue;  // cannot happen: we wrote it ourselves
    for (const Point& point : points_for_reading(reading)) {
      std::string line = format_line(point, client_.endpoint().precision);
      if (line.empty()) continue;
      body += line;
      body += '\n';
    }
  }
  return body;
}

disk_queue::DeliveryResult InfluxTransport::deliver(std::span<const std::string> records) {
  const std::string body = format_batch(records);
  if (body.empty()) return {records.size(), {}};  // nothing numeric to write
  const HttpOutcome outcome = client_.post_lines(body);
  if (outcome.status == 204 || outcome.status == 200) return {records.size(), {}};
  if (outcome.status == 400) {
    if (rejected_) rejected_(records.size(), outcome.error);
    return {records.size(), {}};
  }
  return {0, outcome.error};
}

}  // namespace meterd::influx
