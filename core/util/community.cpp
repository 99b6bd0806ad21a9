#include "meterd/community.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include "meterd/time_zone.hpp"
#include "meterd/trimmed.hpp"

namespace meterd {
namespace {

using std::invalid_argument;

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(separator, start), text.size());
    out.push_back(trimmed(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

// "2026-01-31" as days since 1970-01-01, the date checked to exist.
std::int64_t parse_date(const std::string& id, const std::string& key, const std::string& text) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  const bool shaped = text.size() == 10 && std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3;
  const auto days = shaped ? days_from_civil(y, m, d) : 0;
  const auto back = seconds_to_civil(days * 86400);
  if (!shaped || back.year != y || back.month != m || back.day != d)
    throw invalid_argument("member '" + id + "': " + key + "='" + text + "' is not a date; write YYYY-MM-DD, e.g. 2026-01-01");
  return days;
}

double parse_number(const std::string& id, const std::string& key, const std::string& text) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || !std::isfinite(v) || v < 0)
    throw invalid_argument("member '" + id + "': " + key + "='" + text + "' is not a number of 0 or more");
  return v;
}

MemberRole parse_role(const std::string& id, const std::string& text) {
  if (text == "consumer") return MemberRole::consumer;
  if (text == "producer") return MemberRole::producer;
  if (text == "prosumer") return MemberRole::prosumer;
  if (text == "storage") return MemberRole::storage;
  throw invalid_argument("member '" + id + "': role='" + text + "' is not a role; use consumer, producer, prosumer or storage");
}

std::string span_text(const Member& m) { return m.from_text + ".." + (m.to_day ? m.to_text : std::string("open")); }

// Two members' days in common, or 0.
std::int64_t overlap_days(const Member& a, const Member& b) {
  constexpr auto open = std::numeric_limits<std::int64_t>::max() / 2;
  const auto first = std::max(a.from_day, b.from_day);
  const auto last = std::min(a.to_day.value_or(open), b.to_day.value_or(open));
  return last >= first ? last - first + 1 : 0;
}

// Each meter belongs to one member at a time. Listed twice in one member, or in two members
// whose dates overlap, it would be counted twice; a producer whose meter also consumes is one
// prosumer, not a producer and a consumer.
void check_meters(const std::vector<Member>& members) {
  for (const auto& m : members) {
    std::set<std::string> seen;
    for (const auto& meter : m.meters)
      if (!seen.insert(meter).second)
        throw invalid_argument("member '" + m.id + "' lists meter '" + meter + "' twice; list each meter once");
  }
  for (std::size_t i = 0; i < members.size(); ++i)
    for (std::size_t j = i + 1; j < members.size(); ++j) {
      const auto& a = members[i];
      const auto& b = members[j];
      for (const auto& meter : a.meters) {
        if (std::find(b.meters.begin(), b.meters.end(), meter) == b.meters.end()) continue;
        const auto days = overlap_days(a, b);
        if (days == 0) continue;  // one moved out, the next moved in: the same meter, in turn
        if (a.produces() != b.produces())
          throw invalid_argument("meter '" + meter + "' is in member '" + a.id + "' (" + role_name(a.role) + ") and member '" +
                                 b.id + "' (" + role_name(b.role) + ") at once; a meter that produces and consumes belongs "
                                 "to one member with role=prosumer (its import is its consumption, its export its production)");
        throw invalid_argument("meter '" + meter + "' is in member '" + a.id + "' (" + span_text(a) + ") and member '" + b.id +
                               "' (" + span_text(b) + "): the memberships overlap by " + std::to_string(days) +
                               " day(s); end '" + a.id + "' the day before '" + b.id + "' starts");
      }
    }
}

