#pragma once
// The HTTP side of the exporter: a meterd::http server answering GET (and HEAD) on one path
// with the current tables rendered in the text exposition format. Other paths get 404 and
// other methods 405 from the shared router. Handlers run on the server's thread and only
// read the tables, which guard themselves.
#include <functional>
#include <memory>
#include <string>

#include "balance_table.hpp"
#include "health_table.hpp"
#include "meter_table.hpp"
#include "price_table.hpp"
#include "meterd/http/server.hpp"

namespace meterd::prometheus {

inline constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

struct EndpointOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 9464;
  std::string path = "/metrics";
};

// Renders the tables as one exposition page; also what the benchmark times. The balance
// (when roles are configured) and the prices valid now are judged at the wall-clock time `now_ms`.
std::string render_metrics(MeterTable& meters, const HealthTable& health, MeterTable::Clock::time_point now,
                           const BalanceTable* balance = nullptr, std::int64_t now_ms = 0, PriceTable* prices = nullptr);

class MetricsEndpoint {
 public:
  // Throws std::invalid_argument for a path that does not start with '/'.
  MetricsEndpoint(EndpointOptions options, MeterTable& meters, const HealthTable& health,
                  const BalanceTable* balance = nullptr, PriceTable* prices = nullptr);
  ~MetricsEndpoint();
  // Binds; throws std::runtime_error naming the address when that fails.
  void start();
  void stop();
  unsigned short port() const;

 private:
  std::unique_ptr<http::Server> server_;
};

}  // namespace meterd::prometheus
