// The community as configured: what a good one reads as, and the clear refusal of each bad input.
#include <gtest/gtest.h>

#include "meterd/community.hpp"

using meterd::CommunityOptions;
using meterd::make_community;

namespace {
CommunityOptions building() {
  CommunityOptions o;
  o.kind = "zev";
  o.name = "Sonnenhof";
  o.members = {"flat1: name=Flat 1 (Meier); meters=F1; role=consumer; from=2026-01-01; to=2026-06-30",
               "flat1b: name=Flat 1 (Keller); meters=F1; role=consumer; from=2026-07-01",
               "flat2: name=Flat 2; meters=F2, F2HP; role=consumer; from=2026-01-01",
               "roof: name=Roof PV; meters=PV; role=producer; from=2026-01-01; tenant=no"};
  o.terms.solar_price = 0.2;
  o.lowest_external_price = 0.3;
  return o;
}

std::string refusal(const CommunityOptions& o) {
  try {
    (void)make_community(o);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "accepted";
}
}  // namespace

TEST(CommunityConfig, ReadsMembersDatesAndRoles) {
  const auto c = make_community(building());
  ASSERT_EQ(c.members.size(), 4u);
  EXPECT_EQ(c.members[0].name, "Flat 1 (Meier)");
  EXPECT_EQ(c.members[2].meters, (std::vector<std::string>{"F2", "F2HP"}));
  EXPECT_EQ(c.members[3].role, meterd::MemberRole::producer);
  EXPECT_FALSE(c.members[3].tenant);
  EXPECT_EQ(*c.members[0].to_day - c.members[0].from_day, 180);
  EXPECT_FALSE(c.members[1].to_day);
  EXPECT_EQ(c.rule, meterd::AllocationRule::proportional);
  EXPECT_EQ(c.period, meterd::BillingPeriod::month);
}

TEST(CommunityConfig, RefusesOverlappingMembershipOfOneMeter) {
  auto o = building();
  o.members[1] = "flat1b: name=Flat 1 (Keller); meters=F1; role=consumer; from=2026-06-01";
  EXPECT_EQ(refusal(o), "meter 'F1' is in member 'flat1' (2026-01-01..2026-06-30) and member 'flat1b' (2026-06-01..open): "
                        "the memberships overlap by 30 day(s); end 'flat1' the day before 'flat1b' starts");
}

TEST(CommunityConfig, RefusesAMeterListedTwice) {
  auto o = building();
  o.members[2] = "flat2: meters=F2, F2; role=consumer; from=2026-01-01";
  EXPECT_EQ(refusal(o), "member 'flat2' lists meter 'F2' twice; list each meter once");
  o = building();
  o.members.push_back("flat2: meters=F9; role=consumer; from=2026-01-01");
  EXPECT_NE(refusal(o).find("member 'flat2' is listed twice"), std::string::npos);
}

TEST(CommunityConfig, RefusesAPriceAboveTheLegalCapForTenants) {
  auto o = building();
  o.terms.solar_price = 0.25;  // 80 % of 0.30 is 0.24
  EXPECT_NE(refusal(o).find("community_solar_price 0.25 per kWh is above the legal cap for tenants: 80 % of the grid's "
                            "standard price (0.3 per kWh, its lowest without VAT) is 0.24 (EnV Art. 16 para. 1 let. b)"),
            std::string::npos) << refusal(o);
  o.terms.actual_costs = true;  // actual costs: up to 100 %
  EXPECT_EQ(refusal(o), "accepted");
  o.terms.solar_price = 0.31;
  EXPECT_NE(refusal(o).find("EnV Art. 16 para. 3"), std::string::npos);
  // Without the grid's price the cap cannot be checked: said so, not guessed.
  o = building();
  o.lowest_external_price = 0;
  EXPECT_NE(refusal(o).find("needs the grid's standard price to check community_solar_price"), std::string::npos);
  // No tenants (owners among themselves): no cap.
  o = building();
  o.terms.solar_price = 0.5;
  for (auto& m : o.members) m += "; tenant=no";
  o.members[3] = "roof: name=Roof PV; meters=PV; role=producer; from=2026-01-01; tenant=no";
  EXPECT_EQ(refusal(o), "accepted");
}

TEST(CommunityConfig, ExplainsAProducerThatConsumes) {
  auto o = building();
  o.members.push_back("house: meters=PV; role=consumer; from=2026-01-01");
  EXPECT_NE(refusal(o).find("meter 'PV' is in member 'roof' (producer) and member 'house' (consumer) at once; a meter that "
                            "produces and consumes belongs to one member with role=prosumer"),
            std::string::npos) << refusal(o);
}

TEST(CommunityConfig, RefusesBadMemberLinesAndTerms) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"flat9 name=x", "a member is 'ID: name=...; meters=...; role=...; from=YYYY-MM-DD'"},
      {"flat9: meters=X; role=tenant; from=2026-01-01", "role='tenant' is not a role; use consumer, producer, prosumer or storage"},
      {"flat9: meters=X; role=consumer; from=2026-02-30", "from='2026-02-30' is not a date; write YYYY-MM-DD"},
      {"flat9: meters=X; role=consumer; from=2026-03-01; to=2026-02-01", "member 'flat9' ends (to=2026-02-01) before it starts"},
      {"flat9: role=consumer; from=2026-03-01", "member 'flat9' has no meters="},
      {"flat9: meters=X; role=consumer", "member 'flat9' has no from="},
      {"flat9: meters=X; role=consumer; from=2026-01-01; colour=red", "unknown key 'colour'"},
      {"flat9: meters=X; role=consumer; from=2026-01-01; share=1", "member 'flat9' has a share but the allocation is 'proportional'"},
  };
  for (const auto& [line, message] : cases) {
    auto o = building();
    o.members.push_back(line);
    EXPECT_NE(refusal(o).find(message), std::string::npos) << line << ": " << refusal(o);
  }
  auto o = building();
  o.allocation = "shares";
  EXPECT_NE(refusal(o).find("allocation 'shares' needs share=<weight> above 0 for member 'flat1'"), std::string::npos);
  o = building();
  o.leg_discount_set = true;
  o.terms.leg_discount_percent = 40;
  EXPECT_NE(refusal(o).find("community_leg_discount applies to a LEG only"), std::string::npos);
  o.kind = "leg";
  o.terms.leg_discount_percent = 30;
  EXPECT_NE(refusal(o).find("must be 40 (members on the same network level) or 20 (StromVV Art. 19h), not 30"), std::string::npos);
  o = building();
  o.members.pop_back();
  EXPECT_NE(refusal(o).find("no member with role producer, prosumer or storage"), std::string::npos);
}

