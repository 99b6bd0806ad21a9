#include "meterd/transport/reconnect_backoff.hpp"

#include <algorithm>
#include <stdexcept>

namespace meterd::transport {

ReconnectBackoff::ReconnectBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds maximum, double factor)
    : initial_(initial), maximum_(maximum), current_(initial), factor_(factor) {
  if (initial.count() <= 0 || maximum < initial || !(factor >= 1.0))
    throw std::invalid_argument("reconnect backoff needs 0 < initial <= maximum and factor >= 1");
}

std::chrono::milliseconds ReconnectBackoff::next() {
  const auto delay = current_;
  ++failures_;
  const double grown = static_cast<double>(current_.count()) * factor_;
  current_ = std::chrono::milliseconds(
      static_cast<std::chrono::milliseconds::rep>(std::min(grown, static_cast<double>(maximum_.count()))));
  return delay;
}

void ReconnectBackoff::reset() {
  current_ = initial_;
  failures_ = 0;
}

}  // namespace meterd::transport
