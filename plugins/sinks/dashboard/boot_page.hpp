#pragma once
// The front end's page with the answers its first requests would fetch (session, meters,
// settings) written into it as a JSON data block, so a slow device starts drawing without a
// round trip first. Such a page holds one session's answers: it is never cached nor answered
// "not modified".
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "meterd/http/request.hpp"
#include "meterd/http/response.hpp"
#include "meterd/http/static_files.hpp"

namespace meterd::dashboard {

// The id of the data block in the page; the front end reads it from there.
inline constexpr const char* kBootElementId = "boot";

// `value` as the text of a <script type="application/json">: every '<' written as \u003c, so
// nothing inside ("</script>", "<!--") can end the block or change how HTML reads it.
std::string script_json(const nlohmann::json& value);

// `page` with the data block inserted before its first script or </head> (at the start when
// there is neither).
std::string with_boot_data(std::string page, const nlohmann::json& boot);

// A path the front end's page answers (no file extension, or .html), as opposed to its assets.
bool is_page_path(const std::string& url_path);

// Serves `url_path` from `files`; for a page, `boot` is asked for this request's data
// (nullopt: none, e.g. no session) and the page carries it.
std::optional<http::Response> serve_with_boot(const http::StaticFiles& files, const http::Request& request,
                                              const std::string& url_path,
                                              const std::function<std::optional<nlohmann::json>()>& boot);

}  // namespace meterd::dashboard