TEST(CommunityConfig, ALegDefaultsToTheFortyPercentDiscountAndHasNoPriceCap) {
  auto o = building();
  o.kind = "leg";
  o.terms.solar_price = 0.5;
  const auto c = make_community(o);
  EXPECT_EQ(c.terms.leg_discount_percent, 40);
}

TEST(CommunityConfig, ReadsTheOperatorsDataOfAMeter) {
  auto o = building();
  o.references = {"F1: CH1009801234500000000000000012345", " PV :OP-PV "};
  o.reconcile_tolerance_wh = 2.5;
  const auto c = make_community(o);
  ASSERT_EQ(c.references.size(), 2u);
  EXPECT_EQ(c.reference_of("F1")->operator_id, "CH1009801234500000000000000012345");
  EXPECT_EQ(c.reference_of("PV")->operator_id, "OP-PV");
  EXPECT_EQ(c.reference_of("F2"), nullptr);
  EXPECT_EQ(c.reconcile_tolerance_wh, 2.5);
  EXPECT_EQ(make_community(building()).reconcile_tolerance_wh, 1.0) << "1 Wh unless configured";
}

TEST(CommunityConfig, RefusesOperatorReferencesThatCannotBeCompared) {
  const auto with = [](std::vector<std::string> refs) {
    auto o = building();
    o.references = std::move(refs);
    return refusal(o);
  };
  EXPECT_EQ(with({"F1 CH123"}), "community_reference 'F1 CH123' is not 'METER: OPERATOR_ID'; write the member meter, a colon "
                                "and the meter id the operator's data is imported under, e.g. "
                                "'LGZ1: CH1009801234500000000000000012345'");
  EXPECT_EQ(with({"F1: "}).find("is not 'METER: OPERATOR_ID'"), std::string("community_reference 'F1: ' ").size());
  EXPECT_EQ(with({"F9: OP9"}), "community_reference 'F9: OP9': meter 'F9' is in no member's meters=; name a member meter "
                               "before the ':'");
  EXPECT_EQ(with({"F1: OP1", "F1: OP2"}), "community_reference: meter 'F1' is given twice; give each meter one reference");
  EXPECT_EQ(with({"F1: F2"}), "community_reference 'F1: F2': 'F2' is a member's meter; import the operator's data under a "
                              "meter id of its own (ekz_history: meter_id) and name that id after the ':'");
  EXPECT_EQ(with({"F1: OP", "F2: OP"}), "community_reference: operator id 'OP' is given for two meters; each meter has its "
                                        "own data from the operator");
  auto o = building();
  o.reconcile_tolerance_wh = -1;
  EXPECT_EQ(refusal(o), "community_reconcile_tolerance_wh must be a number of Wh of 0 or more");
}
