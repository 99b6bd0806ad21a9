// A table of bad configs, each with the message a user must see.
#include <gtest/gtest.h>

#include "meterd/runtime/pipeline_loader.hpp"
#include "process_runner.hpp"

using namespace meterd;

namespace {

struct BadConfig {
  const char* name;
  const char* text;
  const char* expected;  // substring of the error
};

const BadConfig kBadConfigs[] = {
    {"unknown_section", "[sauce.x]\nplugin = file\n", "t.conf:1: [sauce.x] unknown section"},
    {"option_outside_section", "plugin = file\n", "t.conf:1: option outside of any section"},
    {"missing_bracket", "[source.a\n", "t.conf:1: section header '[source.a' is missing its closing ']'"},
    {"not_key_value", "[source.a]\nplugin simulator\n", "t.conf:2: expected 'option = value'"},
    {"duplicate_section", "[source.a]\nplugin = simulator\n[source.a]\nplugin = simulator\n",
     "t.conf:3: section [source.a] appears twice"},
    {"missing_plugin", "[source.a]\ncount = 3\n", "t.conf:1: [source.a] missing required option 'plugin'"},
    {"unknown_plugin", "[source.a]\nplugin = teleporter\n[sink.f]\nplugin = file\ndirectory = o\n",
     "t.conf:2: [source.a] option 'plugin': no plugin named 'teleporter' (available: "},
    {"sink_plugin_in_source_section", "[source.a]\nplugin = file\n",
     "t.conf:2: [source.a] option 'plugin': 'file' is a sink plugin; put it in a [sink.NAME] section"},
    {"unknown_option", "[source.a]\nplugin = simulator\ncolour = blue\n[sink.f]\nplugin = file\ndirectory = o\n",
     "t.conf:3: [source.a] unknown option 'colour' (valid options: plugin, optional, meters, interval_ms"},
    {"bad_value", "[source.a]\nplugin = simulator\ncount = many\n[sink.f]\nplugin = file\ndirectory = o\n",
     "t.conf:3: [source.a] option 'count': invalid value 'many'"},
    {"option_twice", "[source.a]\nplugin = simulator\ncount = 1\ncount = 2\n[sink.f]\nplugin = file\ndirectory = o\n",
     "t.conf:4: [source.a] option 'count' is already set on line 3"},
    {"missing_required_plugin_option", "[source.a]\nplugin = simulator\n[sink.f]\nplugin = file\n",
     "t.conf:3: [sink.f] missing required option 'directory'"},
    {"routing_to_missing_source",
     "[source.a]\nplugin = simulator\n[sink.f]\nplugin = file\ndirectory = o\nsources = b\n",
     "t.conf:6: [sink.f] option 'sources': there is no [source.b] section"},
    {"no_sources", "[sink.f]\nplugin = file\ndirectory = o\n", "no [source.NAME] section and no [bus] import"},
    {"no_sinks", "[source.a]\nplugin = simulator\n", "no [sink.NAME] section and no [bus] export"},
    {"bad_time_zone", "[meterd]\ntime_zone = Mars/Olympus\n[source.a]\nplugin = simulator\n",
     "t.conf:1: [meterd] option 'time_zone': unknown time zone 'Mars/Olympus'"},
    {"bad_bus_option", "[bus]\nhigh_water_mark = lots\n", "t.conf:2: [bus] option 'high_water_mark': invalid value 'lots'"},
};

class BadConfigTest : public ::testing::TestWithParam<BadConfig> {};

}  // namespace

TEST_P(BadConfigTest, NamesFileLineSectionAndOption) {
  const auto dir = test::fresh_dir(std::string("config-") + GetParam().name);
  test::write_file(dir / "t.conf", GetParam().text);
  PluginRegistry registry;
  try {
    load_pipeline((dir / "t.conf").string(), registry, {std::string(METERD_BUILD_DIR) + "/plugins"});
    FAIL() << "config was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(GetParam().expected), std::string::npos)
        << "message: " << e.what() << "\nexpected to contain: " << GetParam().expected;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, BadConfigTest, ::testing::ValuesIn(kBadConfigs),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Config, MissingFileSaysSo) {
  PluginRegistry registry;
  EXPECT_THROW(load_pipeline("/nonexistent/meterd.conf", registry, {}), ConfigError);
}

TEST(Config, GoodConfigParsesRoutingAndDefaults) {
  const auto dir = test::fresh_dir("config-good");
  test::write_file(dir / "t.conf",
                   "# comment\n[meterd]\nstate_dir = st\n\n[source.a]\nplugin = simulator\ncount = 5\n"
                   "[source.b]\nplugin = simulator\n[sink.f]\nplugin = file\ndirectory = o\nsources = a\n"
                   "meters = M1, M2\ndiagnostics = true\n");
  PluginRegistry registry;
  auto c = load_pipeline((dir / "t.conf").string(), registry, {std::string(METERD_BUILD_DIR) + "/plugins"});
  ASSERT_EQ(c.sources.size(), 2u);
  ASSERT_EQ(c.sinks.size(), 1u);
  EXPECT_EQ(c.sources[0].options["count"].as<std::uint64_t>(), 5u);
  EXPECT_EQ(c.sources[1].options["count"].as<std::uint64_t>(), 0u) << "defaults apply";
  EXPECT_EQ(c.sinks[0].sources, std::vector<std::string>{"a"});
  EXPECT_EQ(c.sinks[0].meters, (std::vector<std::string>{"M1", "M2"}));
  EXPECT_TRUE(c.sinks[0].diagnostics);
  EXPECT_EQ(c.state_dir, dir / "st") << "relative paths are relative to the config file";
  EXPECT_EQ(c.time_zone, "Europe/Zurich");
}