// The operator's data is compared with a member meter's: a meter without a member would be
// compared with nothing, one given twice would be compared twice, and an operator id that is
// itself a member meter (or stands for two meters) would be billed or compared twice.
void check_references(const Community& c) {
  std::set<std::string> meters, members_meters, operator_ids;
  for (const auto& m : c.members) members_meters.insert(m.meters.begin(), m.meters.end());
  for (const auto& r : c.references) {
    if (!members_meters.count(r.meter))
      throw invalid_argument("community_reference '" + r.meter + ": " + r.operator_id + "': meter '" + r.meter +
                             "' is in no member's meters=; name a member meter before the ':'");
    if (!meters.insert(r.meter).second)
      throw invalid_argument("community_reference: meter '" + r.meter + "' is given twice; give each meter one reference");
    if (members_meters.count(r.operator_id))
      throw invalid_argument("community_reference '" + r.meter + ": " + r.operator_id + "': '" + r.operator_id +
                             "' is a member's meter; import the operator's data under a meter id of its own "
                             "(ekz_history: meter_id) and name that id after the ':'");
    if (!operator_ids.insert(r.operator_id).second)
      throw invalid_argument("community_reference: operator id '" + r.operator_id + "' is given for two meters; "
                             "each meter has its own data from the operator");
  }
}

void check_rule(const Community& c) {
  for (const auto& m : c.members) {
    if (c.rule == AllocationRule::shares && m.role != MemberRole::producer && m.share <= 0)
      throw invalid_argument("allocation 'shares' needs share=<weight> above 0 for member '" + m.id + "'");
    if (c.rule != AllocationRule::shares && m.share > 0)
      throw invalid_argument("member '" + m.id + "' has a share but the allocation is '" +
                             std::string(c.rule == AllocationRule::priority ? "priority" : "proportional") +
                             "'; set community_allocation = shares or drop the share");
    if (c.rule != AllocationRule::priority && m.rank > 0)
      throw invalid_argument("member '" + m.id + "' has a priority but the allocation is not 'priority'; "
                             "set community_allocation = priority or drop the priority");
  }
}

// EnV Art. 16 para. 1 let. b: tenants of a ZEV (and a vZEV) pay for local energy at most 80 %
// of what the grid's standard product would cost them; para. 2 and 3: at most 100 % when the
// actual costs are billed instead.
void check_price_cap(const Community& c, double lowest_external) {
  if (c.kind == CommunityKind::leg) return;
  const bool tenants = std::any_of(c.members.begin(), c.members.end(), [](const Member& m) { return m.tenant; });
  if (!tenants || c.terms.solar_price <= 0) return;
  if (lowest_external <= 0)
    throw invalid_argument("a " + std::string(kind_name(c.kind)) + " with tenants needs the grid's standard price to check "
                           "community_solar_price against the legal cap (EnV Art. 16): set price (or prices), grid_prices "
                           "and levies as the grid operator charges them");
  const double cap = c.price_cap_factor() * lowest_external;
  if (c.terms.solar_price <= cap + 1e-9) return;
  char buf[400];
  std::snprintf(buf, sizeof buf,
                "community_solar_price %.4g per kWh is above the legal cap for tenants: %s of the grid's standard price "
                "(%.4g per kWh, its lowest without VAT) is %.4g (EnV Art. 16 para. %s); lower the price to at most %.4g%s",
                c.terms.solar_price, c.terms.actual_costs ? "100 %" : "80 %", lowest_external, cap,
                c.terms.actual_costs ? "3" : "1 let. b", cap,
                c.terms.actual_costs ? "" : ", or bill actual costs with community_cost_model = actual (cap 100 %)");
  throw invalid_argument(buf);
}

