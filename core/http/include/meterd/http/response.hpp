#pragma once
// A reply built by a handler. Either a complete body, or an event stream (Server-Sent Events)
// that the server keeps open and feeds as the handler's owner publishes events.
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace meterd::http {

class EventStream;

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::shared_ptr<EventStream> stream;  // set by Response::events

  static Response json(const nlohmann::json& value, int status = 200);
  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  // {"error": {"status": 400, "message": "..."}}
  static Response error(int status, std::string_view message);
  static Response no_content() { return Response{204, {}, {}, {}}; }
  // A Server-Sent Events reply; the server writes events sent to `stream` until it closes.
  static Response events(std::shared_ptr<EventStream> stream);

  // Replaces a header of the same name (case-insensitive) or adds it.
  Response& set_header(std::string name, std::string value);
  std::optional<std::string> header(std::string_view name) const;
};

// Standard reason phrase, for error bodies.
std::string_view reason_phrase(int status);

}  // namespace meterd::http
