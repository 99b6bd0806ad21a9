// The server's defences at the connection level: caps per address and in all with a reserve
// for privileged requests, timeouts for slow and idle clients, stream caps, and framing a
// proxy could read differently (request smuggling).
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "http_test_client.hpp"
#include "meterd/http/event_stream.hpp"
#include "meterd/http/server.hpp"

using namespace meterd::http;
using meterd::http::testing::fetch_from;
using meterd::http::testing::raw_exchange;

namespace {
struct Fixture {
  std::unique_ptr<Server> server;
  explicit Fixture(ServerOptions options = {}) {
    auto router = std::make_shared<Router>();
    router->add("GET", "/hello", [](Request& r) { return Response::json({{"client", r.remote_address}}); });
    router->add("POST", "/echo", [](Request& r) { return Response::text(200, r.body); });
    router->add("GET", "/events", [](Request&) { return Response::events(std::make_shared<EventStream>()); });
    options.port = 0;
    server = std::make_unique<Server>(options, router);
    server->start();
  }
  unsigned short port() const { return server->port(); }
};

struct Idle {
  boost::asio::io_context io;
  std::vector<std::unique_ptr<boost::beast::tcp_stream>> streams;
  Idle(const std::string& from, unsigned short port, int n) {
    for (int i = 0; i < n; ++i) {
      streams.push_back(std::make_unique<boost::beast::tcp_stream>(io));
      meterd::http::testing::connect_from(*streams.back(), from, port);
    }
  }
};

void wait_for_connections(const Server& s, std::size_t n) {
  for (int i = 0; i < 200 && s.open_connections() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}
}  // namespace

TEST(ServerBudget, TransferEncodingOtherThanChunkedOrWithoutHostIs400AndCloses) {
  Fixture f;
  for (const std::string te : {"chunked, identity", "xchunked", "identity", "gzip, chunked"}) {
    const auto reply = raw_exchange(f.port(), "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + te +
                                                  "\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(reply.rfind("HTTP/1.1 400 ", 0), 0u) << te << ": " << reply;
    EXPECT_EQ(reply.find("\"client\""), std::string::npos) << "the smuggled request was answered: " << reply;
  }
  const auto both = raw_exchange(f.port(), "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(both.rfind("HTTP/1.1 400 ", 0), 0u) << both;
  const auto chunked = raw_exchange(f.port(), "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_NE(chunked.find("abc"), std::string::npos) << chunked;
  EXPECT_EQ(raw_exchange(f.port(), "GET /hello HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 400 ", 0), 0u);
  EXPECT_EQ(raw_exchange(f.port(), "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").rfind("HTTP/1.1 400 ", 0), 0u);
  EXPECT_NE(raw_exchange(f.port(), "GET /hello HTTP/1.0\r\n\r\n").find(" 200 "), std::string::npos);
}

TEST(ServerBudget, OneAddressGetsItsShareOfConnectionsAndOthersAreStillServed) {
  ServerOptions o;
  o.max_connections_per_address = 4;
  Fixture f(o);
  Idle flood("127.0.0.1", f.port(), 4);
  wait_for_connections(*f.server, 4);
  const auto start = std::chrono::steady_clock::now();
  const auto refused = raw_exchange(f.port(), "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(refused.rfind("HTTP/1.1 429 ", 0), 0u) << refused;
  EXPECT_NE(refused.find("Retry-After"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(fetch_from("127.0.0.2", f.port(), "GET", "/hello").status, 200);
}

TEST(ServerBudget, TheReserveServesOnlyPrivilegedRequests) {
  ServerOptions o;
  o.max_connections = 6;
  o.reserved_connections = 2;
  o.privileged = [](const Request& r) { return r.header("x-admin").has_value(); };
  Fixture f(o);
  Idle taken("127.0.0.3", f.port(), 4);
  wait_for_connections(*f.server, 4);
  const auto anonymous = raw_exchange(f.port(), "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(2), "127.0.0.2");
  EXPECT_EQ(anonymous.rfind("HTTP/1.1 503 ", 0), 0u) << anonymous;
  EXPECT_EQ(fetch_from("127.0.0.2", f.port(), "GET", "/hello", {{"X-Admin", "1"}}).status, 200);
  ServerOptions bad;
  bad.max_connections = 4;
  bad.reserved_connections = 4;
  bad.privileged = o.privileged;
  EXPECT_THROW(Server(bad, std::make_shared<Router>()), std::invalid_argument);
}

TEST(ServerBudget, SlowAndIdleClientsAreDisconnected) {
  ServerOptions o;
  o.header_timeout = std::chrono::seconds(1);
  o.idle_timeout = std::chrono::seconds(1);
  Fixture f(o);
  boost::asio::io_context io;
  boost::beast::tcp_stream slow(io);
  meterd::http::testing::connect_from(slow, "127.0.0.1", f.port());
  const auto start = std::chrono::steady_clock::now();
  boost::beast::error_code ec;
  for (int i = 0; i < 40 && !ec; ++i) {
    boost::asio::write(slow.socket(), boost::asio::buffer(std::string(i == 0 ? "GET /hello HTTP/1.1\r\nX: " : "a")), ec);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(ec) << "a request trickling in for 4 s was not cut off";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  Idle idle("127.0.0.1", f.port(), 3);
  wait_for_connections(*f.server, 3);
  for (int i = 0; i < 300 && f.server->open_connections() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(f.server->open_connections(), 0u);
}

TEST(ServerBudget, StreamsPerAddressAreCappedAndHeadGetsHeadersOnly) {
  ServerOptions o;
  o.max_streams_per_address = 2;
  Fixture f(o);
  meterd::http::testing::EventStreamClient a(f.port(), "/events"), b(f.port(), "/events");
  ASSERT_TRUE(a.wait_for(": connected", std::chrono::seconds(5)));
  ASSERT_TRUE(b.wait_for(": connected", std::chrono::seconds(5)));
  EXPECT_EQ(fetch_from("127.0.0.1", f.port(), "GET", "/events").status, 429);
  meterd::http::testing::EventStreamClient other(f.port(), "/events", {}, "127.0.0.2");
  EXPECT_TRUE(other.wait_for(": connected", std::chrono::seconds(5)));
  const auto head = raw_exchange(f.port(), "HEAD /events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(head.rfind("HTTP/1.1 200 ", 0), 0u) << head;
  EXPECT_NE(head.find("text/event-stream"), std::string::npos);
  EXPECT_EQ(head.find(": connected"), std::string::npos) << head;
}

TEST(ServerBudget, ForwardedForCountsOnlyFromTrustedProxies) {
  ServerOptions o;
  o.trusted_proxies = TrustedProxies::parse("127.0.0.2");
  Fixture f(o);
  const auto direct = fetch_from("127.0.0.1", f.port(), "GET", "/hello", {{"X-Forwarded-For", "198.51.100.1"}});
  EXPECT_NE(direct.body.find("127.0.0.1"), std::string::npos) << direct.body;
  const auto proxied = fetch_from("127.0.0.2", f.port(), "GET", "/hello", {{"X-Forwarded-For", "198.51.100.1"}});
  EXPECT_NE(proxied.body.find("198.51.100.1"), std::string::npos) << proxied.body;
}
