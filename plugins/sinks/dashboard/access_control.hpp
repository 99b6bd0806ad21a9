#pragma once
// Who may see what: the admin (password login, session cookie) and share links (read-only,
// revocable, optionally expiring, scoped to meters, a date range and a detail level).
// Login attempts are throttled per client address and for the account (login_throttle.hpp).
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "login_throttle.hpp"
#include "sqlite_db.hpp"

namespace meterd::dashboard {

// What a share may show: `daily` = day/week/month/year energy and cost only; `hourly` adds
// hourly energy and series at 15 min or coarser; `full` adds raw series, voltage and live data.
enum class Detail { daily = 1, hourly = 2, full = 3 };
bool parse_detail(const std::string& text, Detail& out);
const char* detail_name(Detail detail);

struct Share {
  std::string id;  // public handle for listing and revoking; not the token
  std::string label;
  std::vector<std::string> meters;
  std::int64_t from_ms = 0, to_ms = 0;  // visible data range
  Detail detail = Detail::daily;
  std::optional<std::int64_t> expires_ms;
  bool revoked = false;
  std::int64_t created_ms = 0;
};

// What the current request may access.
struct Access {
  bool admin = false;
  std::optional<Share> share;
  bool allows_meter(const std::string& meter) const;
  // Clamps [from, to) into the share's range; false when nothing is left.
  bool clamp_range(std::int64_t& from_ms, std::int64_t& to_ms) const;
  bool at_least(Detail detail) const { return admin || (share && share->detail >= detail); }
};

class AccessControl {
 public:
  // `configured_password` empty: keep the stored hash, or create a password and return it
  // through `generated_password` so the caller prints it once.
  AccessControl(const std::filesystem::path& file, const std::string& configured_password,
                std::string* generated_password);

  struct LoginResult {
    bool ok = false;
    std::string session;          // cookie value when ok
    std::int64_t retry_after_s = 0;  // > 0 when the attempt came inside a wait and was not checked
    std::optional<std::string> log_line;  // a rate-limited summary of failed logins, for the log
  };
  // The password is checked (about 0.1 s of PBKDF2) outside the lock other requests need, one
  // check at a time; a second concurrent attempt is told to retry in a second.
  LoginResult login(const std::string& password, const std::string& client, std::int64_t now_ms);
  bool session_valid(const std::string& session, std::int64_t now_ms);
  // When a valid session ends; nullopt when it is unknown or over.
  std::optional<std::int64_t> session_expiry(const std::string& session, std::int64_t now_ms);
  void logout(const std::string& session);

  // Returns the token (only now; the store keeps its hash).
  std::string create_share(Share& share, std::int64_t now_ms);
  std::vector<Share> shares();
  bool revoke_share(const std::string& id);
  // A valid (not revoked, not expired) share for a token.
  std::optional<Share> resolve_share(const std::string& token, std::int64_t now_ms);
  // Whether the share with this id is still valid (for open live streams).
  bool share_active(const std::string& id, std::int64_t now_ms);

  static constexpr std::int64_t kSessionMs = 12 * 3600 * 1000;

 private:
  std::mutex mutex_;
  Db db_;
  std::string password_hash_;
  std::map<std::string, std::int64_t> sessions_;  // hash of session -> expiry
  LoginThrottle throttle_;
  std::mutex verify_mutex_;  // one PBKDF2 check at a time, so logins cannot occupy every worker
};

}  // namespace meterd::dashboard
