#include "meterd/http/event_stream.hpp"

#include <gtest/gtest.h>

using namespace meterd::http;

TEST(EventStream, FormatsMultiLineDataAsSeveralFields) {
  EXPECT_EQ(format_event("reading", "a\nb", "7"), "id: 7\nevent: reading\ndata: a\ndata: b\n\n");
  EXPECT_EQ(format_event("", "x", ""), "data: x\n\n");
}

TEST(EventStream, QueuesWakesAndClosesWhenTheClientFallsBehind) {
  EventStream stream(64);
  int wakes = 0;
  stream.attach([&] { ++wakes; });
  EXPECT_TRUE(stream.send("e", "1"));
  EXPECT_EQ(wakes, 1);
  EXPECT_EQ(stream.take(), "event: e\ndata: 1\n\n");
  EXPECT_EQ(stream.take(), "");
  EXPECT_TRUE(stream.send("e", std::string(20, 'x')));
  EXPECT_FALSE(stream.send("e", std::string(40, 'x')));  // over the limit
  EXPECT_TRUE(stream.closed());
  EXPECT_FALSE(stream.send("e", "late"));
}
