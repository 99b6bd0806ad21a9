#include "login_throttle.hpp"

#include <algorithm>

namespace meterd::dashboard {

std::int64_t LoginThrottle::wait_of(const Record& r, int free, std::int64_t base, std::int64_t max,
                                    std::int64_t now_ms) const {
  if (r.failures < free) return 0;
  // Doubling stops at the cap long before the shift could overflow.
  const int doublings = std::min(r.failures - free, 30);
  const std::int64_t wait = std::min(max, base << doublings);
  return std::max<std::int64_t>(0, r.last_ms + wait - now_ms);
}

void LoginThrottle::forget_old(std::int64_t now_ms) {
  std::erase_if(by_address_, [&](const auto& e) { return now_ms - e.second.last_ms > options_.forget_after_ms; });
  if (now_ms - account_.last_ms > options_.forget_after_ms) account_ = {};
}

std::int64_t LoginThrottle::wait_ms(const std::string& client, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  forget_old(now_ms);
  std::int64_t wait = wait_of(account_, options_.free_failures_account, options_.account_base_ms,
                              options_.account_max_ms, now_ms);
  if (auto it = by_address_.find(client); it != by_address_.end())
    wait = std::max(wait, wait_of(it->second, options_.free_failures_per_address, options_.address_base_ms,
                                  options_.address_max_ms, now_ms));
  return wait;
}

void LoginThrottle::failed(const std::string& client, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  // Bounded memory under a flood from many addresses: the oldest record goes first.
  if (by_address_.size() >= 10'000 && !by_address_.count(client)) {
    auto oldest = std::min_element(by_address_.begin(), by_address_.end(),
                                   [](const auto& a, const auto& b) { return a.second.last_ms < b.second.last_ms; });
    by_address_.erase(oldest);
  }
  auto& r = by_address_[client];
  ++r.failures;
  r.last_ms = now_ms;
  ++account_.failures;
  account_.last_ms = now_ms;
  ++unreported_;
  last_client_ = client;
}

void LoginThrottle::succeeded(const std::string& client) {
  std::lock_guard lock(mutex_);
  by_address_.erase(client);
  account_ = {};
}

std::optional<std::string> LoginThrottle::failure_report(std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (unreported_ == 0 || now_ms - last_report_ms_ < 60'000) return std::nullopt;
  std::string line = std::to_string(unreported_) + " failed dashboard login" + (unreported_ == 1 ? "" : "s") +
                     " since the last report, the latest from " + last_client_;
  unreported_ = 0;
  last_report_ms_ = now_ms;
  return line;
}

}  // namespace meterd::dashboard
