#include "meterd/http/query.hpp"

#include <gtest/gtest.h>

#include "meterd/http/http_error.hpp"
#include "meterd/time_zone.hpp"

using namespace meterd::http;

namespace {
int status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const HttpError& e) {
    return e.status();
  }
  return 0;
}
}  // namespace

TEST(Query, DecodesAndRejectsBadEscapesAndRepeats) {
  auto q = parse_query("a=1&b=x%20y+z&c=&d");
  EXPECT_EQ(q.at("a"), "1");
  EXPECT_EQ(q.at("b"), "x y z");
  EXPECT_EQ(q.at("c"), "");
  EXPECT_EQ(q.at("d"), "");
  EXPECT_EQ(status_of([] { parse_query("a=%zz"); }), 400);
  EXPECT_EQ(status_of([] { parse_query("a=%4"); }), 400);
  EXPECT_EQ(status_of([] { parse_query("a=1&a=2"); }), 400);
  EXPECT_EQ(status_of([] { parse_query("a=%00"); }), 400);
  EXPECT_EQ(percent_encode("a b/é"), "a%20b%2F%C3%A9");
}

TEST(Query, TypedAccessorsValidate) {
  std::map<std::string, std::string> m{{"n", "42"}, {"x", "4.5"}, {"b", "true"}, {"c", "day"},
                                       {"l", "a,b"}, {"bad", "4x"}, {"empty", ""}};
  QueryParams q(m);
  EXPECT_EQ(q.integer("n", 0, 100), 42);
  EXPECT_EQ(q.integer("missing", 0, 100), std::nullopt);
  EXPECT_EQ(status_of([&] { q.integer("n", 0, 10); }), 400);
  EXPECT_EQ(status_of([&] { q.integer("bad", 0, 10); }), 400);
  EXPECT_DOUBLE_EQ(*q.number("x", 0, 10), 4.5);
  EXPECT_TRUE(*q.boolean("b"));
  EXPECT_EQ(*q.choice("c", {"hour", "day"}), "day");
  EXPECT_EQ(status_of([&] { q.choice("c", {"hour"}); }), 400);
  EXPECT_EQ(q.list("l", 5)->size(), 2u);
  EXPECT_EQ(status_of([&] { q.list("l", 1); }), 400);
  EXPECT_EQ(status_of([&] { q.required_text("missing"); }), 400);
  EXPECT_EQ(status_of([&] { q.text("empty"); }), 400);
  EXPECT_EQ(status_of([&] { q.allow_only({"n"}); }), 400);
  EXPECT_EQ(status_of([&] { q.allow_only({"n", "x", "b", "c", "l", "bad", "empty"}); }), 0);
}

TEST(Query, InstantsInAllAcceptedForms) {
  auto zone = meterd::TimeZone::load("Europe/Zurich");
  EXPECT_EQ(parse_instant_ms("1700000000000", *zone), 1700000000000);
  EXPECT_EQ(parse_instant_ms("2024-01-01T00:00:00Z", *zone), 1704067200000);
  EXPECT_EQ(parse_instant_ms("2024-01-01T01:00:00+01:00", *zone), 1704067200000);
  EXPECT_EQ(parse_instant_ms("2024-01-01T00:00:00.250Z", *zone), 1704067200250);
  // Local date in Zurich winter time: midnight is 23:00 UTC the day before.
  EXPECT_EQ(parse_instant_ms("2024-01-01", *zone), 1704067200000 - 3600000);
  EXPECT_EQ(parse_instant_ms("2024-07-01T02:00", *zone), 1719792000000);
  // 02:30 on the spring-forward day does not exist.
  EXPECT_EQ(status_of([&] { parse_instant_ms("2024-03-31T02:30", *zone); }), 400);
  EXPECT_EQ(parse_instant_ms("2024-02-30", *zone), std::nullopt);
  EXPECT_EQ(parse_instant_ms("2024-13-01", *zone), std::nullopt);
  EXPECT_EQ(parse_instant_ms("yesterday", *zone), std::nullopt);
  EXPECT_EQ(parse_instant_ms("2024-01-01T00:00:00+1", *zone), std::nullopt);
}