void check_terms(const Community& c, const CommunityOptions& o) {
  if (c.kind == CommunityKind::leg) {
    if (c.terms.leg_discount_percent != 40 && c.terms.leg_discount_percent != 20)
      throw invalid_argument("community_leg_discount must be 40 (members on the same network level) or 20 "
                             "(StromVV Art. 19h), not " + std::to_string(static_cast<int>(c.terms.leg_discount_percent)));
  } else if (o.leg_discount_set) {
    throw invalid_argument("community_leg_discount applies to a LEG only; a " + std::string(kind_name(c.kind)) +
                           " uses no public grid for its local energy, so drop it");
  }
  if (c.terms.actual_costs && c.kind == CommunityKind::leg)
    throw invalid_argument("community_cost_model = actual is a rule for a ZEV or vZEV (EnV Art. 16); drop it for a LEG");
  if (!std::any_of(c.members.begin(), c.members.end(), [](const Member& m) { return m.produces(); }))
    throw invalid_argument("the community has no member with role producer, prosumer or storage: nothing to share");
}

}  // namespace

const char* kind_name(CommunityKind kind) {
  switch (kind) {
    case CommunityKind::zev: return "zev";
    case CommunityKind::vzev: return "vzev";
    case CommunityKind::leg: return "leg";
  }
  return "zev";
}

const char* role_name(MemberRole role) {
  switch (role) {
    case MemberRole::consumer: return "consumer";
    case MemberRole::producer: return "producer";
    case MemberRole::prosumer: return "prosumer";
    case MemberRole::storage: return "storage";
  }
  return "consumer";
}

const char* period_name(BillingPeriod period) {
  switch (period) {
    case BillingPeriod::month: return "month";
    case BillingPeriod::quarter: return "quarter";
    case BillingPeriod::year: return "year";
  }
  return "month";
}

AllocationKey Community::key() const {
  AllocationKey k;
  k.rule = rule;
  for (const auto& m : members) {
    k.shares.push_back(m.share);
    k.ranks.push_back(m.rank);
  }
  return k;
}

const MeterReference* Community::reference_of(std::string_view meter) const {
  for (const auto& r : references)
    if (r.meter == meter) return &r;
  return nullptr;
}

MeterReference parse_reference(std::string_view text) {
  const auto colon = text.find(':');
  MeterReference r;
  if (colon != std::string_view::npos) r.meter = trimmed(text.substr(0, colon)), r.operator_id = trimmed(text.substr(colon + 1));
  if (r.meter.empty() || r.operator_id.empty() || r.operator_id.find(':') != std::string::npos)
    throw invalid_argument("community_reference '" + std::string(text) + "' is not 'METER: OPERATOR_ID'; write the member "
                           "meter, a colon and the meter id the operator's data is imported under, e.g. "
                           "'LGZ1: CH1009801234500000000000000012345'");
  return r;
}

const Member* Community::find(std::string_view id) const {
  for (const auto& m : members)
    if (m.id == id) return &m;
  return nullptr;
}

