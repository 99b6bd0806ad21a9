#include <gtest/gtest.h>

#include "meterd/runtime/plugin_registry.hpp"
#include "meterd/runtime/runtime.hpp"

using namespace meterd;

namespace {
std::string failure_for(const PluginRegistry& r, const std::string& file_part) {
  for (const auto& f : r.failures())
    if (f.file.string().find(file_part) != std::string::npos) return f.message;
  return {};
}
}  // namespace

TEST(PluginLoading, BundledPluginsLoad) {
  PluginRegistry r;
  r.scan({std::string(METERD_BUILD_DIR) + "/plugins"});
  ASSERT_NE(r.find("file"), nullptr);
  ASSERT_NE(r.find("simulator"), nullptr);
  EXPECT_EQ(r.find("file")->info->kind, sdk::Kind::sink);
}

TEST(PluginLoading, EachBrokenPluginIsRefusedWithAReasonAndTheOthersStillLoad) {
  PluginRegistry r;
  r.scan({METERD_TEST_PLUGIN_DIR});
  EXPECT_NE(failure_for(r, "libmeterd_wrong_api.so").find("built for plugin API version 42"), std::string::npos)
      << failure_for(r, "wrong_api");
  EXPECT_NE(failure_for(r, "libmeterd_no_symbols.so").find("does not export meterd_plugin_api_version"), std::string::npos);
  EXPECT_NE(failure_for(r, "libmeterd_missing_dep.so").find("cannot be loaded"), std::string::npos)
      << failure_for(r, "missing_dep");
  EXPECT_NE(r.find("throwing"), nullptr);
  EXPECT_NE(r.find("counting"), nullptr);
  EXPECT_NE(r.describe_available().find("not loaded: libmeterd_wrong_api.so"), std::string::npos);
}

TEST(PluginLoading, MissingDirectoryIsReportedNotFatal) {
  PluginRegistry r;
  r.scan({"/nonexistent/plugins", std::string(METERD_BUILD_DIR) + "/plugins"});
  EXPECT_NE(r.find("file"), nullptr);
  EXPECT_NE(failure_for(r, "/nonexistent/plugins").find("does not exist"), std::string::npos);
}
