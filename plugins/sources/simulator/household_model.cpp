#include "household_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "seeded_noise.hpp"

namespace meterd::simulator {
namespace {

constexpr double kPi = 3.14159265358979323846;

// How busy a household is at a local hour, 0..1; weekends start later and stay home.
double activity(double hour, bool weekend) {
  if (hour < 6) return 0.03;
  if (hour < 8) return weekend ? 0.15 : 0.7;
  if (hour < 11) return weekend ? 0.6 : 0.2;
  if (hour < 13.5) return 0.55;
  if (hour < 17) return weekend ? 0.45 : 0.2;
  if (hour < 21.5) return 0.85;
  return 0.3;
}

struct Appliance {
  double watts;
  int minutes;
  bool three_phase;
};
constexpr Appliance kAppliances[] = {
    {2000, 3, false},   // kettle
    {1200, 8, false},   // microwave / toaster
    {2100, 12, false},  // washing machine heating
    {1800, 14, false},  // dishwasher heating
    {3600, 14, true},   // oven / hob
    {150, 15, false},   // TV and lights
};

}  // namespace

Profile parse_profile(const std::string& name) {
  if (name == "house") return Profile::house;
  if (name == "heat_pump" || name == "heatpump") return Profile::heat_pump;
  if (name == "pv") return Profile::pv;
  if (name == "house_pv") return Profile::house_pv;
  throw std::invalid_argument("unknown simulator profile '" + name + "' (use house, heat_pump, pv or house_pv)");
}

const char* profile_name(Profile p) {
  switch (p) {
    case Profile::house: return "house";
    case Profile::heat_pump: return "heat_pump";
    case Profile::pv: return "pv";
    case Profile::house_pv: return "house_pv";
  }
  return "house";
}

bool has_production(Profile p) { return p == Profile::pv || p == Profile::house_pv; }

HouseholdModel::HouseholdModel(Profile profile, std::uint64_t seed, PvOptions pv) : profile_(profile), seed_(seed) {
  if (has_production(profile)) solar_.emplace(pv);
}

double HouseholdModel::noise(std::int64_t slot, std::uint64_t channel) const { return seeded_noise(seed_, slot, channel); }

std::array<double, 3> HouseholdModel::house_power(std::int64_t local) const {
  const double hour = static_cast<double>(((local % 86400) + 86400) % 86400) / 3600.0;
  const std::int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  const int weekday = static_cast<int>(((day % 7) + 10) % 7);  // 0 = Monday
  const double act = activity(hour, weekday >= 5);
  std::array<double, 3> p{55, 45, 40};  // standby: router, heating pump, electronics
  // Fridge and freezer compressors cycle with their own phase shifts.
  const std::int64_t minute = local / 60;
  if ((minute + static_cast<std::int64_t>(seed_ % 45)) % 45 < 15) p[0] += 95;
  if ((minute + 20) % 70 < 18) p[1] += 80;
  // Each 15-minute slot may start a few appliances, more when the household is busy.
  const std::int64_t slot = local / 900;
  const int slot_minute = static_cast<int>(((local % 900) + 900) % 900 / 60);
  for (std::uint64_t k = 0; k < std::size(kAppliances); ++k) {
    const double chance = act * (k == 5 ? 1.5 : 0.25);
    if (noise(slot, 10 + k) >= chance) continue;
    const Appliance& a = kAppliances[k];
    const int start = static_cast<int>(noise(slot, 20 + k) * (15 - std::min(a.minutes, 14)));
    if (slot_minute < start || slot_minute >= start + a.minutes) continue;
    const double w = a.watts * (0.85 + 0.3 * noise(slot, 30 + k));
    if (a.three_phase) {
      for (auto& ph : p) ph += w / 3;
    } else {
      p[k % 3] += w;
    }
  }
  return p;
}

std::array<double, 3> HouseholdModel::heat_pump_power(std::int64_t local) const {
  const double day_of_year = std::fmod(static_cast<double>(local) / 86400.0 + 365.25 * 100, 365.25);
  const double hour = static_cast<double>(((local % 86400) + 86400) % 86400) / 3600.0;
  // Outdoor temperature: cold in mid January, warm in mid July, coldest before dawn.
  const double outdoor = 10 - 11 * std::cos(2 * kPi * (day_of_year - 15) / 365.25) - 4 * std::cos(2 * kPi * (hour - 15) / 24);
  const double demand = std::clamp((16 - outdoor) / 22, 0.0, 1.0);
  const std::int64_t hour_slot = local / 3600;
  const int minute = static_cast<int>(((local % 3600) + 3600) % 3600 / 60);
  double w = 12;  // controller standby
  if (minute < static_cast<int>(demand * 60 + 0.5)) w = 1800 + 900 * demand + 100 * noise(hour_slot, 1);
  // Domestic hot water once a day around noon.
  if (hour >= 12.5 && hour < 13.0) w = 2600;
  return {w / 3, w / 3, w / 3};
}

// Voltage, current and power factor on a phase carrying `power_w` (negative: fed in).
PhaseState HouseholdModel::electrical(double power_w, std::int64_t utc, double hour, int i) const {
  PhaseState ph;
  ph.power_w = power_w;
  // Grid voltage sags in the evening peak and rises at night; heavy local load pulls it down,
  // feeding in pushes it up.
  const double grid = 234 - 4 * std::cos(2 * kPi * (hour - 4) / 24) + 2 * (noise(utc / 10, 40 + i) - 0.5);
  ph.voltage_v = std::clamp(grid - power_w / 1000.0 * 0.9, 225.0, 245.0);
  if (power_w >= 0) {
    const double resistive_share = std::min(1.0, power_w / 600.0);
    ph.power_factor = std::clamp(0.55 + 0.43 * resistive_share + 0.02 * noise(utc / 10, 50 + i), 0.5, 0.999);
  } else {
    ph.power_factor = 0.99 + 0.009 * noise(utc / 10, 50 + i);  // an inverter feeds in almost purely active power
  }
  ph.current_a = std::abs(power_w) / (ph.voltage_v * ph.power_factor);
  return ph;
}

Instant HouseholdModel::at(std::int64_t utc, std::int64_t local) const {
  std::array<double, 3> load{0, 0, 0};
  if (profile_ == Profile::house || profile_ == Profile::house_pv) load = house_power(local);
  if (profile_ == Profile::heat_pump) load = heat_pump_power(local);
  const double hour = static_cast<double>(((local % 86400) + 86400) % 86400) / 3600.0;
  Instant out;
  out.production_w = solar_ ? solar_->power_w(utc) : 0;
  for (int i = 0; i < 3; ++i) {
    out.consumption_w += load[i];
    // A three-phase inverter feeds a third of the production on each phase.
    out.phases[i] = electrical(load[i] - out.production_w / 3, utc, hour, i);
  }
  return out;
}

}  // namespace meterd::simulator
