#include "meterd/http/static_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

using namespace meterd::http;
namespace fs = std::filesystem;

namespace {
struct TempSite {
  fs::path root;
  TempSite() {
    root = fs::temp_directory_path() / ("meterd-static-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "assets");
    std::ofstream(root / "index.html") << "<html>app</html>";
    std::ofstream(root / "assets" / "app.1234.js") << "console.log(1)";
    std::ofstream(root.parent_path() / "meterd-secret.txt") << "secret";
  }
  ~TempSite() { fs::remove_all(root); }
};

Request get(const std::string& path, std::vector<std::pair<std::string, std::string>> headers = {}) {
  Request r;
  r.method = "GET";
  r.path = path;
  r.headers = std::move(headers);
  return r;
}
}  // namespace

TEST(StaticFiles, ServesWithTypesAndCachingHeaders) {
  TempSite site;
  StaticFiles files(site.root);
  auto index = files.serve(get("/"), "/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->body, "<html>app</html>");
  EXPECT_EQ(index->header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->header("cache-control"), "no-cache");
  auto js = files.serve(get("/assets/app.1234.js"), "/assets/app.1234.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(js->header("content-type"), "text/javascript; charset=utf-8");
  const auto etag = js->header("etag").value();
  auto again = files.serve(get("/assets/app.1234.js", {{"if-none-match", etag}}), "/assets/app.1234.js");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
}

TEST(StaticFiles, ClientRoutesGetTheIndexButMissingFilesDoNot) {
  TempSite site;
  StaticFiles files(site.root);
  EXPECT_EQ(files.serve(get("/history/2024"), "/history/2024")->body, "<html>app</html>");
  EXPECT_FALSE(files.serve(get("/missing.js"), "/missing.js"));
}

TEST(StaticFiles, RefusesTraversalHiddenFilesAndAbsentDirectories) {
  TempSite site;
  StaticFiles files(site.root);
  EXPECT_FALSE(files.serve(get("/../meterd-secret.txt"), "/../meterd-secret.txt"));
  EXPECT_FALSE(files.serve(get("/assets/../../meterd-secret.txt"), "/assets/../../meterd-secret.txt"));
  EXPECT_FALSE(files.serve(get("/.env"), "/.env"));
  StaticFiles none(site.root / "nope");
  EXPECT_FALSE(none.available());
  EXPECT_FALSE(none.serve(get("/"), "/"));
}

TEST(StaticFiles, AbsoluteAndSchemePathsAreNeverJoinedSoNothingRevealsWhetherAFileExists) {
  TempSite site;
  StaticFiles files(site.root);
  const auto secret = (site.root.parent_path() / "meterd-secret.txt").string();
  for (const std::string& path : std::vector<std::string>{"/" + secret, "//etc/passwd", "//etc/nonexistent", "/file:/etc/passwd",
                                 "/c:/windows", "/assets//app.1234.js", "/a\\..\\b"}) {
    EXPECT_FALSE(safe_url_path(path)) << path;
    // Not even the client-route fallback: an existing and a missing file look the same.
    EXPECT_FALSE(files.serve(get(path), path)) << path;
  }
  EXPECT_TRUE(safe_url_path("/"));
  EXPECT_TRUE(safe_url_path("/assets/app.1234.js"));
  EXPECT_TRUE(safe_url_path("/share/"));
}
