#include "simulated_meter.hpp"

#include <algorithm>
#include <cmath>

#include "meterd/dlms/obis_catalogue.hpp"

namespace meterd::simulator {
namespace {

void add(DecodedMessage& m, const char* obis_text, double value) {
  const auto obis = dlms::Obis::parse(obis_text);
  const auto info = obis ? dlms::lookup_obis(*obis) : std::nullopt;
  DecodedValue v;
  v.obis = obis_text;
  v.value = value;
  if (info) {
    v.unit = std::string(info->unit);
    v.quantity = std::string(info->quantity);
  }
  m.values.push_back(std::move(v));
}

double round_to(double v, double step) { return std::round(v / step) * step; }

}  // namespace

SimulatedMeter::SimulatedMeter(std::string meter_id, Profile profile, std::uint64_t seed, double start_energy_wh, PvOptions pv)
    : meter_id_(std::move(meter_id)), profile_(profile), model_(profile, seed, pv), import_wh_(start_energy_wh) {}

DecodedMessage SimulatedMeter::step(std::int64_t utc, std::int64_t local) {
  // The power shown by the previous push was drawn until now: integrate it, then sample.
  if (last_utc_ != INT64_MIN && utc > last_utc_) {
    const double hours = static_cast<double>(utc - last_utc_) / 3600.0;
    import_wh_ += last_.import_w() * hours;
    export_wh_ += last_.export_w() * hours;
  }
  last_ = model_.at(utc, local);
  last_utc_ = utc;

  DecodedMessage m;
  m.protocol = "simulated";
  m.meter_id = meter_id_;
  add(m, "1-0:1.7.0", std::round(last_.import_w()));
  add(m, "1-0:2.7.0", std::round(last_.export_w()));
  add(m, "1-0:1.8.0", std::floor(import_wh_));
  add(m, "1-0:2.8.0", std::floor(export_wh_));
  static const char* const kVoltage[] = {"1-0:32.7.0", "1-0:52.7.0", "1-0:72.7.0"};
  static const char* const kCurrent[] = {"1-0:31.7.0", "1-0:51.7.0", "1-0:71.7.0"};
  static const char* const kPower[] = {"1-0:21.7.0", "1-0:41.7.0", "1-0:61.7.0"};
  static const char* const kExportPower[] = {"1-0:22.7.0", "1-0:42.7.0", "1-0:62.7.0"};
  static const char* const kFactor[] = {"1-0:33.7.0", "1-0:53.7.0", "1-0:73.7.0"};
  double apparent = 0;
  for (int i = 0; i < 3; ++i) {
    const auto& ph = last_.phases[i];
    add(m, kVoltage[i], std::round(ph.voltage_v));
    add(m, kCurrent[i], round_to(ph.current_a, 0.01));
    // Per phase, as DSMR meters report it: power drawn and power fed in, each non-negative.
    add(m, kPower[i], std::round(std::max(0.0, ph.power_w)));
    if (has_production(profile_)) add(m, kExportPower[i], std::round(std::max(0.0, -ph.power_w)));
    add(m, kFactor[i], round_to(ph.power_factor, 0.001));
    apparent += ph.voltage_v * ph.current_a;
  }
  add(m, "1-0:13.7.0", apparent > 0 ? round_to(std::abs(last_.total_power_w()) / apparent, 0.001) : 1.0);
  return m;
}

}  // namespace meterd::simulator
