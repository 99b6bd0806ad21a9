#include "meterd/http/static_files.hpp"

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

namespace meterd::http {

namespace fs = std::filesystem;

std::string content_type_for(const fs::path& file) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".map", "application/json"}, {".svg", "image/svg+xml"},
      {".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".ico", "image/x-icon"},
      {".webp", "image/webp"}, {".woff", "font/woff"}, {".woff2", "font/woff2"}, {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"}, {".wasm", "application/wasm"}};
  auto it = types.find(file.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

StaticFiles::StaticFiles(fs::path root, StaticFilesOptions options)
    : root_(std::move(root)), options_(std::move(options)) {}

// Only plain relative names are joined to the root: no traversal, no hidden files, no empty
// segment ("//etc/shadow" would join as the absolute /etc/shadow) and no ':' (a scheme or a
// drive). Refused paths get the same answer whether or not such a file exists.
bool safe_url_path(const std::string& url_path) {
  if (url_path.empty() || url_path.front() != '/') return false;
  if (url_path.find_first_of(":\\") != std::string::npos) return false;
  std::size_t start = 1;
  while (start < url_path.size()) {
    auto slash = url_path.find('/', start);
    if (slash == std::string::npos) slash = url_path.size();
    const auto segment = std::string_view(url_path).substr(start, slash - start);
    // A trailing slash is allowed; an empty segment inside is not.
    if (segment.empty() ? slash != url_path.size() - 1 : segment.front() == '.') return false;
    start = slash + 1;
  }
  return true;
}

bool StaticFiles::available() const {
  std::error_code ec;
  return fs::is_directory(root_, ec);
}

std::optional<Response> StaticFiles::serve(const Request& request, const std::string& url_path) const {
  if (!available()) return std::nullopt;
  if (!safe_url_path(url_path)) return std::nullopt;
  fs::path file = root_ / url_path.substr(1);
  std::error_code ec;
  if (url_path == "/" || fs::is_directory(file, ec)) file /= options_.index;
  if (fs::is_regular_file(file, ec)) return serve_file(request, file, url_path);
  if (options_.spa_fallback && !fs::path(url_path).has_extension())
    return serve_file(request, root_ / options_.index, "/" + options_.index);
  return std::nullopt;
}

std::optional<Response> StaticFiles::serve_file(const Request& request, const fs::path& file,
                                                const std::string& url_path) const {
  std::error_code ec;
  // Symlinks pointing outside the root are not served.
  const auto canonical_root = fs::canonical(root_, ec);
  if (ec) return std::nullopt;
  const auto canonical_file = fs::canonical(file, ec);
  if (ec) return std::nullopt;
  auto rel = canonical_file.lexically_relative(canonical_root);
  if (rel.empty() || *rel.begin() == "..") return std::nullopt;
  const auto size = fs::file_size(canonical_file, ec);
  if (ec || size > options_.max_file_bytes) return std::nullopt;
  const auto mtime = fs::last_write_time(canonical_file, ec);
  if (ec) return std::nullopt;
  char etag[64];
  std::snprintf(etag, sizeof etag, "\"%llx-%llx\"", static_cast<unsigned long long>(size),
                static_cast<unsigned long long>(mtime.time_since_epoch().count()));
  Response response;
  response.set_header("ETag", etag);
  response.set_header("Cache-Control", url_path.rfind(options_.immutable_prefix, 0) == 0
                                           ? "public, max-age=31536000, immutable"
                                           : "no-cache");
  if (auto match = request.header("if-none-match"); match && match->find(etag) != std::string::npos) {
    response.status = 304;
    return response;
  }
  std::ifstream in(canonical_file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  response.body = content.str();
  response.set_header("Content-Type", content_type_for(canonical_file));
  return response;
}

}  // namespace meterd::http
