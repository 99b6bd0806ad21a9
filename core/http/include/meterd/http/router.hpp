#pragma once
// Routing by method and path pattern. Patterns are literal segments, "{name}" segments that
// match one non-empty segment, and an optional final "{name*}" that matches the rest.
// A known path with another method answers 405 with an Allow header; HEAD falls back to GET.
#include <functional>
#include <string>
#include <vector>

#include "meterd/http/request.hpp"
#include "meterd/http/response.hpp"

namespace meterd::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  // Used when no pattern matches the path (static files, share pages); default 404.
  void set_fallback(Handler handler) { fallback_ = std::move(handler); }
  // Runs the matching handler. HttpError and other exceptions become error replies here so a
  // throwing handler never takes the connection or the server down.
  Response dispatch(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  static bool match(const Route& route, const std::vector<std::string>& path_segments,
                    std::map<std::string, std::string>& params);
  std::vector<Route> routes_;
  Handler fallback_;
};

// "/a/b/" -> {"a", "b", ""}; "/" -> {""}.
std::vector<std::string> split_path(const std::string& path);

}  // namespace meterd::http
