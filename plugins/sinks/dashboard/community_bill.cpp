#include "community_bill.hpp"

#include <cmath>
#include <cstdio>

#include "csv_reply.hpp"

namespace meterd::dashboard {
namespace {

using nlohmann::json;

double cents(double v) { return std::round(v * 100) / 100; }
double kwh(std::int64_t wh) { return static_cast<double>(wh) / 1000; }

std::string number(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

BillLine energy_line(std::string item, std::int64_t wh, double amount) {
  BillLine l{std::move(item), wh, true, 0, cents(amount)};
  l.unit_price = wh > 0 ? std::round(amount / kwh(wh) * 10000) / 10000 : 0;
  return l;
}

// The local energy at the internal price, at most the legal cap for a tenant of a ZEV or vZEV.
BillLine local_line(const Community& c, const Member& m, const MemberLedger& e, std::vector<std::string>& notes) {
  double amount = kwh(e.allocated_wh) * c.terms.solar_price;
  const double cap = c.price_cap_factor() * e.local_external_value;
  if (c.kind != CommunityKind::leg && m.tenant && amount > cap) {
    amount = cap;
    notes.push_back(std::string("The local energy is billed at the legal cap: ") + (c.terms.actual_costs ? "100" : "80") +
                    " % of what it would have cost from the grid (EnV Art. 16).");
  }
  BillLine l = energy_line("Local solar energy", e.allocated_wh, amount);
  if (amount == kwh(e.allocated_wh) * c.terms.solar_price) l.unit_price = c.terms.solar_price;
  return l;
}

void add_notes(const CommunityLedger& ledger, const MemberLedger& e, const TimeZone& zone, Bill& b) {
  if (e.missing_intervals > 0) {
    b.complete = false;
    b.notes.push_back(std::to_string(e.missing_intervals) + " of " + std::to_string(e.member_intervals) +
                      " intervals (15 min) have no data from this member's meters (first " +
                      local_iso_time(e.first_missing_ms, zone) + ", last " + local_iso_time(e.last_missing_ms, zone) +
                      "): they are not billed. Import the grid operator's 15-minute data for them or wait for the "
                      "readings, then ask for the bill again.");
  }
  if (ledger.unresolved_intervals > e.missing_intervals) {
    b.complete = false;
    b.notes.push_back(std::to_string(ledger.unresolved_intervals - e.missing_intervals) +
                      " intervals are left out of every bill of the community because another member's meters have no "
                      "data then: the allocation needs every member's energy, and none is invented.");
  }
  if (e.estimated_intervals > 0)
    b.notes.push_back(number(kwh(e.estimated_wh), 3) + " kWh in " + std::to_string(e.estimated_intervals) +
                      " intervals are estimated: spread linearly over a gap in this member's readings (the dashboard's "
                      "gap rule).");
  if (e.producer_import_wh > 0)
    b.notes.push_back("The production meter drew " + number(kwh(e.producer_import_wh), 3) +
                      " kWh itself (an inverter's standby at night); that is this member's consumption, allocated and "
                      "billed like any member's.");
  if (!b.complete) b.notes.insert(b.notes.begin(), "Not final: this bill leaves out intervals without data (below).");
}

json line_json(const BillLine& l) {
  return {{"item", l.item}, {"wh", l.wh}, {"kwh", kwh(l.wh)}, {"per_kwh", l.per_kwh}, {"unit_price", l.unit_price},
          {"amount", l.amount}};
}

}  // namespace

Bill member_bill(const Community& c, const CommunityLedger& ledger, std::size_t index, const Prices& prices,
                 const std::string& label, const TimeZone& zone) {
  const auto& m = c.members[index];
  const auto& e = ledger.members[index];
  Bill b;
  b.community = c.name, b.kind = kind_name(c.kind), b.member_id = m.id, b.member_name = m.name;
  b.role = role_name(m.role), b.period = label, b.currency = prices.currency;
  b.from_ms = e.first_day_ms, b.to_ms = e.end_ms;
  b.energy = e;
  b.lines.push_back(local_line(c, m, e, b.notes));
  if (c.kind == CommunityKind::leg) {
    b.lines.push_back(energy_line("Grid usage for local energy (" + number(c.terms.leg_discount_percent, 0) +
                                      " % off, StromVV Art. 19h)", e.allocated_wh, e.local_usage));
    b.lines.push_back(energy_line("Levies on local energy", e.allocated_wh, e.local_levies));
  }
  b.lines.push_back(energy_line("Grid energy", e.grid_wh, e.grid_energy));
  b.lines.push_back(energy_line("Grid usage", e.grid_wh, e.grid_usage));
  b.lines.push_back(energy_line("Levies", e.grid_wh, e.grid_levies));
  // The fee is for members supplied by the community; a pure producer is billed none.
  if (c.terms.fixed_fee_per_month > 0 && m.role != MemberRole::producer) {
    Prices fee;
    fee.fixed_fee_per_month = c.terms.fixed_fee_per_month;
    const auto days = static_cast<double>(e.end_ms - e.first_day_ms) / 86'400'000.0;
    b.lines.push_back({"Community fee (" + number(days, 0) + " days)", 0, false, c.terms.fixed_fee_per_month,
                       cents(fee.fixed_fee(e.first_day_ms, e.end_ms, zone))});
  }
  for (const auto& l : b.lines) b.subtotal += l.amount;
  b.subtotal = cents(b.subtotal);
  b.vat_percent = prices.vat_percent;
  b.vat = cents(b.subtotal * prices.vat_percent / 100);
  b.total = cents(b.subtotal + b.vat);
  if (m.produces()) {
    b.credits.push_back(energy_line("Local energy sold in the community", e.sold_wh, kwh(e.sold_wh) * c.terms.solar_price));
    b.credits.back().unit_price = c.terms.solar_price;
    b.credits.push_back(energy_line("Fed into the grid (paid by the grid operator)", e.fed_in_wh, e.feed_in_credit));
    for (const auto& l : b.credits) b.credit_total += l.amount;
    b.credit_total = cents(b.credit_total);
  }
  add_notes(ledger, e, zone, b);
  return b;
}

json bill_json(const Bill& b) {
  json lines = json::array(), credits = json::array();
  for (const auto& l : b.lines) lines.push_back(line_json(l));
  for (const auto& l : b.credits) credits.push_back(line_json(l));
  const auto& e = b.energy;
  return {{"community", b.community}, {"kind", b.kind}, {"member", b.member_id}, {"name", b.member_name}, {"role", b.role},
          {"period", b.period}, {"from_ms", b.from_ms}, {"to_ms", b.to_ms}, {"currency", b.currency},
          {"complete", b.complete}, {"notes", b.notes}, {"lines", lines}, {"subtotal", b.subtotal},
          {"vat_percent", b.vat_percent}, {"vat", b.vat}, {"total", b.total}, {"credits", credits},
          {"credit_total", b.credit_total},
          {"energy",
           {{"consumption_wh", e.consumption_wh}, {"allocated_wh", e.allocated_wh}, {"grid_wh", e.grid_wh},
            {"production_wh", e.production_wh}, {"sold_wh", e.sold_wh}, {"fed_in_wh", e.fed_in_wh},
            {"estimated_wh", e.estimated_wh}, {"intervals", e.member_intervals}, {"missing_intervals", e.missing_intervals},
            {"estimated_intervals", e.estimated_intervals}}}};
}

json summary_json(const Community& c, const CommunityLedger& l, const std::vector<Bill>& bills, const std::string& label) {
  const auto ratio = [](std::int64_t a, std::int64_t b) { return b > 0 ? json(static_cast<double>(a) / static_cast<double>(b)) : json(nullptr); };
  json members = json::array();
  bool complete = l.unresolved_intervals == 0;
  for (std::size_t i = 0; i < c.members.size(); ++i) {
    const auto& e = l.members[i];
    const auto& b = bills[i];
    complete = complete && b.complete;
    members.push_back({{"member", c.members[i].id}, {"name", c.members[i].name}, {"role", role_name(c.members[i].role)},
                       {"intervals", e.member_intervals}, {"consumption_wh", e.consumption_wh},
                       {"allocated_wh", e.allocated_wh}, {"share_of_local", ratio(e.allocated_wh, l.local_wh)},
                       {"self_sufficiency", ratio(e.allocated_wh, e.consumption_wh)}, {"grid_wh", e.grid_wh},
                       {"production_wh", e.production_wh}, {"sold_wh", e.sold_wh}, {"fed_in_wh", e.fed_in_wh},
                       {"total_due", b.total}, {"income", b.credit_total}, {"complete", b.complete},
                       {"missing_intervals", e.missing_intervals}, {"estimated_intervals", e.estimated_intervals}});
  }
  return {{"community", c.name}, {"kind", kind_name(c.kind)}, {"period", label}, {"from_ms", l.from_ms}, {"to_ms", l.to_ms},
          {"complete", complete}, {"intervals", l.intervals}, {"unresolved_intervals", l.unresolved_intervals},
          {"estimated_intervals", l.estimated_intervals}, {"production_wh", l.production_wh},
          {"consumption_wh", l.consumption_wh}, {"local_wh", l.local_wh}, {"grid_wh", l.grid_wh},
          {"fed_in_wh", l.fed_in_wh}, {"self_sufficiency", ratio(l.local_wh, l.consumption_wh)},
          {"self_consumption", ratio(l.local_wh, l.production_wh)}, {"members", members}};
}

}  // namespace meterd::dashboard
