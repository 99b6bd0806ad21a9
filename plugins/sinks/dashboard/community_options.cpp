#include "community_options.hpp"

#include <algorithm>
#include <limits>

#include "meterd/option_checks.hpp"

namespace meterd::dashboard {
namespace po = boost::program_options;

void describe_community_options(po::options_description& o) {
  o.add_options()
      ("community", po::value<std::string>()->default_value("")->notifier(sdk::one_of({"", "zev", "vzev", "leg"})),
       "energy community billed from these meters: zev, vzev or leg; empty: none")
      ("community_name", po::value<std::string>()->default_value(""), "the community's name on bills")
      ("community_member", po::value<std::vector<std::string>>()->composing()->notifier([](const std::vector<std::string>& v) {
         for (const auto& line : v) (void)parse_member(line);
       }),
       "one member per line: 'ID: name=...; meters=A, B; role=consumer|producer|prosumer|storage; from=YYYY-MM-DD; "
       "to=YYYY-MM-DD' (to, share, priority and tenant=no optional)")
      ("community_allocation", po::value<std::string>()->default_value("proportional")
           ->notifier(sdk::one_of({"proportional", "shares", "priority"})),
       "how local energy is shared per 15 min: proportional (to consumption), shares (each member's share=) or "
       "priority (each member's priority=, 1 first)")
      ("community_period", po::value<std::string>()->default_value("month")->notifier(sdk::one_of({"month", "quarter", "year"})),
       "billing period: month, quarter or year")
      ("community_solar_price", po::value<double>()->default_value(0.0)->notifier(sdk::at_least(0.0)),
       "internal price per kWh of local energy, without VAT")
      ("community_cost_model", po::value<std::string>()->default_value("flat")->notifier(sdk::one_of({"flat", "actual"})),
       "ZEV/vZEV: flat (tenants pay at most 80 % of the grid's standard price, EnV Art. 16 para. 1) or actual (at most 100 %)")
      ("community_leg_discount", po::value<int>()->notifier(sdk::in_range(0, 100)),
       "LEG: percent off the grid usage fee of local energy, 40 (same network level) or 20 (StromVV Art. 19h); default 40")
      ("community_reference", po::value<std::vector<std::string>>()->composing()->notifier([](const std::vector<std::string>& v) {
         for (const auto& line : v) (void)parse_reference(line);
       }),
       "the grid operator's 15-min data of a member meter, one per line: 'METER: OPERATOR_ID', the id its import is "
       "stored under; enables /api/community/reconcile for that meter")
      ("community_reconcile_tolerance_wh", po::value<double>()->default_value(1.0)->notifier(sdk::at_least(0.0)),
       "reconciliation: an interval differs from the operator's when by more than this many Wh")
      ("community_fixed_fee_per_month", po::value<double>()->default_value(0.0)->notifier(sdk::at_least(0.0)),
       "the community's fixed fee per member and month (metering, billing; none for a pure producer), charged per day of membership");
}

double lowest_external_price(const Prices& p, const TimeZone& zone) {
  // Every hour of a week from each date any component changes on: each band at each date.
  std::vector<std::int64_t> starts{0};
  for (const auto* sets : {&p.dated, &p.grid, &p.levies})
    for (const auto& s : *sets) starts.push_back(s.from_ms);
  double low = std::numeric_limits<double>::max();
  for (const auto start : starts)
    for (std::int64_t h = 0; h < 168; ++h) {
      const auto c = p.charge(1000, start + h * 3'600'000, zone);
      low = std::min(low, c.energy + c.grid + c.levies);
    }
  return low;
}

std::optional<Community> read_community(const po::variables_map& vm, const Prices& prices, const TimeZone& zone) {
  const auto kind = vm.count("community") ? vm["community"].as<std::string>() : std::string();
  if (kind.empty()) {
    for (const char* name : {"community_member", "community_solar_price", "community_leg_discount", "community_name",
                             "community_reference"})
      if (vm.count(name) && !vm[name].defaulted())
        throw std::invalid_argument(std::string("option '") + name + "' needs 'community = zev', 'vzev' or 'leg'");
    return std::nullopt;
  }
  CommunityOptions o;
  o.kind = kind;
  o.name = vm["community_name"].as<std::string>();
  if (vm.count("community_member")) o.members = vm["community_member"].as<std::vector<std::string>>();
  o.allocation = vm["community_allocation"].as<std::string>();
  o.period = vm["community_period"].as<std::string>();
  o.terms.solar_price = vm["community_solar_price"].as<double>();
  o.terms.actual_costs = vm["community_cost_model"].as<std::string>() == "actual";
  o.leg_discount_set = vm.count("community_leg_discount") > 0;
  if (o.leg_discount_set) o.terms.leg_discount_percent = vm["community_leg_discount"].as<int>();
  o.terms.fixed_fee_per_month = vm["community_fixed_fee_per_month"].as<double>();
  if (vm.count("community_reference")) o.references = vm["community_reference"].as<std::vector<std::string>>();
  o.reconcile_tolerance_wh = vm["community_reconcile_tolerance_wh"].as<double>();
  o.lowest_external_price = lowest_external_price(prices, zone);
  return make_community(o);
}

}  // namespace meterd::dashboard
