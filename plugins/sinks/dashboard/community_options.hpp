#pragma once
// The dashboard sink's `community*` options (see README.md): an energy community's kind,
// members, allocation rule, internal price and billing period, read into meterd::Community
// with the price model's lowest external price as the base of the legal cap.
#include <boost/program_options.hpp>
#include <optional>

#include "meterd/community.hpp"
#include "price_schedule.hpp"

namespace meterd::dashboard {

void describe_community_options(boost::program_options::options_description& options);
// Empty when `community` is not set. Throws std::invalid_argument saying what to change.
std::optional<Community> read_community(const boost::program_options::variables_map& vm, const Prices& prices,
                                        const TimeZone& zone);
// The lowest price per kWh of energy, grid usage and levies together (no VAT) the prices
// give at any date and in any band: the standard product's price the legal cap starts from.
double lowest_external_price(const Prices& prices, const TimeZone& zone);

}  // namespace meterd::dashboard
