// Attacks on a running meterd (simulator into the dashboard) over loopback, each bounded in
// count and time. Throughout and after each one, a bystander at 127.0.0.2 must get a normal
// answer within a second, and no reply may carry anything outside the asker's scope.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/asio.hpp>
#include <nlohmann/json.hpp>

#include "deployment.hpp"

using namespace meterd::security_test;
using meterd::http::testing::EventStreamClient;
using meterd::http::testing::raw_exchange;
using nlohmann::json;

namespace {
constexpr std::int64_t kDayMs = 86'400'000;

// A daily share of the house for the last two days (history the simulator filled in).
json past_share(const std::string& detail) {
  const auto now = now_ms();
  return {{"meters", {kHouse}}, {"from", now - 2 * kDayMs}, {"to", now - kDayMs}, {"detail", detail}};
}

json current_share(const std::string& detail, std::int64_t until_ms) {
  return {{"meters", {kHouse}}, {"from", now_ms() - kDayMs}, {"to", until_ms}, {"detail", detail}};
}

// Idle TCP connections from `source`, opened and left silent.
struct IdleConnections {
  boost::asio::io_context io;
  std::vector<std::unique_ptr<boost::beast::tcp_stream>> streams;
  IdleConnections(const std::string& source, unsigned short port, int count) {
    for (int i = 0; i < count; ++i) {
      auto s = std::make_unique<boost::beast::tcp_stream>(io);
      meterd::http::testing::connect_from(*s, source, port);
      streams.push_back(std::move(s));
    }
  }
};
}  // namespace

TEST(Attack, OverflowingInstantsAreRefusedAndNothingFreezes) {
  Deployment d;
  const auto [id, token] = d.share(past_share("daily"));
  Prober prober(d);
  const std::vector<std::pair<std::string, bool>> targets = {
      {"/s/" + token + "/api/compare?meter=" + kHouse + "&period=day&at=9223372036854775807", false},
      {"/s/" + token + "/api/compare?meter=" + kHouse + "&period=year&at=-9223372036854775808", false},
      {"/api/energy?meter=" + kHouse + "&from=-9223372036854775808&to=9223372036854775807", true},
      {"/api/compare?meter=" + kHouse + "&period=month&at=99999999999999999", true},
      {"/api/series?meter=" + kHouse + "&quantity=active_power_import&from=0&to=9223372036854775807", true}};
  for (int round = 0; round < 10; ++round) {
    for (const auto& [target, admin] : targets) {
      const auto r = d.get(target, "127.0.0.1", admin);
      ASSERT_EQ(r.status, 400) << target << " " << r.body;
    }
    for (const json& bad : {json(9223372036854775807LL), json("-292277022657-01-27T08:29:52Z"), json(-1)}) {
      auto spec = past_share("daily");
      spec["to"] = bad;
      EXPECT_EQ(d.post("/api/admin/shares", spec, "127.0.0.1", true).status, 400);
    }
  }
  const auto failures = prober.stop();
  EXPECT_EQ(failures, "");
  EXPECT_GT(prober.answered(), 0);
  EXPECT_EQ(probe_once(d), "");
}

