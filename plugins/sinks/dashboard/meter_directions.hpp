#pragma once
// Which register of a meter carries what, from the series it has: a direction it never
// measured (an import-only meter's export) is zero, known as well as the other direction is;
// a production meter counts on its export register, or on its import register when that is
// the only one it has (some inverter meters count production as import).
#include <string>

#include "statistics.hpp"

namespace meterd::dashboard {

bool measures(const HistoryStore& store, const std::string& meter, Direction direction);
Direction production_direction(const HistoryStore& store, const std::string& meter);

}  // namespace meterd::dashboard
