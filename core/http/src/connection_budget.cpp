#include "connection_budget.hpp"

#include "meterd/http/server.hpp"

namespace meterd::http {

ConnectionBudget::ConnectionBudget(const ServerOptions& options)
    : max_total_(options.max_connections),
      max_per_address_(options.max_connections_per_address),
      reserved_(options.privileged ? options.reserved_connections : 0),
      max_streams_(options.max_streams_per_address) {}

ConnectionBudget::Admission ConnectionBudget::admit(const std::string& peer, bool exempt) {
  std::lock_guard lock(mutex_);
  if (total_ >= max_total_) return Admission::full;
  if (!exempt && per_address_[peer] >= max_per_address_) return Admission::per_address;
  ++total_;
  if (!exempt) ++per_address_[peer];
  return total_ > max_total_ - reserved_ ? Admission::reserve_only : Admission::serve;
}

void ConnectionBudget::release(const std::string& peer, bool exempt) {
  std::lock_guard lock(mutex_);
  --total_;
  if (exempt) return;
  if (auto it = per_address_.find(peer); it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

std::size_t ConnectionBudget::connections() const {
  std::lock_guard lock(mutex_);
  return total_;
}

bool ConnectionBudget::open_stream(const std::string& client) {
  std::lock_guard lock(mutex_);
  auto& count = streams_[client];
  if (count >= max_streams_) return false;
  ++count;
  return true;
}

void ConnectionBudget::close_stream(const std::string& client) {
  std::lock_guard lock(mutex_);
  if (auto it = streams_.find(client); it != streams_.end() && --it->second == 0) streams_.erase(it);
}

}  // namespace meterd::http
