// Line protocol escaping, the documented schema, endpoint URLs and gzip framing.
#include <gtest/gtest.h>
#include <zlib.h>

#include "gzip.hpp"
#include "influx_endpoint.hpp"
#include "influx_schema.hpp"
#include "line_protocol.hpp"
#include "test_readings.hpp"

using namespace meterd::influx;

TEST(LineProtocol, EscapesEachElementByItsOwnRules) {
  EXPECT_EQ(escape_measurement("my power,x y=z"), "my\\ power\\,x\\ y=z");
  EXPECT_EQ(escape_key("a,b=c d"), "a\\,b\\=c\\ d");
  EXPECT_EQ(quote_string_field("say \"hi\" \\o/"), "\"say \\\"hi\\\" \\\\o/\"");
  EXPECT_EQ(escape_key("line\nbreak"), "line break");
}

TEST(LineProtocol, FormatsPointWithSortedTagsTypedFieldsAndPrecision) {
  Point point;
  point.measurement = "power";
  point.tags = {{"obis", "1-0:1.7.0"}, {"meter", "LGZ 1,2"}, {"tariff", ""}};
  point.fields = {{"value", 1234.5}, {"interval_end_ms", std::int64_t{42}}, {"note", std::string("a\"b")}};
  point.time_ms = 1'700'000'000'123;
  EXPECT_EQ(format_line(point, Precision::ms),
            "power,meter=LGZ\\ 1\\,2,obis=1-0:1.7.0 value=1234.5,interval_end_ms=42i,note=\"a\\\"b\" 1700000000123");
  EXPECT_TRUE(format_line(point, Precision::ns).ends_with(" 1700000000123000000"));
  EXPECT_TRUE(format_line(point, Precision::s).ends_with(" 1700000000"));
}

TEST(LineProtocol, SkipsNonFiniteFieldsAndEmptyPoints) {
  Point point{"power", {{"meter", "m"}}, {{"value", std::numeric_limits<double>::quiet_NaN()}}, 1};
  EXPECT_EQ(format_line(point, Precision::ms), "");
}

// Every point carries the reading's id as a field, so a reading written twice is recognisable.
TEST(InfluxSchema, OneMeasurementPerKindWithNormalisedUnits) {
  const auto points = points_for_reading(meterd::test::make_reading("m1", 3));
  ASSERT_EQ(points.size(), 4u);
  EXPECT_EQ(format_line(points[0], Precision::ms),
            "power,meter=m1,obis=1-0:1.7.0,quantity=active_power_import,source=test value=1003,reading_id=\"m1-3\" 1700000003000");
  // Energy registers are written in kWh whatever unit the meter used.
  EXPECT_EQ(format_line(points[1], Precision::ms),
            "energy,meter=m1,obis=1-0:1.8.0,quantity=active_energy_import,source=test value=5000.03,reading_id=\"m1-3\" "
            "1700000003000");
  EXPECT_EQ(format_line(points[2], Precision::ms),
            "voltage,meter=m1,obis=1-0:32.7.0,phase=L1,quantity=voltage_l1,source=test value=230.3,reading_id=\"m1-3\" "
            "1700000003000");
  EXPECT_EQ(points[3].measurement, "power_factor");
}

TEST(InfluxSchema, IntervalValuesAreStampedWithTheirStartAndCarryBounds) {
  meterd::v1::Reading reading;
  reading.set_meter_id("m");
  reading.set_received_ms(9'000'000);
  auto* v = reading.add_values();
  v->set_obis("1-0:1.8.0");
  v->set_number(1500);
  v->set_unit("Wh");
  v->set_interval_start_ms(1'000'000);
  v->set_interval_end_ms(1'900'000);
  auto* text = reading.add_values();
  text->set_obis("0-0:96.1.0");
  text->set_text("id \"7\"");
  const auto points = points_for_reading(reading);
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(format_line(points[0], Precision::ms),
            "energy,meter=m,obis=1-0:1.8.0 value=1.5,interval_start_ms=1000000i,interval_end_ms=1900000i 1000000");
  EXPECT_EQ(format_line(points[1], Precision::ms), "meter_info,meter=m,obis=0-0:96.1.0 text=\"id \\\"7\\\"\" 9000000");
}

TEST(InfluxEndpoint, BuildsVersion1AndVersion2WriteUrls) {
  InfluxEndpoint v1;
  v1.url = "https://influx.example:8086/";
  v1.database = "my db";
  v1.retention_policy = "one_year";
  v1.precision = Precision::s;
  EXPECT_EQ(write_url(v1), "https://influx.example:8086/write?db=my%20db&precision=s&rp=one_year");
  InfluxEndpoint v2;
  v2.api_version = 2;
  v2.org = "home";
  v2.bucket = "meter&data";
  v2.token = "t0k";
  v2.precision = Precision::us;
  EXPECT_EQ(write_url(v2), "http://127.0.0.1:8086/api/v2/write?org=home&bucket=meter%26data&precision=us");
  const auto headers = write_headers(v2, true);
  EXPECT_NE(std::find(headers.begin(), headers.end(), "Authorization: Token t0k"), headers.end());
  EXPECT_NE(std::find(headers.begin(), headers.end(), "Content-Encoding: gzip"), headers.end());
}

TEST(InfluxEndpoint, RejectsIncompleteConfigurationWithTheOptionName) {
  InfluxEndpoint bad_url;
  bad_url.url = "influx:8086";
  EXPECT_THROW(validate(bad_url), std::invalid_argument);
  InfluxEndpoint v2;
  v2.api_version = 2;
  try {
    validate(v2);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("bucket"), std::string::npos);
  }
}

TEST(Gzip, ProducesAGzipStreamThatInflatesBack) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "power,meter=m value=" + std::to_string(i) + " 1\n";
  const std::string packed = gzip_compress(text);
  ASSERT_GE(packed.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(packed[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(packed[1]), 0x8b);
  EXPECT_LT(packed.size(), text.size() / 5);
  z_stream stream{};
  inflateInit2(&stream, 15 + 16);
  std::string out(text.size() + 16, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  stream.avail_in = static_cast<uInt>(packed.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  EXPECT_EQ(out, text);
}
