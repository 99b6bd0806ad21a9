#pragma once
// The server's bookkeeping of who holds what: connections in total and per client address,
// event streams per client address. Thread-safe; every admitted connection is released once.
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace meterd::http {

struct ServerOptions;

class ConnectionBudget {
 public:
  explicit ConnectionBudget(const ServerOptions& options);

  enum class Admission {
    serve,         // counted; serve it
    reserve_only,  // counted; only a privileged request may use it
    per_address,   // not counted: this address holds its share already (429)
    full,          // not counted: no connection left (503)
  };
  // `exempt` addresses (trusted proxies) are only held to the total.
  Admission admit(const std::string& peer, bool exempt);
  void release(const std::string& peer, bool exempt);
  std::size_t connections() const;

  // False when `client` already has its share of streams; otherwise counts one.
  bool open_stream(const std::string& client);
  void close_stream(const std::string& client);

 private:
  mutable std::mutex mutex_;
  std::size_t total_ = 0;
  std::map<std::string, std::size_t> per_address_;
  std::map<std::string, std::size_t> streams_;
  std::size_t max_total_, max_per_address_, reserved_, max_streams_;
};

}  // namespace meterd::http
