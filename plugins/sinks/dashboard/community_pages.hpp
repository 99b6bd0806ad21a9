#pragma once
// A member's bill and the community summary as a printable HTML page (self-contained, with
// print CSS for a clean A4 print to PDF) and as CSV for spreadsheets. Both are written from
// the same figures as the JSON answer, in a fixed layout, so a re-run gives the same bytes.
#include <nlohmann/json.hpp>
#include <string>

#include "community_bill.hpp"

namespace meterd::dashboard {

std::string bill_html(const Bill& bill, const TimeZone& zone);
std::string bill_csv(const Bill& bill);
std::string summary_html(const nlohmann::json& summary, const std::string& currency, const TimeZone& zone);
std::string summary_csv(const nlohmann::json& summary);

}  // namespace meterd::dashboard
