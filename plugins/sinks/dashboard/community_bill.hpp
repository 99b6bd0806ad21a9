#pragma once
// A member's bill for one billing period, and the operator's summary of the community, from
// the period's ledger (community_ledger.hpp): itemised lines (local energy at the internal
// price, grid energy with its components, LEG grid usage with its discount, the fixed fee),
// VAT, the credits of a producer, and notes on every interval the figures leave out or
// estimate. Amounts are rounded to the cent line by line and totals are sums of the lines,
// so the same ledger always gives the same bill, byte for byte, in every format.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "community_ledger.hpp"

namespace meterd::dashboard {

struct BillLine {
  std::string item;
  std::int64_t wh = 0;  // the energy the line is for; 0 for fees
  bool per_kwh = true;  // the line is energy times a price
  double unit_price = 0, amount = 0;
};

struct Bill {
  std::string community, kind, member_id, member_name, role, period, currency;
  std::int64_t from_ms = 0, to_ms = 0;
  bool complete = true;  // no interval left out: issuable
  std::vector<std::string> notes;
  std::vector<BillLine> lines;  // charges, without VAT
  double subtotal = 0, vat_percent = 0, vat = 0, total = 0;
  std::vector<BillLine> credits;  // what the member's production earned
  double credit_total = 0;
  MemberLedger energy;
};

// `label`: the period as asked, e.g. "2026-03".
Bill member_bill(const Community& community, const CommunityLedger& ledger, std::size_t member, const Prices& prices,
                 const std::string& label, const TimeZone& zone);
nlohmann::json bill_json(const Bill& bill);

// The operator's view: production, self-sufficiency, each member's share, due and income.
nlohmann::json summary_json(const Community& community, const CommunityLedger& ledger, const std::vector<Bill>& bills,
                            const std::string& label);

}  // namespace meterd::dashboard
