// Splitting lines and fields, numbers, timestamp formats and wall-clock resolution.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "meterd/csv_table/field_splitter.hpp"
#include "meterd/csv_table/line_splitter.hpp"
#include "meterd/csv_table/local_time_resolver.hpp"
#include "meterd/csv_table/number_parser.hpp"
#include "meterd/csv_table/timestamp_format.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::csv_table {
namespace {

std::vector<std::string> split(std::string_view line, char sep = ';') {
  FieldSplitter s(sep);
  EXPECT_TRUE(s.split(line)) << s.error();
  return {s.fields().begin(), s.fields().end()};
}

TEST(CsvFieldSplitter, PlainQuotedEscapedAndEmptyFields) {
  EXPECT_EQ(split("a;b;;c"), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(split("\"01/02/2007\";\"0.128\";0.3"), (std::vector<std::string>{"01/02/2007", "0.128", "0.3"}));
  EXPECT_EQ(split("\"a;b\";\"say \"\"hi\"\"\";x"), (std::vector<std::string>{"a;b", "say \"hi\"", "x"}));
  EXPECT_EQ(split("a;"), (std::vector<std::string>{"a", ""}));
  EXPECT_EQ(split(""), (std::vector<std::string>{""}));
  EXPECT_EQ(split("\"1,5\",2", ','), (std::vector<std::string>{"1,5", "2"}));
}

TEST(CsvFieldSplitter, UnclosedQuoteIsAnError) {
  FieldSplitter s(';');
  EXPECT_FALSE(s.split("a;\"open"));
  EXPECT_NE(s.error().find("not closed"), std::string::npos);
  EXPECT_FALSE(s.split("\"x\"y;z"));
}

std::vector<std::pair<std::string, LinePosition>> lines_of(const std::string& bytes, std::size_t chunk) {
  std::vector<std::pair<std::string, LinePosition>> out;
  LineSplitter s;
  for (std::size_t i = 0; i < bytes.size(); i += chunk)
    s.feed(std::string_view(bytes).substr(i, chunk),
           [&](std::string_view l, const LinePosition& p) { out.emplace_back(std::string(l), p); });
  return out;
}

TEST(CsvLineSplitter, BomCrlfAndChunkingInvariance) {
  const std::string bytes = "\xEF\xBB\xBFsep=;\r\nZeitraum;HT\r\n01.01.2021 00:00;1\n\xEF\xBB\xBFnot-a-bom-here\npartial";
  const auto whole = lines_of(bytes, bytes.size());
  ASSERT_EQ(whole.size(), 4u);
  EXPECT_EQ(whole[0].first, "sep=;");
  EXPECT_EQ(whole[1].first, "Zeitraum;HT");
  EXPECT_EQ(whole[2].first, "01.01.2021 00:00;1");
  EXPECT_EQ(whole[3].first, "\xEF\xBB\xBFnot-a-bom-here");  // only the file's first bytes are a BOM
  EXPECT_EQ(whole[2].second.number, 3u);
  EXPECT_EQ(whole[3].second.end_offset, bytes.size() - std::string("partial").size());
  for (std::size_t chunk : {1u, 2u, 3u, 7u}) {
    const auto pieces = lines_of(bytes, chunk);
    ASSERT_EQ(pieces.size(), whole.size()) << "chunk " << chunk;
    for (std::size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(pieces[i].first, whole[i].first) << "chunk " << chunk;
      EXPECT_EQ(pieces[i].second.end_offset, whole[i].second.end_offset);
    }
  }
}

TEST(CsvLineSplitter, KeepsUnfinishedLineUntilItsNewline) {
  LineSplitter s;
  std::vector<std::string> got;
  auto sink = [&](std::string_view l, const LinePosition&) { got.emplace_back(l); };
  s.feed("28.08.2020 19:06:59;0;22", sink);
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(s.pending(), "28.08.2020 19:06:59;0;22");
  s.feed("9;912;10\n", sink);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], "28.08.2020 19:06:59;0;229;912;10");
  EXPECT_EQ(s.consumed_offset(), 33u);
}

TEST(CsvNumbers, DecimalPointAndComma) {
  EXPECT_DOUBLE_EQ(*parse_number("0.125", false), 0.125);
  EXPECT_DOUBLE_EQ(*parse_number(" +12 ", false), 12);
  EXPECT_DOUBLE_EQ(*parse_number("-3.5e2", false), -350);
  EXPECT_DOUBLE_EQ(*parse_number("0,125", true), 0.125);
  EXPECT_FALSE(parse_number("0,125", false));
  EXPECT_FALSE(parse_number("1.234,5", true));  // thousands separators are ambiguous: refused
  EXPECT_FALSE(parse_number("", false));
  EXPECT_FALSE(parse_number("nan", false));
  EXPECT_FALSE(parse_number("12kW", false));
  EXPECT_EQ(*parse_integer("10"), 10);
  EXPECT_FALSE(parse_integer("1.5"));
}

ParsedTimestamp parse(const char* pattern, const char* text) {
  std::string error;
  auto f = TimestampFormat::compile(pattern, error);
  EXPECT_TRUE(f) << error;
  ParsedTimestamp ts;
  const char* why = "";
  EXPECT_TRUE(f->parse(text, ts, why)) << text << ": " << why;
  return ts;
}

bool parses(const char* pattern, const char* text) {
  std::string error;
  auto f = TimestampFormat::compile(pattern, error);
  ParsedTimestamp ts;
  const char* why = "";
  return f && f->parse(text, ts, why);
}

