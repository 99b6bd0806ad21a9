#pragma once
// The JSON body of a notice, the same for the webhook and the MQTT attributes
// (docs/alerts.md, "Webhook body"). `topic` is for ntfy's JSON publishing; empty: left out.
#include <string>

#include "alert_engine.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::alerts {

std::string notice_json(const Notice& notice, const TimeZone& zone, const std::string& topic = "");
// "meterd: night_load firing" — a subject line for e-mail and push titles.
std::string notice_title(const Notice& notice);

}  // namespace meterd::alerts
