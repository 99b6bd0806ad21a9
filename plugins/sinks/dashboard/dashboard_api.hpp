#pragma once
// The dashboard's HTTP API on meterd::http: admin endpoints under /api, the same read
// endpoints under /s/<token>/api restricted to the share's scope, live push, and the built
// front end from a directory.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <nlohmann/json.hpp>

#include "access_control.hpp"
#include "answer_cache.hpp"
#include "community_api.hpp"
#include "json_arrays.hpp"
#include "live_feed.hpp"
#include "meter_names.hpp"
#include "request_params.hpp"
#include "meterd/meter_roles.hpp"
#include "meterd/http/router.hpp"
#include "statistics.hpp"

namespace meterd::dashboard {

struct ApiOptions {
  std::filesystem::path web_root;  // built front end; served when it exists
  bool secure_cookies = true;      // false only for plain-HTTP development
  MeterNames meter_names;
  MeterRoles meter_roles;  // what each meter is in the energy balance
  std::function<void(const std::string&)> log_warning;  // failed-login summaries
  std::int64_t offline_after_ms = 60'000;  // a meter silent this long is shown offline
  // Rules, state and history of alerts (at most N notices), for the owner only; unset: none.
  std::function<nlohmann::json(std::size_t)> alerts;
  std::optional<Community> community;  // an energy community billed from these meters
};

class DashboardApi {
 public:
  DashboardApi(HistoryStore& store, Statistics& stats, AccessControl& access, LiveFeed& live, ApiOptions options,
               std::function<std::int64_t()> clock);
  // Ends the live streams, whose scope checks refer to this object.
  ~DashboardApi();
  DashboardApi(const DashboardApi&) = delete;
  DashboardApi& operator=(const DashboardApi&) = delete;
  std::shared_ptr<http::Router> router();
  // A request with a valid admin session (the server keeps connections in reserve for it).
  bool is_admin(const http::Request& request);

 private:
  using Endpoint = std::function<http::Response(http::Request&, const Access&)>;
  void add_endpoints();
  void add_price_endpoints();  // price_api.cpp, with the three below
  std::string price_meter(const http::QueryParams& q, const std::function<bool(const std::string&)>& visible) const;
  nlohmann::json feed_json(std::int64_t now_ms) const;
  nlohmann::json shift_json(const std::string& meter, const char* chosen_by, const Range& range) const;
  http::Response run(const std::string& name, http::Request& request, const Access& access);
  Access admin_access(const http::Request& request);
  std::vector<std::string> visible_meters(const std::vector<std::string>& asked, const Access& access) const;
  // A meter the access may see (404 otherwise: one outside a share's scope looks unknown).
  std::string checked_meter(std::string meter, const Access& access) const;
  // The meters a request asks about: `meter=X`, or `meters=X,Y` for what a view shows side by
  // side, answered in one round trip as {"meters": [X's answer, Y's answer]}.
  struct AskedMeters {
    std::vector<std::string> meters;
    bool listed = false;
    const std::string& one_for_csv() const;
    http::Response reply(const std::function<std::shared_ptr<const std::string>(const std::string&)>& answer) const;
  };
  AskedMeters asked_meters(const http::QueryParams& q, const Access& access) const;
  // The meters this access may see that measure something: a price feed's series (quantity
  // "price", e.g. the day-ahead spot price) is stored under a meter id of its own but is no
  // meter, so it is left out of meter lists, pickers and "all meters" totals.
  std::set<std::string> metered_meters(const Access& access) const;
  nlohmann::json settings_json() const;
  nlohmann::json meters_json(const Access& access) const;
  nlohmann::json session_json(const http::Request& request, const Access& access) const;
  std::optional<nlohmann::json> boot_json(const http::Request& request, const Access& access) const;
  nlohmann::json alerts_json(std::size_t limit) const;
  NamedArrays series_arrays(const SeriesInfo& info, Tier tier, std::int64_t from_ms, std::int64_t to_ms) const;
  std::string live_scope(const http::Request& request, const Access& access) const;
  LiveFeed::StillAllowed still_allowed(const http::Request& request, const Access& access);

  HistoryStore& store_;
  Statistics& stats_;
  AccessControl& access_;
  LiveFeed& live_;
  ApiOptions options_;
  std::function<std::int64_t()> clock_;
  std::map<std::string, std::pair<Detail, Endpoint>> endpoints_;  // name -> least detail a share needs
  // A week of minutes for a meter is about 350 KB: a few views' answers, not a second store.
  AnswerCache answers_{4 << 20};
  std::shared_ptr<const CommunityApi> community_;  // its routes, when a community is configured
};

}  // namespace meterd::dashboard