TEST(CsvTimestamps, PatternsAndNamedFormats) {
  EXPECT_EQ(parse("dd.MM.yyyy HH:mm:ss", "28.08.2020 19:06:59").local_seconds,
            civil_to_seconds({2020, 8, 28, 19, 6, 59}));
  EXPECT_EQ(parse("d.M.yyyy H:mm", "1.3.2021 7:05").local_seconds, civil_to_seconds({2021, 3, 1, 7, 5, 0}));
  EXPECT_EQ(parse("dd/MM/yyyy", "01/02/2007").local_seconds, civil_to_seconds({2007, 2, 1, 0, 0, 0}));
  // "24:00" is the end of the day: the next midnight.
  EXPECT_EQ(parse("dd.MM.yyyy HH:mm", "31.12.2021 24:00").local_seconds, civil_to_seconds({2022, 1, 1, 0, 0, 0}));
  const auto iso = parse("iso8601", "2021-03-28T01:45:30.25+01:00");
  EXPECT_EQ(iso.local_seconds, civil_to_seconds({2021, 3, 28, 1, 45, 30}));
  EXPECT_EQ(iso.millisecond, 250);
  EXPECT_TRUE(iso.has_offset);
  EXPECT_EQ(iso.offset_seconds, 3600);
  EXPECT_TRUE(parse("iso8601", "2021-03-28 00:00:00Z").has_offset);
  EXPECT_FALSE(parse("iso8601", "2021-03-28 00:00").has_offset);
  const auto ms = parse("unix_ms", "1598634419123");
  EXPECT_EQ(ms.local_seconds, 1598634419);
  EXPECT_EQ(ms.millisecond, 123);
  EXPECT_EQ(parse("yyyy-MM-dd HH:mm:ssXXX", "2021-01-01 00:00:00-0130").offset_seconds, -5400);
}

TEST(CsvTimestamps, RefusesWhatDoesNotMatch) {
  EXPECT_FALSE(parses("dd.MM.yyyy HH:mm:ss", "28.08.2020 19:06"));
  EXPECT_FALSE(parses("dd.MM.yyyy HH:mm:ss", "28.13.2020 19:06:00"));
  EXPECT_FALSE(parses("dd.MM.yyyy HH:mm:ss", "29.02.2021 00:00:00"));
  EXPECT_FALSE(parses("dd.MM.yyyy HH:mm", "01.01.2021 24:15"));
  EXPECT_FALSE(parses("iso8601", "2021-01-01T10:00x"));
  EXPECT_FALSE(parses("unix", "12.5"));
  std::string error;
  EXPECT_FALSE(TimestampFormat::compile("dd.MM.yy", error));
  EXPECT_NE(error.find("yyyy"), std::string::npos);
  EXPECT_FALSE(TimestampFormat::compile("dd.MM.yyyy Q", error));
  EXPECT_NE(error.find("'Q'"), std::string::npos);
  EXPECT_FALSE(TimestampFormat::compile("HH:mm", error));
}

TEST(CsvLocalTime, SpringGapAndAutumnRepeatByOrder) {
  LocalTimeResolver r(TimeZone::load("Europe/Zurich"));
  std::int64_t utc = 0;
  using R = LocalTimeResolver::Result;
  EXPECT_EQ(r.resolve(civil_to_seconds({2021, 3, 28, 1, 45, 0}), utc), R::unique);
  EXPECT_EQ(utc, civil_to_seconds({2021, 3, 28, 0, 45, 0}));
  EXPECT_EQ(r.resolve(civil_to_seconds({2021, 3, 28, 2, 30, 0}), utc), R::nonexistent);
  EXPECT_EQ(r.resolve(civil_to_seconds({2021, 3, 28, 3, 0, 0}), utc), R::unique);
  EXPECT_EQ(utc, civil_to_seconds({2021, 3, 28, 1, 0, 0}));

  const std::int64_t quarter_past_two = civil_to_seconds({2021, 10, 31, 2, 15, 0});
  EXPECT_EQ(r.resolve(quarter_past_two, utc), R::repeated_first);
  EXPECT_EQ(utc, civil_to_seconds({2021, 10, 31, 0, 15, 0}));  // summer time, UTC+2
  EXPECT_EQ(r.resolve(quarter_past_two, utc), R::repeated_second);
  EXPECT_EQ(utc, civil_to_seconds({2021, 10, 31, 1, 15, 0}));  // winter time, UTC+1
  EXPECT_EQ(r.resolve(quarter_past_two, utc), R::repeated_again);
  // Ordinary days take the cached path and still give the right offset.
  EXPECT_EQ(r.resolve(civil_to_seconds({2021, 7, 1, 12, 0, 0}), utc), R::unique);
  EXPECT_EQ(utc, civil_to_seconds({2021, 7, 1, 10, 0, 0}));
  EXPECT_EQ(r.resolve(civil_to_seconds({2021, 12, 1, 12, 0, 0}), utc), R::unique);
  EXPECT_EQ(utc, civil_to_seconds({2021, 12, 1, 11, 0, 0}));
  // The 25-hour day starts at 22:00 UTC the evening before.
  EXPECT_EQ(r.day_start_utc(quarter_past_two), civil_to_seconds({2021, 10, 30, 22, 0, 0}));
}

}  // namespace
}  // namespace meterd::csv_table
