#include "share_scope.hpp"

#include "meterd/http/http_error.hpp"

namespace meterd::dashboard {

using http::HttpError;

void require_endpoint(const Access& access, const std::string& endpoint, Detail least) {
  if (access.admin) return;
  if (!access.share) throw HttpError(401, "log in first");
  if (!access.at_least(least))
    throw HttpError(403, std::string("this link shares '") + detail_name(access.share->detail) + "' detail only; '" +
                             endpoint + "' is not included");
}

Range scoped(Range range, const Access& access) {
  if (!access.clamp_range(range.from, range.to)) throw HttpError(403, "the requested range is outside what this link shares");
  return range;
}

bool period_visible(const Access& access, std::int64_t start_ms, std::int64_t end_ms) {
  if (access.admin) return true;
  return access.share && start_ms >= access.share->from_ms && end_ms <= access.share->to_ms;
}

bool present_visible(const Access& access, std::int64_t now_ms) {
  if (access.admin) return true;
  return access.share && now_ms >= access.share->from_ms && now_ms < access.share->to_ms;
}

void require_present(const Access& access, std::int64_t now_ms) {
  if (!present_visible(access, now_ms))
    throw HttpError(403, "this link's dates do not include the present, so it shows no current values");
}

bool quantity_visible(const Access& access, const std::string& quantity) {
  return access.at_least(Detail::full) || quantity.rfind("voltage", 0) != 0;
}

bool reading_visible(const Access& access, const std::string& meter, std::int64_t time_ms) {
  if (access.admin) return true;
  return access.allows_meter(meter) && time_ms >= access.share->from_ms && time_ms < access.share->to_ms;
}

}  // namespace meterd::dashboard
