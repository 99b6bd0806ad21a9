#include "meterd/http/response.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "header_text.hpp"

namespace meterd::http {

Response Response::json(const nlohmann::json& value, int status) {
  Response response;
  response.status = status;
  // Replace invalid UTF-8 rather than throwing: a meter id with a stray byte must not cost a 500.
  response.body = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.set_header("Content-Type", "application/json");
  response.set_header("Cache-Control", "no-store");
  return response;
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.set_header("Content-Type", std::move(content_type));
  return response;
}

Response Response::error(int status, std::string_view message) {
  return json({{"error", {{"status", status}, {"message", std::string(message)}}}}, status);
}

Response Response::events(std::shared_ptr<EventStream> stream) {
  Response response;
  response.stream = std::move(stream);
  response.set_header("Content-Type", "text/event-stream");
  response.set_header("Cache-Control", "no-store");
  // Reverse proxies (nginx) would otherwise buffer the stream and delay every event.
  response.set_header("X-Accel-Buffering", "no");
  return response;
}

Response& Response::set_header(std::string name, std::string value) {
  for (auto& [key, existing] : headers) {
    if (iequals(key, name)) {
      existing = std::move(value);
      return *this;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::optional<std::string> Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 507: return "Insufficient Storage";
    default: return "Unknown";
  }
}

}  // namespace meterd::http
