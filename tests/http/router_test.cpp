#include "meterd/http/router.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "meterd/http/http_error.hpp"

using namespace meterd::http;

namespace {
Request make(std::string method, std::string target) {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.parse_target();
  return r;
}
}  // namespace

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router router;
  router.add("GET", "/api/meters", [](Request&) { return Response::text(200, "list"); });
  router.add("GET", "/api/meters/{id}/series", [](Request& r) { return Response::text(200, "series " + r.param("id")); });
  auto a = make("GET", "/api/meters");
  EXPECT_EQ(router.dispatch(a).body, "list");
  auto b = make("GET", "/api/meters/house%201/series?x=1");
  EXPECT_EQ(router.dispatch(b).body, "series house 1");
  auto c = make("GET", "/api/meters//series");
  EXPECT_EQ(router.dispatch(c).status, 404);
  auto d = make("GET", "/api/meters/a/series/extra");
  EXPECT_EQ(router.dispatch(d).status, 404);
}

TEST(Router, RestParameterTakesTheRemainder) {
  Router router;
  router.add("GET", "/s/{token}/{rest*}", [](Request& r) { return Response::text(200, r.param("token") + "|" + r.param("rest")); });
  auto a = make("GET", "/s/abc/api/series");
  EXPECT_EQ(router.dispatch(a).body, "abc|api/series");
  auto b = make("GET", "/s/abc");
  EXPECT_EQ(router.dispatch(b).body, "abc|");
  EXPECT_THROW(router.add("GET", "/x/{a*}/y", [](Request&) { return Response{}; }), std::invalid_argument);
}

TEST(Router, WrongMethodIs405WithAllowAndHeadFallsBackToGet) {
  Router router;
  router.add("GET", "/x", [](Request&) { return Response::text(200, "get"); });
  router.add("DELETE", "/x", [](Request&) { return Response::no_content(); });
  auto post = make("POST", "/x");
  auto reply = router.dispatch(post);
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.header("allow").value_or(""), "GET, DELETE");
  auto head = make("HEAD", "/x");
  EXPECT_EQ(router.dispatch(head).body, "get");
}

TEST(Router, HandlerErrorsBecomeJsonReplies) {
  Router router;
  router.add("GET", "/bad", [](Request&) -> Response { throw bad_request("parameter 'from' is required"); });
  router.add("GET", "/boom", [](Request&) -> Response { throw std::runtime_error("secret path /var/x"); });
  auto a = make("GET", "/bad");
  auto ra = router.dispatch(a);
  EXPECT_EQ(ra.status, 400);
  EXPECT_EQ(nlohmann::json::parse(ra.body)["error"]["message"], "parameter 'from' is required");
  auto b = make("GET", "/boom");
  auto rb = router.dispatch(b);
  EXPECT_EQ(rb.status, 500);
  EXPECT_EQ(rb.body.find("secret"), std::string::npos);
}

TEST(Router, FallbackHandlesUnknownPaths) {
  Router router;
  router.set_fallback([](Request& r) { return Response::text(200, "fallback " + r.path); });
  auto a = make("GET", "/anything/else");
  EXPECT_EQ(router.dispatch(a).body, "fallback /anything/else");
}
