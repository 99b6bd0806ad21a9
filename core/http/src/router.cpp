#include "meterd/http/router.hpp"

#include <exception>
#include <stdexcept>

#include "meterd/http/http_error.hpp"

namespace meterd::http {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = path.empty() || path.front() != '/' ? 0 : 1;
  while (true) {
    const auto slash = path.find('/', start);
    if (slash == std::string::npos) {
      segments.push_back(path.substr(start));
      return segments;
    }
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

void Router::add(std::string method, std::string pattern, Handler handler) {
  auto segments = split_path(pattern);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& s = segments[i];
    if (s.size() > 3 && s.front() == '{' && s.substr(s.size() - 2) == "*}" && i + 1 != segments.size())
      throw std::invalid_argument("a rest parameter must be the last segment: " + pattern);
  }
  routes_.push_back(Route{std::move(method), std::move(segments), std::move(handler)});
}

bool Router::match(const Route& route, const std::vector<std::string>& path_segments,
                   std::map<std::string, std::string>& params) {
  params.clear();
  for (std::size_t i = 0; i < route.segments.size(); ++i) {
    const std::string& want = route.segments[i];
    const bool is_param = want.size() > 2 && want.front() == '{' && want.back() == '}';
    if (is_param && want[want.size() - 2] == '*') {
      std::string rest;
      for (std::size_t j = i; j < path_segments.size(); ++j) rest += (j == i ? "" : "/") + path_segments[j];
      params[want.substr(1, want.size() - 3)] = rest;
      return true;
    }
    if (i >= path_segments.size()) return false;
    if (is_param) {
      if (path_segments[i].empty()) return false;
      params[want.substr(1, want.size() - 2)] = path_segments[i];
    } else if (want != path_segments[i]) {
      return false;
    }
  }
  return route.segments.size() == path_segments.size();
}

Response Router::dispatch(Request& request) const {
  try {
    const auto segments = split_path(request.path);
    std::string allowed;
    const Route* get_route = nullptr;
    std::map<std::string, std::string> get_params;
    std::map<std::string, std::string> params;
    for (const auto& route : routes_) {
      if (!match(route, segments, params)) continue;
      if (route.method == request.method) {
        request.path_params = std::move(params);
        return route.handler(request);
      }
      if (route.method == "GET" && request.method == "HEAD" && !get_route) {
        get_route = &route;
        get_params = params;
      }
      allowed += (allowed.empty() ? "" : ", ") + route.method;
    }
    if (get_route) {
      request.path_params = std::move(get_params);
      return get_route->handler(request);
    }
    if (!allowed.empty()) {
      auto response = Response::error(405, "method " + request.method + " not allowed here; use " + allowed);
      response.set_header("Allow", allowed);
      return response;
    }
    if (fallback_) return fallback_(request);
    return Response::error(404, "no such resource: " + request.path);
  } catch (const HttpError& error) {
    return Response::error(error.status(), error.what());
  } catch (const std::exception&) {
    // The detail may reveal internals (paths, SQL); the owner of the handler logs it.
    return Response::error(500, "internal error");
  }
}

}  // namespace meterd::http
