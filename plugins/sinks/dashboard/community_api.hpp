#pragma once
// The energy community over HTTP, for the admin (the community's operator) only:
//   GET /api/community                         the community as configured
//   GET /api/community/summary?period=P        production, self-sufficiency, members' shares and income
//   GET /api/community/bill?member=ID&period=P  one member's itemised bill
//   GET /api/community/intervals?period=P      the allocation of every 15-min interval
// P is the billing period: 2026-03 (month), 2026-Q1 (quarter) or 2026 (year), as configured.
// Answers are JSON, or with format=csv a CSV download, or (summary and bill) format=html a
// printable page. Everything is computed from the store on each request: a period asked
// again gives the same bytes as long as its data did not change.
#include <functional>

#include "meterd/community.hpp"
#include "meterd/http/router.hpp"
#include "statistics.hpp"

namespace meterd::dashboard {

class CommunityApi {
 public:
  CommunityApi(const HistoryStore& store, const Statistics& stats, Community community)
      : store_(store), stats_(stats), community_(std::move(community)) {}

  // `is_admin` decides every request; others get 401.
  void add_routes(http::Router& router, std::function<bool(const http::Request&)> is_admin) const;

 private:
  http::Response config(http::Request& request) const;
  http::Response summary(http::Request& request) const;
  http::Response bill(http::Request& request) const;
  http::Response intervals(http::Request& request) const;

  const HistoryStore& store_;
  const Statistics& stats_;
  Community community_;
};

}  // namespace meterd::dashboard
