#pragma once
// Slows password guessing without handing anyone a way to lock the owner out. Each wrong
// password makes the next attempt wait longer, counted per client address (growing to
// minutes) and for the account as a whole (growing only to a few seconds, because every
// address shares it). An attempt inside a wait is answered at once with the seconds left and
// is not checked; after the wait the right password is accepted as always. Nothing is ever
// refused for longer than the waits, so an attacker cannot keep the owner out.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace meterd::dashboard {

struct ThrottleOptions {
  int free_failures_per_address = 3;        // wrong passwords before any wait
  std::int64_t address_base_ms = 1000;      // first wait, doubled by each further failure
  std::int64_t address_max_ms = 300'000;
  int free_failures_account = 10;
  std::int64_t account_base_ms = 250;
  std::int64_t account_max_ms = 4000;
  std::int64_t forget_after_ms = 15 * 60'000;  // failures older than this no longer count
};

class LoginThrottle {
 public:
  explicit LoginThrottle(ThrottleOptions options = {}) : options_(options) {}

  // Milliseconds `client` must still wait before its password is checked; 0: go ahead.
  std::int64_t wait_ms(const std::string& client, std::int64_t now_ms);
  void failed(const std::string& client, std::int64_t now_ms);
  void succeeded(const std::string& client);

  // A log line summing up the failures since the last one, at most once a minute.
  std::optional<std::string> failure_report(std::int64_t now_ms);

 private:
  struct Record {
    int failures = 0;
    std::int64_t last_ms = 0;
  };
  std::int64_t wait_of(const Record& r, int free, std::int64_t base, std::int64_t max, std::int64_t now_ms) const;
  void forget_old(std::int64_t now_ms);

  ThrottleOptions options_;
  std::mutex mutex_;
  std::map<std::string, Record> by_address_;
  Record account_;
  int unreported_ = 0;
  std::string last_client_;
  std::int64_t last_report_ms_ = 0;
};

}  // namespace meterd::dashboard
