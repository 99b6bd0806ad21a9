#include "meterd/http/cookies.hpp"

#include <gtest/gtest.h>

using namespace meterd::http;

TEST(Cookies, ParsesTheNamedCookie) {
  Request r;
  r.headers = {{"cookie", "a=1; session=abc ; other=x"}};
  EXPECT_EQ(cookie_value(r, "session"), "abc");
  EXPECT_EQ(cookie_value(r, "missing"), std::nullopt);
}

TEST(Cookies, SetCookieIsSecureHttpOnlyStrictByDefault) {
  CookieOptions o;
  o.max_age = std::chrono::seconds(60);
  EXPECT_EQ(set_cookie_value("s", "v", o), "s=v; Path=/; Max-Age=60; Secure; HttpOnly; SameSite=Strict");
  EXPECT_THROW(set_cookie_value("s", "a;b", o), std::invalid_argument);
  EXPECT_EQ(expire_cookie_value("s", o), "s=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
}
