#include "access_control.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "password_hash.hpp"

namespace meterd::dashboard {

bool parse_detail(const std::string& text, Detail& out) {
  if (text == "daily") out = Detail::daily;
  else if (text == "hourly") out = Detail::hourly;
  else if (text == "full") out = Detail::full;
  else return false;
  return true;
}

const char* detail_name(Detail detail) {
  switch (detail) {
    case Detail::daily: return "daily";
    case Detail::hourly: return "hourly";
    case Detail::full: return "full";
  }
  return "daily";
}

bool Access::allows_meter(const std::string& meter) const {
  if (admin) return true;
  return share && std::find(share->meters.begin(), share->meters.end(), meter) != share->meters.end();
}

bool Access::clamp_range(std::int64_t& from_ms, std::int64_t& to_ms) const {
  if (admin) return to_ms > from_ms;
  if (!share) return false;
  from_ms = std::max(from_ms, share->from_ms);
  to_ms = std::min(to_ms, share->to_ms);
  return to_ms > from_ms;
}

AccessControl::AccessControl(const std::filesystem::path& file, const std::string& configured_password,
                             std::string* generated_password)
    : db_(file) {
  db_.exec("PRAGMA journal_mode=WAL");
  db_.exec(
      "CREATE TABLE IF NOT EXISTS setting(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS share(id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, spec TEXT NOT NULL,"
      " revoked INTEGER NOT NULL DEFAULT 0)");
  auto read = db_.prepare("SELECT value FROM setting WHERE key='admin_password'");
  if (read.step()) password_hash_ = read.text(0);
  std::string chosen = configured_password;
  if (chosen.empty() && password_hash_.empty()) {
    chosen = random_token(12);
    if (generated_password) *generated_password = chosen;
  }
  if (!chosen.empty() && !verify_password(chosen, password_hash_)) {
    password_hash_ = hash_password(chosen);
    auto write = db_.prepare("INSERT OR REPLACE INTO setting(key, value) VALUES('admin_password', ?)");
    write.bind(1, password_hash_);
    write.run();
  }
}

AccessControl::LoginResult AccessControl::login(const std::string& password, const std::string& client,
                                                std::int64_t now_ms) {
  LoginResult result;
  if (const auto wait = throttle_.wait_ms(client, now_ms); wait > 0) {
    result.retry_after_s = (wait + 999) / 1000;
    return result;
  }
  std::unique_lock checking(verify_mutex_, std::try_to_lock);
  if (!checking.owns_lock()) {
    result.retry_after_s = 1;
    return result;
  }
  std::string stored;
  {
    std::lock_guard lock(mutex_);
    stored = password_hash_;
  }
  if (!verify_password(password, stored)) {
    throttle_.failed(client, now_ms);
    result.log_line = throttle_.failure_report(now_ms);
    return result;
  }
  checking.unlock();
  throttle_.succeeded(client);
  result.ok = true;
  result.session = random_token(32);
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_, [&](const auto& s) { return s.second < now_ms; });
  sessions_[sha256_hex(result.session)] = now_ms + kSessionMs;
  return result;
}

bool AccessControl::session_valid(const std::string& session, std::int64_t now_ms) {
  return session_expiry(session, now_ms).has_value();
}

std::optional<std::int64_t> AccessControl::session_expiry(const std::string& session, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(sha256_hex(session));
  if (it == sessions_.end() || it->second <= now_ms) return std::nullopt;
  return it->second;
}

void AccessControl::logout(const std::string& session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(sha256_hex(session));
}

namespace {
nlohmann::json to_json(const Share& s) {
  nlohmann::json j{{"label", s.label}, {"meters", s.meters}, {"from_ms", s.from_ms}, {"to_ms", s.to_ms},
                   {"detail", detail_name(s.detail)}, {"created_ms", s.created_ms}};
  if (s.expires_ms) j["expires_ms"] = *s.expires_ms;
  return j;
}

Share from_json(const std::string& id, const nlohmann::json& j, bool revoked) {
  Share s;
  s.id = id;
  s.label = j.value("label", "");
  s.meters = j.at("meters").get<std::vector<std::string>>();
  s.from_ms = j.at("from_ms");
  s.to_ms = j.at("to_ms");
  parse_detail(j.at("detail"), s.detail);
  if (j.contains("expires_ms")) s.expires_ms = j["expires_ms"].get<std::int64_t>();
  s.created_ms = j.value("created_ms", std::int64_t{0});
  s.revoked = revoked;
  return s;
}
}  // namespace

std::string AccessControl::create_share(Share& share, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  const auto token = random_token(24);
  share.id = random_token(8);
  share.created_ms = now_ms;
  auto insert = db_.prepare("INSERT INTO share(id, token_hash, spec) VALUES(?,?,?)");
  insert.bind(1, share.id).bind(2, sha256_hex(token)).bind(3, to_json(share).dump());
  insert.run();
  return token;
}

std::vector<Share> AccessControl::shares() {
  std::lock_guard lock(mutex_);
  std::vector<Share> out;
  auto q = db_.prepare("SELECT id, spec, revoked FROM share ORDER BY rowid");
  while (q.step()) out.push_back(from_json(q.text(0), nlohmann::json::parse(q.text(1)), q.int64(2) != 0));
  return out;
}

bool AccessControl::revoke_share(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto u = db_.prepare("UPDATE share SET revoked=1 WHERE id=?");
  u.bind(1, id);
  u.run();
  return sqlite3_changes(db_.handle()) > 0;
}

bool AccessControl::share_active(const std::string& id, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto q = db_.prepare("SELECT spec, revoked FROM share WHERE id=?");
  q.bind(1, id);
  if (!q.step() || q.int64(1) != 0) return false;
  const auto share = from_json(id, nlohmann::json::parse(q.text(0)), false);
  return !share.expires_ms || *share.expires_ms > now_ms;
}

std::optional<Share> AccessControl::resolve_share(const std::string& token, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto q = db_.prepare("SELECT id, spec, revoked FROM share WHERE token_hash=?");
  q.bind(1, sha256_hex(token));
  if (!q.step()) return std::nullopt;
  auto share = from_json(q.text(0), nlohmann::json::parse(q.text(1)), q.int64(2) != 0);
  if (share.revoked || (share.expires_ms && *share.expires_ms <= now_ms)) return std::nullopt;
  return share;
}

}  // namespace meterd::dashboard
