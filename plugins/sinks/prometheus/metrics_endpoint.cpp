#include "metrics_endpoint.hpp"

#include <chrono>
#include <stdexcept>

namespace meterd::prometheus {

std::string render_metrics(MeterTable& meters, const HealthTable& health, MeterTable::Clock::time_point now,
                           const BalanceTable* balance, std::int64_t now_ms, PriceTable* prices) {
  FamilySet families;
  meters.append_to(families, now);
  health.append_to(families);
  if (balance) balance->append_to(families, now_ms);
  if (prices) prices->append_to(families, now_ms);
  return families.render();
}

MetricsEndpoint::MetricsEndpoint(EndpointOptions options, MeterTable& meters, const HealthTable& health,
                                 const BalanceTable* balance, PriceTable* prices) {
  if (!options.path.starts_with('/')) throw std::invalid_argument("option 'path' must start with '/'");
  auto router = std::make_shared<http::Router>();
  router->add("GET", options.path, [&meters, &health, balance, prices](http::Request&) {
    const auto wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
    http::Response response =
        http::Response::text(200, render_metrics(meters, health, MeterTable::Clock::now(), balance, wall_ms, prices), kContentType);
    // Every scrape must see the present state, never a cached page.
    response.set_header("Cache-Control", "no-store");
    return response;
  });
  http::ServerOptions server_options;
  server_options.address = options.host;
  server_options.port = options.port;
  server_ = std::make_unique<http::Server>(server_options, std::move(router));
}

MetricsEndpoint::~MetricsEndpoint() { stop(); }

void MetricsEndpoint::start() { server_->start(); }
void MetricsEndpoint::stop() { server_->stop(); }
unsigned short MetricsEndpoint::port() const { return server_->port(); }

}  // namespace meterd::prometheus
