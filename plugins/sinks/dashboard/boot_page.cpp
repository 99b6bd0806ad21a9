#include "boot_page.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace meterd::dashboard {

std::string script_json(const nlohmann::json& value) {
  // '<' appears only inside JSON strings, where \u003c is the same character to JSON.parse.
  const auto text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + 16);
  for (const char c : text) {
    if (c == '<') out += "\\u003c";
    else out += c;
  }
  return out;
}

std::string with_boot_data(std::string page, const nlohmann::json& boot) {
  const auto block = std::string("<script type=\"application/json\" id=\"") + kBootElementId + "\">" +
                     script_json(boot) + "</script>";
  std::string lower(page.size(), '\0');
  std::transform(page.begin(), page.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  // Ahead of the page's scripts, so even one that is not deferred finds it.
  const auto head_end = lower.find("</head>");
  const auto at = std::min(lower.find("<script"), head_end);
  page.insert(at == std::string::npos ? 0 : at, block);
  return page;
}

bool is_page_path(const std::string& url_path) {
  const auto extension = std::filesystem::path(url_path).extension();
  return extension.empty() || extension == ".html";
}

std::optional<http::Response> serve_with_boot(const http::StaticFiles& files, const http::Request& request,
                                              const std::string& url_path,
                                              const std::function<std::optional<nlohmann::json>()>& boot) {
  if (!is_page_path(url_path)) return files.serve(request, url_path);
  const auto data = boot();
  if (!data) return files.serve(request, url_path);
  // The file's tag says nothing about the data in it: always the whole page.
  http::Request fresh = request;
  std::erase_if(fresh.headers, [](const auto& h) { return h.first == "if-none-match"; });
  auto page = files.serve(fresh, url_path);
  if (!page || page->status != 200 || page->header("content-type").value_or("").rfind("text/html", 0) != 0) return page;
  page->body = with_boot_data(std::move(page->body), *data);
  std::erase_if(page->headers, [](const auto& h) { return h.first == "ETag"; });
  page->set_header("Cache-Control", "no-store");
  return page;
}

}  // namespace meterd::dashboard
