#include "meterd/decoded_message.hpp"

#include <gtest/gtest.h>

TEST(DecodedMessage, JsonLineFollowsTheDecodeContract) {
  meterd::DecodedMessage m;
  m.protocol = "dlms";
  m.meter_id = "LGZ1030655933512";
  m.time = meterd::MeterTime{2021, 3, 1, 10, 0, 5, 0, 60, false, std::nullopt};
  m.values.push_back({"1-0:1.7.0", 1234.0, "W", 1234, 0, "active_power_import", std::nullopt});
  m.values.push_back({"1-0:31.7.0", 0.09, "A", 9, -2, "current_l1", std::nullopt});
  m.values.push_back({"0-0:96.1.1", std::string("1935912"), "", std::nullopt, std::nullopt, "", std::nullopt});
  EXPECT_EQ(meterd::to_json_line(m),
            R"({"protocol":"dlms","meter_id":"LGZ1030655933512","time":"2021-03-01T10:00:05+01:00","values":[)"
            R"({"obis":"1-0:1.7.0","value":1234,"unit":"W"},{"obis":"1-0:31.7.0","value":0.09,"unit":"A"},)"
            R"({"obis":"0-0:96.1.1","value":"1935912","unit":null}]})");
}

TEST(DecodedMessage, TimeWithoutKnownOffsetIsWallClock) {
  meterd::MeterTime t{2026, 5, 4, 11, 39, 21, 0, std::nullopt, false, std::nullopt};
  EXPECT_EQ(meterd::format_meter_time(t), "2026-05-04T11:39:21");
}