Member parse_member(std::string_view text) {
  const auto colon = text.find(':');
  Member m;
  m.id = trimmed(text.substr(0, colon == std::string_view::npos ? 0 : colon));
  if (colon == std::string_view::npos || m.id.empty() ||
      m.id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != std::string::npos)
    throw invalid_argument("a member is 'ID: name=...; meters=...; role=...; from=YYYY-MM-DD' with an ID of letters, "
                           "digits, '_', '-' or '.', e.g. 'flat1: name=Flat 1; meters=LGZ1; role=consumer; from=2026-01-01'");
  bool has_role = false, has_from = false;
  std::set<std::string> keys;
  for (const auto& field : split(text.substr(colon + 1), ';')) {
    if (field.empty()) continue;
    const auto eq = field.find('=');
    const auto key = trimmed(field.substr(0, eq == std::string::npos ? field.size() : eq));
    const auto value = eq == std::string::npos ? std::string() : trimmed(std::string_view(field).substr(eq + 1));
    if (eq == std::string::npos || value.empty())
      throw invalid_argument("member '" + m.id + "': '" + field + "' is not key=value");
    if (!keys.insert(key).second) throw invalid_argument("member '" + m.id + "': " + key + " is given twice");
    if (key == "name") m.name = value;
    else if (key == "meters") {
      for (const auto& meter : split(value, ','))
        if (!meter.empty()) m.meters.push_back(meter);
    } else if (key == "role") m.role = parse_role(m.id, value), has_role = true;
    else if (key == "from") m.from_day = parse_date(m.id, key, value), m.from_text = value, has_from = true;
    else if (key == "to") m.to_day = parse_date(m.id, key, value), m.to_text = value;
    else if (key == "share") m.share = parse_number(m.id, key, value);
    else if (key == "priority") {
      const auto rank = parse_number(m.id, key, value);
      if (rank < 1 || rank != std::floor(rank) || rank > 1000)
        throw invalid_argument("member '" + m.id + "': priority='" + value + "' must be a whole number 1 to 1000 (1 first)");
      m.rank = static_cast<int>(rank);
    } else if (key == "tenant") {
      if (value != "yes" && value != "no") throw invalid_argument("member '" + m.id + "': tenant must be yes or no");
      m.tenant = value == "yes";
    } else
      throw invalid_argument("member '" + m.id + "': unknown key '" + key + "' (use name, meters, role, from, to, share, "
                             "priority, tenant)");
  }
  if (m.meters.empty()) throw invalid_argument("member '" + m.id + "' has no meters=; name the meter ids it is billed by");
  if (!has_role) throw invalid_argument("member '" + m.id + "' has no role=; use consumer, producer, prosumer or storage");
  if (!has_from) throw invalid_argument("member '" + m.id + "' has no from=; give the first day of membership, YYYY-MM-DD");
  if (m.to_day && *m.to_day < m.from_day)
    throw invalid_argument("member '" + m.id + "' ends (to=" + m.to_text + ") before it starts (from=" + m.from_text + ")");
  if (m.name.empty()) m.name = m.id;
  return m;
}

Community make_community(const CommunityOptions& o) {
  Community c;
  if (o.kind == "zev") c.kind = CommunityKind::zev;
  else if (o.kind == "vzev") c.kind = CommunityKind::vzev;
  else if (o.kind == "leg") c.kind = CommunityKind::leg;
  else throw invalid_argument("community must be zev, vzev or leg, not '" + o.kind + "'");
  c.name = o.name.empty() ? std::string("Energy community") : o.name;
  if (o.allocation == "proportional") c.rule = AllocationRule::proportional;
  else if (o.allocation == "shares") c.rule = AllocationRule::shares;
  else if (o.allocation == "priority") c.rule = AllocationRule::priority;
  else throw invalid_argument("community_allocation must be proportional, shares or priority, not '" + o.allocation + "'");
  if (o.period == "month") c.period = BillingPeriod::month;
  else if (o.period == "quarter") c.period = BillingPeriod::quarter;
  else if (o.period == "year") c.period = BillingPeriod::year;
  else throw invalid_argument("community_period must be month, quarter or year, not '" + o.period + "'");
  c.terms = o.terms;
  if (c.kind == CommunityKind::leg && !o.leg_discount_set) c.terms.leg_discount_percent = 40;
  if (o.members.empty())
    throw invalid_argument("community '" + c.name + "' has no members; add a community_member line per member");
  std::set<std::string> ids;
  for (const auto& line : o.members) {
    auto m = parse_member(line);
    if (!ids.insert(m.id).second)
      throw invalid_argument("member '" + m.id + "' is listed twice; give each member one line (a new tenant of the "
                             "same flat is a new member with its own ID and dates)");
    c.members.push_back(std::move(m));
  }
  check_meters(c.members);
  for (const auto& line : o.references) c.references.push_back(parse_reference(line));
  check_references(c);
  if (!(o.reconcile_tolerance_wh >= 0) || !std::isfinite(o.reconcile_tolerance_wh))
    throw invalid_argument("community_reconcile_tolerance_wh must be a number of Wh of 0 or more");
  c.reconcile_tolerance_wh = o.reconcile_tolerance_wh;
  check_rule(c);
  check_terms(c, o);
  check_price_cap(c, o.lowest_external_price);
  return c;
}

}  // namespace meterd
