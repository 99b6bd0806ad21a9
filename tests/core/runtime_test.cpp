#include "meterd/runtime/runtime.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "meterd/runtime/pipeline_loader.hpp"
#include "process_runner.hpp"

using namespace meterd;

namespace {

struct Loaded {
  PluginRegistry registry;
  PipelineConfig config;
};

std::unique_ptr<Loaded> load(const std::filesystem::path& dir, const std::string& text) {
  test::write_file(dir / "t.conf", text);
  auto l = std::make_unique<Loaded>();
  l->config = load_pipeline((dir / "t.conf").string(), l->registry,
                            {std::string(METERD_BUILD_DIR) + "/plugins", METERD_TEST_PLUGIN_DIR});
  return l;
}

std::map<std::string, long> counts(const std::filesystem::path& file) {
  std::map<std::string, long> out;
  std::istringstream in(test::read_file(file));
  std::string key;
  long n;
  while (in >> key >> n) {
    out[key] = n;
    if (key == "total") {
      in >> key >> n;
      out[key] = n;
    }
  }
  return out;
}

}  // namespace

TEST(Runtime, ConstructorFailureNamesPluginFileAndSection) {
  auto dir = test::fresh_dir("runtime-ctor");
  auto l = load(dir, "[source.a]\nplugin = simulator\n[sink.bad]\nplugin = throwing\nfail = constructor\n");
  Runtime rt(std::move(l->config));
  try {
    rt.create();
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("plugin 'throwing'"), std::string::npos) << m;
    EXPECT_NE(m.find("libmeterd_throwing.so"), std::string::npos) << m;
    EXPECT_NE(m.find("[sink.bad]"), std::string::npos) << m;
    EXPECT_NE(m.find("cannot reach the flux capacitor"), std::string::npos) << m;
  }
}

TEST(Runtime, ASinkThatThrowsIsStoppedAndTheOthersKeepEverything) {
  auto dir = test::fresh_dir("runtime-throw");
  auto l = load(dir,
                "[meterd]\nexit_when_sources_done = true\n[source.a]\nplugin = simulator\nspeed = 0\ncount = 300\n"
                "[sink.bad]\nplugin = throwing\nfail = consume\nafter = 10\n"
                "[sink.bad_start]\nplugin = throwing\nfail = start\noptional = true\n"
                "[sink.count]\nplugin = counting\noutput = " + (dir / "counts").string() + "\n");
  Runtime rt(std::move(l->config));
  rt.create();
  rt.start();
  rt.wait();
  rt.shutdown();
  EXPECT_EQ(rt.failed_instances(), 1) << "an optional sink that does not start is not a failure of the run";
  auto c = counts(dir / "counts");
  EXPECT_EQ(c["a/SIM-house"], 300);
  EXPECT_EQ(c["a/SIM-heat_pump"], 300);
}

TEST(Runtime, ASinkThatCannotStartStopsTheStartUnlessOptional) {
  auto dir = test::fresh_dir("runtime-start-refused");
  auto l = load(dir,
                "[source.a]\nplugin = simulator\nspeed = 0\n"
                "[sink.bad_start]\nplugin = throwing\nfail = start\n"
                "[sink.count]\nplugin = counting\noutput = " + (dir / "counts").string() + "\n");
  Runtime rt(std::move(l->config));
  rt.create();
  try {
    rt.start();
    FAIL() << "expected the start to be refused";
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("[sink.bad_start]: refused to start"), std::string::npos) << m;
    EXPECT_NE(m.find("optional = true"), std::string::npos) << m;
  }
  rt.shutdown();  // the sinks that did start see the drain marker and stop
  EXPECT_EQ(counts(dir / "counts")["total"], 0) << "no source ran";
}

TEST(Runtime, StopMidStreamDrainsEveryPublishedReading) {
  auto dir = test::fresh_dir("runtime-drain");
  auto l = load(dir,
                "[source.a]\nplugin = simulator\nspeed = 0\n"
                "[sink.count]\nplugin = counting\noutput = " + (dir / "counts").string() + "\n"
                "[sink.file]\nplugin = file\ndirectory = " + (dir / "out").string() + "\n");
  Runtime rt(std::move(l->config));
  rt.create();
  rt.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  rt.stop();
  rt.shutdown();
  auto c = counts(dir / "counts");
  EXPECT_GT(c["total"], 100);
  EXPECT_EQ(c["total"], c["max_sequence"]) << "count in must equal count out";
  const std::string lines = test::read_file(dir / "out" / "file.jsonl");
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), c["total"]);
  EXPECT_EQ(rt.bus().drops(), 0u);
}

TEST(Runtime, SinkRoutingBySourceAndMeter) {
  auto dir = test::fresh_dir("runtime-routing");
  auto l = load(dir,
                "[meterd]\nexit_when_sources_done = true\n"
                "[source.a]\nplugin = simulator\nspeed = 0\ncount = 50\nmeters = house=A1\n"
                "[source.b]\nplugin = simulator\nspeed = 0\ncount = 70\nmeters = house=B1,heat_pump=B2\n"
                "[sink.only_b]\nplugin = counting\nsources = b\noutput = " + (dir / "b").string() + "\n"
                "[sink.only_b2]\nplugin = counting\nmeters = B2\noutput = " + (dir / "b2").string() + "\n");
  Runtime rt(std::move(l->config));
  rt.create();
  rt.start();
  rt.wait();
  rt.shutdown();
  auto b = counts(dir / "b");
  EXPECT_EQ(b["b/B1"], 70);
  EXPECT_EQ(b["b/B2"], 70);
  EXPECT_EQ(b.count("a/A1"), 0u);
  auto b2 = counts(dir / "b2");
  EXPECT_EQ(b2["b/B2"], 70);
  EXPECT_EQ(b2["total"], 70);
}