TEST(Attack, IdleConnectionsFromOneAddressLeaveOthersServed) {
  Deployment d("max_connections = 64\nmax_connections_per_address = 16\nreserved_connections = 8\nidle_timeout_s = 3\n"
               "header_timeout_s = 2\n");
  Prober prober(d);
  IdleConnections flood("127.0.0.1", d.port(), 40);
  // Over its share an address is told so at once, not left hanging.
  const auto start = std::chrono::steady_clock::now();
  const auto refused = raw_exchange(d.port(), "GET /api/meters HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(3));
  EXPECT_NE(refused.find(" 429 "), std::string::npos) << refused;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(prober.stop(), "");
  EXPECT_EQ(probe_once(d), "");
}

TEST(Attack, ConnectionsFromManyAddressesLeaveTheReserveToTheAdmin) {
  Deployment d("max_connections = 40\nmax_connections_per_address = 8\nreserved_connections = 8\nidle_timeout_s = 5\n"
               "header_timeout_s = 5\n");
  // 4 addresses x 8 = 32 = every connection but the reserve.
  std::vector<std::unique_ptr<IdleConnections>> floods;
  for (int i = 3; i <= 6; ++i)
    floods.push_back(std::make_unique<IdleConnections>("127.0.0." + std::to_string(i), d.port(), 8));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // A further anonymous client is refused quickly with 503; the admin still gets in.
  const auto anonymous = raw_exchange(d.port(), "GET /api/session HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(3),
                                      "127.0.0.7");
  EXPECT_NE(anonymous.find(" 503 "), std::string::npos) << anonymous;
  EXPECT_EQ(probe_once(d), "");
  // Once the idle ones have timed out, everyone is served again.
  floods.clear();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(d.get("/api/session", "127.0.0.7").status, 401);
}

TEST(Attack, SlowHeadersAreCutOffAtTheHeaderTimeout) {
  Deployment d("header_timeout_s = 2\nidle_timeout_s = 2\n");
  Prober prober(d);
  boost::asio::io_context io;
  boost::beast::tcp_stream slow(io);
  meterd::http::testing::connect_from(slow, "127.0.0.1", d.port());
  const std::string request = "GET /api/meters HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  for (int i = 0; i < 60 && !closed; ++i) {
    boost::beast::error_code ec;
    boost::asio::write(slow.socket(), boost::asio::buffer(i < static_cast<int>(request.size()) ? request.substr(i, 1) : "a"), ec);
    closed = static_cast<bool>(ec);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(closed) << "a request trickling in for 6 s was not cut off";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(prober.stop(), "");
}

TEST(Attack, LiveStreamFloodUnderOneShareIsCappedAndRevocationEndsIt) {
  Deployment d("max_streams_per_link = 3\nmax_streams_per_address = 6\n");
  const auto [id, token] = d.share(current_share("full", now_ms() + kDayMs));
  const std::string live = "/s/" + token + "/api/live";
  Prober prober(d);
  std::vector<std::unique_ptr<EventStreamClient>> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(std::make_unique<EventStreamClient>(d.port(), live));
    ASSERT_TRUE(open.back()->wait_for(": connected", std::chrono::seconds(5)));
  }
  // Beyond the link's cap: refused at once, from this address and from any other.
  for (int i = 0; i < 20; ++i) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(d.get(live, i % 2 ? "127.0.0.1" : "127.0.0.3").status, 429);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  }
  ASSERT_TRUE(open[0]->wait_for("\"reading\"", std::chrono::seconds(5)) || open[0]->wait_for("data:", std::chrono::seconds(5)));
  // The owner revokes the link from elsewhere; every stream of it ends within 2 s.
  EXPECT_EQ(d.del("/api/admin/shares/" + id, kOther).status, 204);
  for (auto& s : open) {
    EXPECT_TRUE(s->wait_closed(std::chrono::seconds(2)));
    // Only the shared meter ever went out.
    EXPECT_EQ(s->received().find(kHeatPump), std::string::npos);
  }
  EXPECT_EQ(d.get(live).status, 404);
  EXPECT_EQ(prober.stop(), "");
}

TEST(Attack, StreamsEndWhenTheirShareExpiresOrTheSessionLogsOut) {
  Deployment d;
  auto spec = current_share("full", now_ms() + kDayMs);
  spec["expires"] = now_ms() + 3000;
  const auto [id, token] = d.share(spec);
  EventStreamClient shared(d.port(), "/s/" + token + "/api/live");
  ASSERT_TRUE(shared.wait_for(": connected", std::chrono::seconds(5)));
  EventStreamClient admin(d.port(), "/api/live", {{"Cookie", d.cookie()}}, kOther);
  ASSERT_TRUE(admin.wait_for(": connected", std::chrono::seconds(5)));
  // Expiry in 3 s: closed by 3 + 2 s.
  EXPECT_TRUE(shared.wait_closed(std::chrono::seconds(5)));
  const auto out = d.post("/api/logout", json::object(), kOther, true);
  EXPECT_EQ(out.status, 200);
  EXPECT_TRUE(admin.wait_closed(std::chrono::seconds(2)));
  EXPECT_EQ(d.get("/api/meters", kOther, true).status, 401);
}

TEST(Attack, AShareReadsNothingOutsideItsScope) {
  Deployment d;
  const auto [id, token] = d.share(past_share("daily"));
  const auto [full_id, ended] = d.share(past_share("full"));
  const std::string s = "/s/" + token + "/api/";
  const auto now = now_ms();
  const std::string old_range = "&from=" + std::to_string(now - 40 * kDayMs) + "&to=" + std::to_string(now - 30 * kDayMs);
  std::vector<std::string> escapes = {
      s + "energy?meter=" + kHeatPump + "&period=day&from=" + std::to_string(now - 3 * kDayMs) + "&to=" + std::to_string(now),
      s + "energy?meter=" + kHouse + "&period=hour" + old_range,
      s + "energy?meter=" + kHouse + "&period=day" + old_range,
      s + "series?meter=" + kHouse + "&quantity=active_power_import" + old_range,
      s + "latest?meter=" + kHouse, s + "live", s + "voltage?meter=" + kHouse + old_range, s + "storage", s + "settings",
      s + "admin/shares", s + "admin/shares/" + full_id, s + "meters/../../api/storage", s + "%2e%2e/%2e%2e/api/storage",
      "/s/" + ended + "/api/latest?meter=" + kHouse, "/s/" + ended + "/api/live", "/api/meters", "/api/admin/shares"};
  for (const auto& target : escapes) {
    const auto r = d.get(target);
    EXPECT_GE(r.status, 400) << target << " " << r.body;
    EXPECT_LT(r.status, 500) << target << " " << r.body;
    for (const std::string& secret : {kHeatPump, std::string("\"value\""), std::string("<html"), full_id, std::string("used_bytes")})
      // A refusal may repeat what the asker wrote, nothing else.
      if (target.find(secret) == std::string::npos) {
        EXPECT_EQ(r.body.find(secret), std::string::npos) << target << " returned " << secret << ": " << r.body;
      }
  }
  // What it may read carries only its meter and only whole days inside its dates.
  const auto energy = d.get(s + "energy?meter=" + kHouse + "&period=day&from=" + std::to_string(now - 5 * kDayMs) +
                            "&to=" + std::to_string(now));
  ASSERT_EQ(energy.status, 200) << energy.body;
  // Kept in a variable: a range-for over a member of a temporary reads freed memory.
  const auto periods = json::parse(energy.body)["periods"];
  for (const auto& p : periods) {
    EXPECT_GE(p["start_ms"].get<std::int64_t>(), now - 2 * kDayMs);
    EXPECT_LE(p["end_ms"].get<std::int64_t>(), now - kDayMs);
  }
  const auto meters = d.get(s + "meters");
  EXPECT_EQ(meters.body.find(kHeatPump), std::string::npos);
  EXPECT_EQ(probe_once(d), "");
}

