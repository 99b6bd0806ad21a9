#pragma once
// The energy community over HTTP, for the admin (the community's operator) only:
//   GET /api/community                         the community as configured
//   GET /api/community/summary?period=P        production, self-sufficiency, members' shares and income
//   GET /api/community/bill?member=ID&period=P  one member's itemised bill
//   GET /api/community/intervals?period=P      the allocation of every 15-min interval
//       ...&group=day                          the same summed per local day (the operator's view)
//   GET /api/community/now                     production and consumption now, from the live feed
//   GET /api/community/reconcile?period=P      each member meter's 15-min energy against the grid
//                                              operator's (community_reference): what differs
//   POST /api/community/shares                 a share link per member, for its own bills
//   GET /api/community-bill?period=P            under a member's share link (/s/<token>/...):
//                                               that member's bill, never another's
// P is the billing period: 2026-03 (month), 2026-Q1 (quarter) or 2026 (year), as configured.
// Answers are JSON, or with format=csv a CSV download, or (summary and bill) format=html a
// printable page. Everything is computed from the store: a period asked again gives the same
// bytes as long as its data did not change. The period's ledger is computed once per store
// generation and shared by the bills, the summary and the share-link bill
// (community_ledger_cache.hpp); the intervals list computes its own as it writes the rows.
#include <functional>
#include <memory>

#include "access_control.hpp"
#include "meterd/community.hpp"
#include "meterd/http/router.hpp"
#include "community_bill.hpp"
#include "live_feed.hpp"
#include "community_ledger_cache.hpp"
#include "statistics.hpp"

namespace meterd::dashboard {

class CommunityApi {
 public:
  CommunityApi(const HistoryStore& store, const Statistics& stats, AccessControl& access, const LiveFeed& live,
               Community community, std::int64_t offline_after_ms, std::function<std::int64_t()> clock)
      : store_(store), stats_(stats), access_(access), live_(live), community_(std::move(community)),
        offline_after_ms_(offline_after_ms), clock_(std::move(clock)) {}

  // `is_admin` decides every request; others get 401.
  void add_routes(http::Router& router, std::function<bool(const http::Request&)> is_admin) const;
  // The `community-bill` endpoint: the admin names any member; a share link sees the bill of
  // the member whose meters and membership in the period it covers, and nothing else.
  http::Response shared_bill(http::Request& request, const Access& access) const;

 private:
  http::Response config(http::Request& request) const;
  http::Response summary(http::Request& request) const;
  http::Response bill(http::Request& request) const;
  http::Response intervals(http::Request& request) const;
  http::Response days(const std::string& label, std::int64_t first_day, std::int64_t from, std::int64_t to,
                      const std::string& format) const;
  http::Response now(http::Request& request) const;
  http::Response reconcile(http::Request& request) const;
  http::Response create_shares(http::Request& request) const;
  http::Response render_bill(const Bill& bill, const std::string& format) const;
  // The members a share link covers in [from, to): all their meters in it, their membership
  // in that span inside its window.
  std::vector<std::size_t> covered_members(const Access& access, std::int64_t from, std::int64_t to) const;
  // The ledger of [from, to) at the store's current generation, computed once.
  std::shared_ptr<const CommunityLedger> ledger_of(std::int64_t from, std::int64_t to) const;

  const HistoryStore& store_;
  const Statistics& stats_;
  AccessControl& access_;
  const LiveFeed& live_;
  Community community_;
  std::int64_t offline_after_ms_;
  std::function<std::int64_t()> clock_;
  mutable CommunityLedgerCache ledgers_;  // shared by concurrent requests; it locks itself
};

}  // namespace meterd::dashboard
