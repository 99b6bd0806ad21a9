#pragma once
// An energy community as configured in the dashboard sink: its kind (ZEV, vZEV or LEG), its
// members with their meters, roles and membership dates, the allocation rule, the community's
// own prices and the billing period. Parsed and checked here only, so a start and
// `meterd --check-config` refuse the same configs with the same words.
//
// A member line, one `community_member` option each:
//   flat1: name=Flat 1 (Meier); meters=LGZ1, LGZ2; role=consumer; from=2026-01-01; to=2026-06-30
// optional: share=0.2 (allocation shares), priority=1 (allocation priority), tenant=no.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meterd/community_allocation.hpp"

namespace meterd {

enum class CommunityKind { zev, vzev, leg };
// consumer: its meters' import is its consumption. producer: their export is its production;
// whatever a producer's meter imports (an inverter at night) is its consumption, billed like
// anyone's. prosumer: both (a house with PV behind one meter). storage: charging is
// consumption, discharging production.
enum class MemberRole { consumer, producer, prosumer, storage };
enum class BillingPeriod { month, quarter, year };

struct Member {
  std::string id, name;
  std::vector<std::string> meters;
  MemberRole role = MemberRole::consumer;
  std::int64_t from_day = 0;           // first local day of membership, days since 1970-01-01
  std::optional<std::int64_t> to_day;  // last local day, inclusive; empty: still a member
  std::string from_text, to_text;      // as configured
  double share = 0;                    // allocation shares
  int rank = 0;                        // allocation priority: 1 first; 0 none (after all ranks)
  bool tenant = true;                  // ZEV/vZEV: the legal price cap protects tenants
  bool produces() const { return role != MemberRole::consumer; }
};

// The community's own terms; what grid energy costs is the dashboard's price model.
struct CommunityTerms {
  double solar_price = 0;          // per kWh of local energy, without VAT
  bool actual_costs = false;       // ZEV/vZEV: bill actual costs (cap 100 %) instead of the flat 80 %
  double leg_discount_percent = 0; // LEG: off the grid usage fee of local energy (StromVV Art. 19h)
  double fixed_fee_per_month = 0;  // per member, per day of membership
};

// The grid operator's own 15-minute data for one member meter, imported into the store under
// another meter id (ekz_history: its `meter_id`), to reconcile meterd's figures against.
// One `community_reference = METER: OPERATOR_ID` option each.
struct MeterReference {
  std::string meter, operator_id;
};

struct Community {
  CommunityKind kind = CommunityKind::zev;
  std::string name;
  std::vector<Member> members;
  AllocationRule rule = AllocationRule::proportional;
  BillingPeriod period = BillingPeriod::month;
  CommunityTerms terms;
  std::vector<MeterReference> references;
  double reconcile_tolerance_wh = 1;  // a smaller difference to the operator's data is no difference

  AllocationKey key() const;
  const MeterReference* reference_of(std::string_view meter) const;
  const Member* find(std::string_view id) const;
  // The largest share of the external price the internal price may take (0.8 flat, 1 actual).
  double price_cap_factor() const { return terms.actual_costs ? 1.0 : 0.8; }
};

// One member line (see above). Throws std::invalid_argument naming the part that is wrong.
Member parse_member(std::string_view text);
// One reference line, "METER: OPERATOR_ID". Throws std::invalid_argument showing the form.
MeterReference parse_reference(std::string_view text);

struct CommunityOptions {
  std::string kind;  // zev, vzev, leg
  std::string name;
  std::vector<std::string> members;
  std::string allocation = "proportional";
  std::string period = "month";
  CommunityTerms terms;
  bool leg_discount_set = false;
  std::vector<std::string> references;
  double reconcile_tolerance_wh = 1;
  // The lowest price per kWh (energy, grid and levies, without VAT) the members would pay for
  // the grid's standard product, from the dashboard's prices: the legal cap's base.
  double lowest_external_price = 0;
};

// Parses and checks the whole community: members listed twice or overlapping in time, a meter
// in two members at once (a producer that also consumes is one prosumer), dates, shares and
// ranks the rule needs, the price cap for tenants of a ZEV or vZEV, the LEG discount, the
// operator references (each for one member meter, each operator id for one meter). Throws
// std::invalid_argument saying what to change.
Community make_community(const CommunityOptions& options);

const char* kind_name(CommunityKind kind);
const char* role_name(MemberRole role);
const char* period_name(BillingPeriod period);

}  // namespace meterd
