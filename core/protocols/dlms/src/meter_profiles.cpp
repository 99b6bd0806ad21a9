#include "meterd/dlms/meter_profiles.hpp"

#include <array>

namespace meterd::dlms {
namespace {

using R = PositionalRole;
using T = PositionalType;

// Lists that extend others (hourly = short list + energies) are written as their parts.
template <std::size_t N, std::size_t M>
constexpr std::array<PositionalItem, N + M> joined(const std::array<PositionalItem, N>& a,
                                                   const std::array<PositionalItem, M>& b) {
  std::array<PositionalItem, N + M> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = a[i];
  for (std::size_t i = 0; i < M; ++i) out[N + i] = b[i];
  return out;
}

constexpr ImpliedScaler kPowerFactor[] = {{13, 7, -3}, {33, 7, -3}, {53, 7, -3}, {73, 7, -3}};

// L+G E450 CH: whole volts, centiamperes, power factor in thousandths; W/Wh/var/varh x1.
constexpr ImpliedScaler kE450[] = {{32, 7, 0},  {52, 7, 0},  {72, 7, 0},  {31, 7, -2}, {51, 7, -2},
                                   {71, 7, -2}, {13, 7, -3}, {33, 7, -3}, {53, 7, -3}, {73, 7, -3}};
// L+G E360 and Iskraemeco AM550 CH: decivolts.
constexpr ImpliedScaler kDeciVolt[] = {{32, 7, -1}, {52, 7, -1}, {72, 7, -1}, {31, 7, -2}, {51, 7, -2},
                                       {71, 7, -2}, {13, 7, -3}, {33, 7, -3}, {53, 7, -3}, {73, 7, -3}};
// Kamstrup Omnipower (CKW): energies in 0.01 kWh, volts, centiamperes.
constexpr ImpliedScaler kKamstrupScalers[] = {{1, 8, 1},   {2, 8, 1},   {3, 8, 1},   {4, 8, 1},  {32, 7, 0},
                                       {52, 7, 0},  {72, 7, 0},  {31, 7, -2}, {51, 7, -2}, {71, 7, -2},
                                       {13, 7, -2}, {33, 7, -2}, {53, 7, -2}, {73, 7, -2}};
// Norwegian Kaifa MA304 positional lists: milliamperes, decivolts.
constexpr ImpliedScaler kKaifaNoScalers[] = {{31, 7, -3}, {51, 7, -3}, {71, 7, -3}, {32, 7, -1}, {52, 7, -1}, {72, 7, -1}};

constexpr IdentityRank kSerialFirst[] = {IdentityRank::serial_96_1_0, IdentityRank::logical_device_name,
                                         IdentityRank::serial_96_1_1, IdentityRank::serial_other};

// Netz Burgenland E450: 14 items, no OBIS; items 11-13 are not identified.
constexpr PositionalItem kBurgenland[] = {
    {R::value, T::number, "1-0:32.7.0"},      {R::value, T::number, "1-0:52.7.0"},
    {R::value, T::number, "1-0:72.7.0"},      {R::value, T::number, "1-0:31.7.0", -2},
    {R::value, T::number, "1-0:51.7.0", -2},  {R::value, T::number, "1-0:71.7.0", -2},
    {R::value, T::number, "1-0:1.7.0"},       {R::value, T::number, "1-0:2.7.0"},
    {R::value, T::number, "1-0:1.8.0"},       {R::value, T::number, "1-0:2.8.0"},
    {R::value, T::number, ""},                {R::value, T::number, ""},
    {R::value, T::number, ""},                {R::meter_id, T::string, "0-0:96.1.0"},
};
// Wiener Netze (L+G E450 and Iskraemeco AM550 alike): date-time, then A+, A-, R+, R- in Wh/varh
// and P+, P-, Q+, Q- in W/var, all uint32.
constexpr auto kWienerNetze = std::to_array<PositionalItem>({
    {R::clock, T::date_time, "0-0:1.0.0"}, {R::value, T::number, "1-0:1.8.0"}, {R::value, T::number, "1-0:2.8.0"},
    {R::value, T::number, "1-0:3.8.0"},    {R::value, T::number, "1-0:4.8.0"}, {R::value, T::number, "1-0:1.7.0"},
    {R::value, T::number, "1-0:2.7.0"},    {R::value, T::number, "1-0:3.7.0"}, {R::value, T::number, "1-0:4.7.0"},
});
// Wiener Netze Siemens IM350: the same values after the meter number.
constexpr auto kMeterNumber = std::to_array<PositionalItem>({{R::meter_id, T::string, "0-0:96.1.0"}});
constexpr auto kWienerNetzeIm350 = joined(kMeterNumber, kWienerNetze);
// KELAG (Kaernten Netz) AM550: push-setup name, meter number, time and date strings, A+, A-,
// R+, R- in Wh/varh and P+, P- in W as uint32, customer info text and code.
constexpr PositionalItem kKelag[] = {
    {R::ignore, T::string, ""},              {R::meter_id, T::string, "0-0:96.1.0"},
    {R::ignore, T::string, ""},              {R::ignore, T::string, ""},
    {R::value, T::number, "1-0:1.8.0"},      {R::value, T::number, "1-0:2.8.0"},
    {R::value, T::number, "1-0:3.8.0"},      {R::value, T::number, "1-0:4.8.0"},
    {R::value, T::number, "1-0:1.7.0"},      {R::value, T::number, "1-0:2.7.0"},
    {R::ignore, T::string, ""},              {R::ignore, T::string, ""},
};
// Norwegian Kaifa lists: list 1 (active power import only, no list id), list 2 (three-phase
// MA304 or single-phase MA105) and list 3 (hourly: list 2, then the clock and the energies).
constexpr PositionalItem kKaifaNoList1[] = {{R::value, T::number, "1-0:1.7.0"}};
constexpr auto kKaifaNoHead = std::to_array<PositionalItem>({
    {R::identifier, T::string, "1-1:0.2.129"}, {R::meter_id, T::string, "0-0:96.1.0"},
    {R::identifier, T::string, "0-0:96.1.7"},  {R::value, T::number, "1-0:1.7.0"},
    {R::value, T::number, "1-0:2.7.0"},        {R::value, T::number, "1-0:3.7.0"},
    {R::value, T::number, "1-0:4.7.0"},
});
constexpr auto kKaifaNoThreePhase = std::to_array<PositionalItem>({
    {R::value, T::number, "1-0:31.7.0"}, {R::value, T::number, "1-0:51.7.0"}, {R::value, T::number, "1-0:71.7.0"},
    {R::value, T::number, "1-0:32.7.0"}, {R::value, T::number, "1-0:52.7.0"}, {R::value, T::number, "1-0:72.7.0"},
});
constexpr auto kKaifaNoSinglePhase =
    std::to_array<PositionalItem>({{R::value, T::number, "1-0:31.7.0"}, {R::value, T::number, "1-0:32.7.0"}});
constexpr auto kKaifaNoHourly = std::to_array<PositionalItem>({
    {R::clock, T::date_time, "0-0:1.0.0"}, {R::value, T::number, "1-0:1.8.0"}, {R::value, T::number, "1-0:2.8.0"},
    {R::value, T::number, "1-0:3.8.0"},    {R::value, T::number, "1-0:4.8.0"},
});
constexpr auto kKaifaNoList2 = joined(kKaifaNoHead, kKaifaNoThreePhase);
constexpr auto kKaifaNoList2SinglePhase = joined(kKaifaNoHead, kKaifaNoSinglePhase);
constexpr auto kKaifaNoList3 = joined(kKaifaNoList2, kKaifaNoHourly);
constexpr auto kKaifaNoList3SinglePhase = joined(kKaifaNoList2SinglePhase, kKaifaNoHourly);

constexpr PositionalTemplate kWienerNetzeTemplate{"wiener_netze", "", kWienerNetze};
constexpr PositionalTemplate kE450AtTemplates[] = {
    {"burgenland_e450", "", kBurgenland},
    kWienerNetzeTemplate,
};
constexpr PositionalTemplate kAm550AtTemplates[] = {{"kelag_am550", "", kKelag}, kWienerNetzeTemplate};
constexpr PositionalTemplate kIm350AtTemplates[] = {{"wiener_netze_im350", "", kWienerNetzeIm350}};
constexpr PositionalTemplate kKaifaNoTemplates[] = {
    {"kaifa_no_list1", "", kKaifaNoList1},
    {"kaifa_no_list2", "KFM_", kKaifaNoList2},
    {"kaifa_no_list2_1p", "KFM_", kKaifaNoList2SinglePhase},
    {"kaifa_no_list3", "KFM_", kKaifaNoList3},
    {"kaifa_no_list3_1p", "KFM_", kKaifaNoList3SinglePhase},
};

const MeterProfile kGeneric{"generic", "no implied scalers; scaler_unit from the wire where present", {}, {}, false, {}};
const MeterProfile kE450Ch{"e450_ch", "Landis+Gyr E450 Swiss CII (GBT, capture list): V x1, A x0.01, PF x0.001", kE450, {}, false, {}};
const MeterProfile kE570Ch{"e570_ch", "Landis+Gyr E570 Swiss CII (int64 values): raw except PF x0.001", kPowerFactor, {}, false, {}};
const MeterProfile kE360Ch{"e360_ch", "Landis+Gyr E360 P1: V x0.1, A x0.01, PF x0.001", kDeciVolt, {}, false, {}};
const MeterProfile kAm550Ch{"am550_ch", "Iskraemeco AM550 CH (capture list or Romande Energie triples): V x0.1, A x0.01, PF x0.001", kDeciVolt, {}, false, {}};
const MeterProfile kAm550At{"am550_at", "Iskraemeco AM550 Austria (KELAG and Wiener Netze positional lists)", kDeciVolt, {}, false, kAm550AtTemplates};
const MeterProfile kE450At{"e450_at", "Landis+Gyr E450 Austria (Steiermark OBIS pairs, Burgenland and Wiener Netze positional lists)", kE450, {}, false, kE450AtTemplates};
const MeterProfile kIm350At{"im350_at", "Siemens IM350 Austria (Wiener Netze positional list)", {}, {}, false, kIm350AtTemplates};
const MeterProfile kKaifaAt{"kaifa_at", "Kaifa MA309 Austria/Poland (M-Bus, scaler_unit on the wire)", {}, kSerialFirst, false, {}};
const MeterProfile kKaifaNo{"kaifa_no", "Kaifa MA304 Norway/Sweden (positional lists): A x0.001, V x0.1", kKaifaNoScalers, {}, false, kKaifaNoTemplates};
const MeterProfile kKamstrup{"kamstrup", "Kamstrup Omnipower: energies x10 Wh, V x1, A x0.01, clock in standard time", kKamstrupScalers, {}, true, {}};
const MeterProfile kAidon{"aidon", "Aidon (scaler_unit on the wire)", {}, {}, false, {}};

constexpr std::array<const MeterProfile*, 12> kAll = {&kGeneric, &kE450Ch,  &kE570Ch,  &kE360Ch,  &kAm550Ch,
                                                     &kAm550At, &kE450At,  &kIm350At, &kKaifaAt, &kKaifaNo,
                                                     &kKamstrup, &kAidon};

}  // namespace

std::optional<int> MeterProfile::implied_scaler(const Obis& code) const {
  if (code.a == 0) return std::nullopt;
  for (const ImpliedScaler& s : scalers)
    if (s.c == code.c && s.d == code.d) return s.scaler;
  return std::nullopt;
}

const MeterProfile* find_profile(std::string_view name) {
  for (const MeterProfile* p : kAll)
    if (p->name == name) return p;
  return nullptr;
}

const MeterProfile& generic_profile() { return kGeneric; }

std::vector<std::string> profile_names() {
  std::vector<std::string> names;
  names.reserve(kAll.size());
  for (const MeterProfile* p : kAll) names.emplace_back(p->name);
  return names;
}

std::span<const MeterProfile* const> all_profiles() { return kAll; }

const MeterProfile& detect_profile(const ProfileHints& h) {
  const std::string_view m = h.manufacturer;
  // Only L+G uses General Block Transfer in pushes, so GBT alone identifies the family.
  if (m == "LGZ" || (m.empty() && h.gbt)) {
    if (h.positional || (!h.capture_list && !h.gbt)) return kE450At;
    const bool e570_address = h.hdlc_destination > 0xFF && h.hdlc_destination != 0xCEFF &&
                              (h.hdlc_destination >> 8) == 0xCE;
    if (h.wide_integers || (h.gbt && e570_address)) return kE570Ch;
    if (h.gbt) return h.capture_list ? kE450Ch : kE450At;
    return kE360Ch;
  }
  if (m == "ISK" || (m.empty() && h.hdlc_segmented)) return h.positional ? kAm550At : kAm550Ch;
  // The Nordic lists name themselves "KFM_001", with OBIS codes (Sweden) or without (Norway).
  if (m == "KFM") return h.positional || h.list_id.starts_with("KFM_") ? kKaifaNo : kKaifaAt;
  if (m == "KAM") return kKamstrup;
  if (m == "SMS") return kIm350At;
  if (m == "AID") return kAidon;
  return kGeneric;
}

}  // namespace meterd::dlms
