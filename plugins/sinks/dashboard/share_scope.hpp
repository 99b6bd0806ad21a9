#pragma once
// The one scope check every read endpoint goes through: who is asking (admin or share link),
// whether the link's detail level includes the endpoint, which meters, which time range,
// whether "now" is inside the link's dates (for current values and live data), and, for a
// live stream, whether its link or session still holds. Throws HttpError (401, 403, 404).
#include <cstdint>
#include <functional>
#include <string>

#include "access_control.hpp"
#include "request_params.hpp"

namespace meterd::dashboard {

// 401 without admin or share, 403 when the share's detail level does not include `endpoint`.
void require_endpoint(const Access& access, const std::string& endpoint, Detail least);
// The share's window applied to `range`; an empty intersection is a 403, never silently
// data from outside.
Range scoped(Range range, const Access& access);
// True when the whole period [start, end) lies inside what the access may see.
bool period_visible(const Access& access, std::int64_t start_ms, std::int64_t end_ms);
// Current values belong to the present: a share whose dates do not include now gets none.
bool present_visible(const Access& access, std::int64_t now_ms);
void require_present(const Access& access, std::int64_t now_ms);
// Voltage (and other measurements below 'full') are only for full detail.
bool quantity_visible(const Access& access, const std::string& quantity);
// Whether one live reading may go to this access: its meter and its time.
bool reading_visible(const Access& access, const std::string& meter, std::int64_t time_ms);

}  // namespace meterd::dashboard