TEST(Attack, PasswordGuessingIsSlowedWithoutLockingTheOwnerOut) {
  Deployment d;
  Prober prober(d);
  int refused = 0, wrong = 0;
  for (int i = 0; i < 30; ++i) {
    // A forged X-Forwarded-For from an untrusted peer changes nothing.
    const auto r = d.post("/api/login", {{"password", "guess-" + std::to_string(i)}}, "127.0.0.1", false,
                          {{"X-Forwarded-For", "198.51.100." + std::to_string(i)}});
    if (r.status == 429) {
      ++refused;
      EXPECT_FALSE(r.header("retry-after").empty());
    } else {
      EXPECT_EQ(r.status, 401);
      ++wrong;
    }
  }
  EXPECT_LE(wrong, 4) << "guesses from one address were checked without slowing down";
  EXPECT_GE(refused, 26);
  // The owner, from another address, gets in after at most the account's short wait.
  std::string cookie;
  for (int i = 0; i < 10 && cookie.empty(); ++i) {
    const auto r = d.post("/api/login", {{"password", kPassword}}, kOther);
    if (r.status == 200) cookie = r.header("set-cookie");
    else if (r.status == 429) std::this_thread::sleep_for(std::chrono::seconds(std::stoi(r.header("retry-after"))));
    else ADD_FAILURE() << r.status << " " << r.body;
  }
  EXPECT_FALSE(cookie.empty()) << "the right password was never accepted";
  // Failed logins are logged, summed up, without the guesses themselves.
  EXPECT_TRUE(d.wait_for_log("failed dashboard login", std::chrono::seconds(2))) << d.log();
  EXPECT_EQ(d.log().find("guess-"), std::string::npos);
  EXPECT_EQ(d.log().find(kPassword), std::string::npos);
  EXPECT_EQ(prober.stop(), "");
}

TEST(Attack, StateIsPrivateWhateverTheUmask) {
  Deployment d("", 0);
  struct stat st {};
  ASSERT_EQ(::stat(d.state().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(d.state())) {
    ASSERT_EQ(::stat(entry.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << entry.path();
    ++files;
  }
  EXPECT_GE(files, 2);  // history.sqlite and access.sqlite at least
}

TEST(Attack, ParserAndPathTricksAreRefused) {
  Deployment d;
  Prober prober(d);
  const auto port = d.port();
  for (const std::string te : {"chunked, identity", "xchunked", "identity", "chunked\r\nTransfer-Encoding: chunked"}) {
    const auto reply = raw_exchange(port, "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                          "Transfer-Encoding: " + te + "\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\nGET /api/session HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_NE(reply.find(" 400 "), std::string::npos) << te << ": " << reply;
    // The connection is closed after the 400: the smuggled second request is never answered.
    EXPECT_EQ(reply.find(" 401 "), std::string::npos) << te << ": " << reply;
    EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
  }
  EXPECT_NE(raw_exchange(port, "GET /api/session HTTP/1.1\r\n\r\n").find(" 400 "), std::string::npos);
  // No existence oracle through the static files.
  const auto shadow = d.get("//etc/shadow"), missing = d.get("//etc/nonexistent");
  EXPECT_EQ(shadow.status, missing.status);
  EXPECT_EQ(shadow.body, missing.body);
  EXPECT_EQ(d.get("//etc/passwd").body.find("root:"), std::string::npos);
  EXPECT_EQ(d.get("/file:/etc/passwd").status, d.get("/file:/etc/nonexistent").status);
  // HEAD on a stream: headers, then the reply is complete.
  const auto head = raw_exchange(port, "HEAD /api/live HTTP/1.1\r\nHost: x\r\nCookie: " + d.cookie() + "\r\nConnection: close\r\n\r\n",
                                 std::chrono::seconds(2));
  EXPECT_NE(head.find(" 200 "), std::string::npos) << head;
  EXPECT_NE(head.find("text/event-stream"), std::string::npos) << head;
  EXPECT_EQ(head.find("connected"), std::string::npos) << head;
  // A label that is no string is a 400, never a 500.
  auto spec = past_share("daily");
  spec["label"] = json::array({1, 2});
  EXPECT_EQ(d.post("/api/admin/shares", spec, "127.0.0.1", true).status, 400);
  EXPECT_EQ(prober.stop(), "");
}
