#pragma once
// Serves a built front end from a directory: content types, ETag/If-None-Match (304),
// long immutable caching for fingerprinted assets, no-cache for the HTML entry point, and
// refusal of anything outside the directory.
#include <filesystem>
#include <optional>
#include <string>

#include "meterd/http/request.hpp"
#include "meterd/http/response.hpp"

namespace meterd::http {

struct StaticFilesOptions {
  std::string index = "index.html";
  // Paths under this prefix carry a content hash in their name, so they may be cached forever.
  std::string immutable_prefix = "/assets/";
  // Unknown paths without a file extension get the index (client-side routing).
  bool spa_fallback = true;
  std::uintmax_t max_file_bytes = 32u * 1024u * 1024u;
};

class StaticFiles {
 public:
  StaticFiles(std::filesystem::path root, StaticFilesOptions options = {});
  // nullopt when the directory does not exist or the file is not there (caller answers 404).
  // `url_path` is the decoded path below the mount point, starting with '/'.
  std::optional<Response> serve(const Request& request, const std::string& url_path) const;
  bool available() const;

 private:
  std::optional<Response> serve_file(const Request& request, const std::filesystem::path& file,
                                     const std::string& url_path) const;
  std::filesystem::path root_;
  StaticFilesOptions options_;
};

std::string content_type_for(const std::filesystem::path& file);
// True for a URL path that may be joined to a directory: absolute, no "..", hidden, empty
// segments ("//etc"), ':' or '\\'.
bool safe_url_path(const std::string& url_path);

}  // namespace meterd::http
