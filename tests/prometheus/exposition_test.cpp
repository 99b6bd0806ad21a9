// The text-format writer: escaping, number spelling, one block per family, no duplicate series.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "exposition.hpp"
#include "exposition_parser.hpp"

using namespace meterd::prometheus;

TEST(Exposition, LabelValuesEscapeBackslashQuoteAndNewlineOnly) {
  EXPECT_EQ(escape_label_value(R"(a\b"c)" "\n" "d\te"), R"(a\\b\"c\nd)" "\te");
  EXPECT_EQ(escape_label_value("Zürich ⚡"), "Zürich ⚡");
}

TEST(Exposition, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(escape_label_value("a\xff" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(escape_label_value("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");           // overlong '/'
  EXPECT_EQ(escape_label_value("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(escape_label_value("x\xE2\x9A"), "x\xEF\xBF\xBD\xEF\xBF\xBD");          // truncated
}

TEST(Exposition, HelpEscapesBackslashAndNewline) { EXPECT_EQ(escape_help("a\\b\n\"c\""), "a\\\\b\\n\"c\""); }

TEST(Exposition, ValuesRoundTripAndUsePrometheusSpecialSpellings) {
  for (const double v : {0.0, -0.0, 1.0, 0.1, 5000.01, 1e-300, 1.7976931348623157e308, -230.123456789}) {
    const std::string text = format_value(v);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), v) << text;
  }
  EXPECT_EQ(format_value(5000.01), "5000.01");
  EXPECT_EQ(format_value(NAN), "NaN");
  EXPECT_EQ(format_value(INFINITY), "+Inf");
  EXPECT_EQ(format_value(-INFINITY), "-Inf");
}

TEST(Exposition, EmptyLabelValuesAreLeftOut) {
  EXPECT_EQ(format_labels({{"a", "1"}, {"b", ""}, {"c", "x"}}), R"({a="1",c="x"})");
  EXPECT_EQ(format_labels({{"a", ""}}), "");
}

TEST(Exposition, FamiliesAreSortedBlocksWithHelpTypeAndUniqueSeries) {
  FamilySet set;
  set.add("z_gauge", MetricType::gauge, "last", {{"k", "1"}}, 1);
  set.add("a_total", MetricType::counter, "first\nline", {{"k", "2"}}, 2);
  set.add("z_gauge", MetricType::gauge, "last", {{"k", "0"}}, 3);
  set.add("z_gauge", MetricType::gauge, "last", {{"k", "1"}}, 4);  // replaces, does not duplicate
  set.add("plain", MetricType::gauge, "no labels", {}, 5);
  EXPECT_EQ(set.series_count(), 4u);
  EXPECT_EQ(set.render(),
            "# HELP a_total first\\nline\n# TYPE a_total counter\na_total{k=\"2\"} 2\n"
            "# HELP plain no labels\n# TYPE plain gauge\nplain 5\n"
            "# HELP z_gauge last\n# TYPE z_gauge gauge\nz_gauge{k=\"0\"} 3\nz_gauge{k=\"1\"} 4\n");
  EXPECT_NO_THROW(meterd::test::parse_exposition(set.render()));
}

TEST(Exposition, OneNameWithTwoTypesIsAProgrammingError) {
  FamilySet set;
  set.add("x_total", MetricType::counter, "h", {}, 1);
  EXPECT_THROW(set.add("x_total", MetricType::gauge, "h", {{"a", "b"}}, 1), std::logic_error);
}

TEST(Exposition, EmptySetRendersAnEmptyPage) { EXPECT_EQ(FamilySet().render(), ""); }

// The validating parser must itself reject what Prometheus rejects, or the sink tests prove nothing.
TEST(ExpositionParser, RejectsMalformedPages) {
  using meterd::test::ExpositionError;
  using meterd::test::parse_exposition;
  const std::string head = "# HELP m h\n# TYPE m gauge\n";
  EXPECT_NO_THROW(parse_exposition(head + "m{a=\"x\\\"y\"} 1.5\n"));
  EXPECT_THROW(parse_exposition("m 1\n"), ExpositionError);                             // no HELP/TYPE
  EXPECT_THROW(parse_exposition("# TYPE m gauge\nm 1\n"), ExpositionError);             // no HELP
  EXPECT_THROW(parse_exposition(head + "m{a=x} 1\n"), ExpositionError);                 // unquoted
  EXPECT_THROW(parse_exposition(head + "m{a=\"x\\ty\"} 1\n"), ExpositionError);         // bad escape
  EXPECT_THROW(parse_exposition(head + "m{a=\"x\"} one\n"), ExpositionError);           // not a float
  EXPECT_THROW(parse_exposition(head + "m 1\nm 2\n"), ExpositionError);                 // duplicate series
  EXPECT_THROW(parse_exposition(head + "m{1a=\"x\"} 1\n"), ExpositionError);            // label name
  EXPECT_THROW(parse_exposition("# HELP 9m h\n# TYPE 9m gauge\n9m 1\n"), ExpositionError);  // metric name
  EXPECT_THROW(parse_exposition("# HELP c h\n# TYPE c counter\nc 1\n"), ExpositionError);   // counter without _total
  EXPECT_THROW(parse_exposition(head + "m 1\n# HELP n h\n# TYPE n gauge\nn 1\nm{a=\"b\"} 2\n"), ExpositionError);
  EXPECT_THROW(parse_exposition(head + "m 1"), ExpositionError);                        // no final newline
}
