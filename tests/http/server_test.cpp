#include "meterd/http/server.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "http_test_client.hpp"
#include "meterd/http/event_stream.hpp"

using namespace meterd::http;
using meterd::http::testing::fetch;

namespace {
struct Fixture {
  std::shared_ptr<EventStream> stream = std::make_shared<EventStream>();
  std::unique_ptr<Server> server;
  explicit Fixture(ServerOptions options = {}) {
    auto router = std::make_shared<Router>();
    router->add("GET", "/hello/{name}", [](Request& r) { return Response::json({{"hello", r.param("name")}}); });
    router->add("POST", "/echo", [](Request& r) { return Response::text(200, r.body); });
    router->add("GET", "/events", [this](Request&) { return Response::events(stream); });
    options.port = 0;
    server = std::make_unique<Server>(options, router);
    server->start();
  }
};
}  // namespace

TEST(Server, AnswersJsonWithSecurityHeadersAndKeepsAlive) {
  Fixture f;
  auto reply = fetch(f.server->port(), "GET", "/hello/w%C3%B6rld");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(nlohmann::json::parse(reply.body)["hello"], "wörld");
  EXPECT_EQ(reply.header("content-type"), "application/json");
  EXPECT_NE(reply.header("content-security-policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(reply.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(reply.header("x-frame-options"), "DENY");
  EXPECT_EQ(reply.header("access-control-allow-origin"), "");
}

TEST(Server, BadQueryIs400AndUnknownPathIs404) {
  Fixture f;
  EXPECT_EQ(fetch(f.server->port(), "GET", "/hello/x?a=%zz").status, 400);
  EXPECT_EQ(fetch(f.server->port(), "GET", "/nope").status, 404);
  EXPECT_EQ(fetch(f.server->port(), "PUT", "/echo", {}, "x").status, 405);
}

TEST(Server, OversizedBodyAndHeadersAreRefused) {
  ServerOptions options;
  options.max_body_bytes = 100;
  options.max_header_bytes = 1024;
  Fixture f(options);
  EXPECT_EQ(fetch(f.server->port(), "POST", "/echo", {}, std::string(50, 'a')).body, std::string(50, 'a'));
  EXPECT_EQ(fetch(f.server->port(), "POST", "/echo", {}, std::string(5000, 'a')).status, 413);
  EXPECT_EQ(fetch(f.server->port(), "GET", "/hello/x", {{"X-Big", std::string(4000, 'b')}}).status, 431);
}

TEST(Server, MalformedRequestLineGets400) {
  Fixture f;
  auto raw = meterd::http::testing::raw_exchange(f.server->port(), "GARBAGE\x01 / HTTP/1.1\r\n\r\n");
  EXPECT_NE(raw.find(" 400 "), std::string::npos) << raw;
}

TEST(Server, CorsOnlyForListedOriginsAndWildcardRejected) {
  ServerOptions options;
  options.security.allowed_origins = {"https://home.example"};
  Fixture f(options);
  auto ok = fetch(f.server->port(), "GET", "/hello/x", {{"Origin", "https://home.example"}});
  EXPECT_EQ(ok.header("access-control-allow-origin"), "https://home.example");
  auto other = fetch(f.server->port(), "GET", "/hello/x", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(other.header("access-control-allow-origin"), "");
  ServerOptions wildcard;
  wildcard.security.allowed_origins = {"*"};
  EXPECT_THROW(Server(wildcard, std::make_shared<Router>()), std::invalid_argument);
}

TEST(Server, EventStreamDeliversEventsAndNoticesDisconnect) {
  Fixture f;
  {
    meterd::http::testing::EventStreamClient client(f.server->port(), "/events");
    ASSERT_TRUE(client.wait_for(": connected", std::chrono::seconds(5)));
    EXPECT_NE(client.received().find("text/event-stream"), std::string::npos);
    EXPECT_NE(client.received().find("Content-Security-Policy"), std::string::npos);
    EXPECT_TRUE(f.stream->send("reading", "{\"v\":1}"));
    EXPECT_TRUE(client.wait_for("data: {\"v\":1}", std::chrono::seconds(5)));
  }
  // After the client left, the stream reports closed so publishers can forget it.
  for (int i = 0; i < 200 && !f.stream->closed(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(f.stream->closed());
}

TEST(Server, StopClosesOpenStreams) {
  Fixture f;
  meterd::http::testing::EventStreamClient client(f.server->port(), "/events");
  ASSERT_TRUE(client.wait_for(": connected", std::chrono::seconds(5)));
  f.server->stop();
  EXPECT_TRUE(f.stream->closed());
}

TEST(Server, BindFailureNamesTheAddress) {
  Fixture f;
  ServerOptions options;
  options.port = f.server->port();
  Server second(options, std::make_shared<Router>());
  try {
    second.start();
    FAIL() << "second bind succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1"), std::string::npos);
  }
}
