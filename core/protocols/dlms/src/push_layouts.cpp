#include "meterd/dlms/push_layouts.hpp"

#include <array>
#include <cmath>
#include <cstdio>

#include "meterd/hex.hpp"

namespace meterd::dlms {
namespace {

constexpr std::uint16_t kClassClock = 8;
constexpr std::uint16_t kClassPushSetup = 40;
constexpr std::uint16_t kClassRegister = 3;
constexpr std::uint16_t kClassExtendedRegister = 4;

bool is_printable(std::span<const std::uint8_t> b) {
  for (std::uint8_t c : b)
    if (c < 0x20 || c > 0x7E) return false;
  return true;
}

bool is_obis_anchor(const AxdrTree& t, std::size_t i) {
  const AxdrNode& n = t.node(i);
  if (n.type != AxdrType::octet_string || n.length != 6) return false;
  const auto b = t.content(n);
  return (b[0] == 0 || b[0] == 1) && b[5] == 0xFF;
}

bool is_scaler_unit(const AxdrTree& t, std::size_t i) {
  const AxdrNode& n = t.node(i);
  if (n.type != AxdrType::structure || n.length != 2) return false;
  const AxdrNode& s = t.node(i + 1);
  const AxdrNode& u = t.node(s.end);
  return s.type == AxdrType::integer && u.type == AxdrType::enumeration;
}

std::optional<CosemDateTime> datetime_of(const AxdrTree& t, std::size_t i) {
  const AxdrNode& n = t.node(i);
  if ((n.type == AxdrType::octet_string || n.type == AxdrType::date_time) && n.length == 12)
    return parse_cosem_datetime(t.content(n));
  return std::nullopt;
}

// FLAG manufacturer id from identity strings in the body ("LGZ1030655933512") or list ids.
std::string_view manufacturer_from_body(const AxdrTree& t) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    const AxdrNode& n = t.node(i);
    if (!n.is_string()) continue;
    const auto b = t.content(n);
    const std::string_view s(reinterpret_cast<const char*>(b.data()), b.size());
    if (s.starts_with("KFM_")) return "KFM";
    if (s.starts_with("AIDON")) return "AID";
    if (s.starts_with("Kamstrup")) return "KAM";
    if (s.size() == 16 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z' &&
        s[3] >= '0' && s[3] <= '9') {
      for (std::string_view known : {"LGZ", "ISK", "KFM", "KAM", "SAG", "SMS"})
        if (s.starts_with(known)) return known;
    }
  }
  return {};
}

// The Nordic HAN lists start with a list version id such as "KFM_001" or "AIDON_V0001".
std::string_view list_id_from_body(const AxdrTree& t) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    const AxdrNode& n = t.node(i);
    if (!n.is_string() || n.length < 5 || n.length > 16) continue;
    const auto b = t.content(n);
    const std::string_view s(reinterpret_cast<const char*>(b.data()), b.size());
    const auto underscore = s.find('_');
    if (underscore == std::string_view::npos || underscore == 0 || !is_printable(b)) continue;
    return s;
  }
  return {};
}

bool has_wide_integers(const AxdrTree& t) {
  for (const AxdrNode& n : t.nodes())
    if (n.type == AxdrType::long64 || n.type == AxdrType::long64_unsigned) return true;
  return false;
}

double pow10_scaled(std::int64_t raw, int scaler) {
  static constexpr double kPow[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12};
  const int s = std::abs(scaler);
  const double f = s < 13 ? kPow[s] : std::pow(10.0, s);
  // Dividing keeps 9 * 10^-2 as the double nearest 0.09; multiplying by 0.01 would not.
  return scaler >= 0 ? static_cast<double>(raw) * f : static_cast<double>(raw) / f;
}

// Everything needed to turn nodes into DecodedValues for one message.
class ValueBuilder {
 public:
  ValueBuilder(const AxdrTree& t, const LayoutOptions& o, const MeterProfile& p, PushContent& out)
      : tree_(t), options_(o), profile_(p), out_(out) {}

  struct WireScale {
    std::optional<int> scaler;
    std::optional<std::uint8_t> unit;
  };

  void add(std::size_t node, const Obis& code, WireScale wire = {}, std::optional<int> template_scaler = std::nullopt) {
    const AxdrNode& n = tree_.node(node);
    if (n.type == AxdrType::null_data) return;  // absent phase on single-phase meters
    if (is_clock(code)) {
      if (auto dt = datetime_of(tree_, node)) {
        if (!out_.clock) out_.clock = dt;
        return;
      }
    }
    const auto info = lookup_obis(code);
    DecodedValue v;
    v.obis = code.to_string();
    if (info) v.quantity = info->quantity;
    if (n.is_integer() || n.type == AxdrType::float32 || n.type == AxdrType::float64) {
      add_number(n, code, info, wire, template_scaler, v);
    } else {
      v.value = text_of(node);
      consider_identity(code, std::get<std::string>(v.value));
    }
    out_.values.push_back(std::move(v));
  }

  void consider_identity(const Obis& code, const std::string& text) {
    const IdentityRank rank = identity_rank(code);
    if (rank == IdentityRank::none || text.empty()) return;
    const int score = preference(rank);
    if (score < best_identity_) {
      best_identity_ = score;
      out_.meter_id = text;
    }
  }

  std::string text_of(std::size_t node) const {
    const AxdrNode& n = tree_.node(node);
    if (n.is_string()) {
      const auto b = tree_.content(n);
      if (n.type == AxdrType::octet_string && n.length == 12)
        if (auto dt = parse_cosem_datetime(b); dt && dt->has_wall_clock()) return datetime_text(*dt);
      return identifier_text(b);
    }
    // Containers and other types: keep the raw encoding so nothing is lost.
    return to_hex(subtree_bytes(node), 64);
  }

 private:
  void add_number(const AxdrNode& n, const Obis& code, const std::optional<ObisInfo>& info, const WireScale& wire,
                  std::optional<int> template_scaler, DecodedValue& v) {
    std::optional<int> scaler = override_for(code);
    if (!scaler) scaler = wire.scaler;
    if (!scaler) scaler = template_scaler;
    if (!scaler) scaler = profile_.implied_scaler(code);
    if (!scaler && info && !info->unit.empty()) scaler = 0;
    if (wire.unit && !dlms_unit_symbol(*wire.unit).empty())
      v.unit = dlms_unit_symbol(*wire.unit);
    else if (info)
      v.unit = info->unit;
    v.scaler = scaler;
    if (n.is_integer()) {
      const bool huge_unsigned = n.type == AxdrType::long64_unsigned && n.integer < 0;
      if (huge_unsigned) {
        const double value = static_cast<double>(static_cast<std::uint64_t>(n.integer));
        v.value = scaler ? value * std::pow(10.0, *scaler) : value;
      } else {
        v.raw = n.integer;
        v.value = pow10_scaled(n.integer, scaler.value_or(0));
      }
    } else {
      v.value = scaler ? n.real * std::pow(10.0, *scaler) : n.real;
    }
  }

  std::optional<int> override_for(const Obis& code) const {
    for (const ScalerOverride& o : options_.scaler_overrides)
      if (o.code.a == code.a && o.code.c == code.c && o.code.d == code.d && o.code.e == code.e) return o.scaler;
    return std::nullopt;
  }

  int preference(IdentityRank rank) const {
    const auto& order = profile_.id_preference;
    for (std::size_t k = 0; k < order.size(); ++k)
      if (order[k] == rank) return static_cast<int>(k);
    return static_cast<int>(rank) + 10;
  }

  std::span<const std::uint8_t> subtree_bytes(std::size_t node) const {
    const AxdrNode& n = tree_.node(node);
    const AxdrNode& last = tree_.node(n.end - 1);
    const std::size_t end = last.is_container() ? last.offset : last.offset + last.length;
    return tree_.bytes().subspan(n.offset, end - n.offset);
  }

  static std::string datetime_text(const CosemDateTime& t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour, t.minute,
                  t.second);
    return buf;
  }

  const AxdrTree& tree_;
  const LayoutOptions& options_;
  const MeterProfile& profile_;
  PushContent& out_;
  int best_identity_ = 1 << 20;
};

// ---- Layout A --------------------------------------------------------------------------------

struct CaptureObject {
  std::uint16_t class_id;
  Obis code;
  std::int8_t attribute;
};

bool read_capture_object(const AxdrTree& t, std::size_t i, CaptureObject& c) {
  const AxdrNode& n = t.node(i);
  if (n.type != AxdrType::structure || n.length != 4) return false;
  const std::size_t cls = i + 1, ln = t.node(cls).end, attr = t.node(ln).end;
  if (t.node(cls).type != AxdrType::long_unsigned || t.node(ln).type != AxdrType::octet_string ||
      t.node(ln).length != 6 || t.node(attr).type != AxdrType::integer)
    return false;
  c.class_id = static_cast<std::uint16_t>(t.node(cls).integer);
  c.code = Obis::from_bytes(t.content(ln));
  c.attribute = static_cast<std::int8_t>(t.node(attr).integer);
  return true;
}

bool looks_like_capture_list(const AxdrTree& t) {
  const AxdrNode& root = t.node(0);
  if (root.type != AxdrType::structure || root.length < 2) return false;
  const AxdrNode& list = t.node(1);
  if (list.type != AxdrType::array || list.length != root.length) return false;
  CaptureObject c;
  for (std::size_t k = 0, i = 2; k < list.length; ++k, i = t.node(i).end)
    if (!read_capture_object(t, i, c)) return false;
  return true;
}

void decode_capture_list(const AxdrTree& t, ValueBuilder& b) {
  const std::size_t count = t.node(1).length;
  // Capture objects and values advance together; object 0 is the list itself.
  std::vector<std::pair<CaptureObject, std::size_t>> items;
  items.reserve(count);
  std::size_t def = t.first_child(1);
  std::size_t value = t.node(1).end;
  for (std::size_t k = 0; k < count; ++k) {
    CaptureObject c{};
    read_capture_object(t, def, c);
    if (k > 0) {
      items.emplace_back(c, value);
      value = t.node(value).end;
    }
    def = t.node(def).end;
  }
  bool any_scaler_unit = false;
  for (const auto& item : items) any_scaler_unit |= item.first.attribute == 3;
  for (const auto& [c, node] : items) {
    if (c.class_id == kClassPushSetup || is_push_setup(c.code)) continue;
    const bool register_class = c.class_id == kClassRegister || c.class_id == kClassExtendedRegister;
    if (register_class && c.attribute == 3) continue;  // scaler_unit, applied to attribute 2 below
    if (c.class_id == kClassClock && c.attribute != 2) continue;
    ValueBuilder::WireScale wire;
    if (any_scaler_unit && register_class && c.attribute == 2) {
      // A list may capture a register's scaler_unit (attribute 3) beside its value.
      for (const auto& [other, su] : items)
        if (other.code == c.code && other.attribute == 3 && is_scaler_unit(t, su)) {
          wire.scaler = static_cast<int>(t.node(su + 1).integer);
          wire.unit = static_cast<std::uint8_t>(t.node(t.node(su + 1).end).integer);
        }
    }
    b.add(node, c.code, wire);
  }
}

// ---- Layouts B and C ------------------------------------------------------------------------

struct AnchoredItem {
  Obis code;
  std::size_t value_node;
  std::optional<std::size_t> scaler_unit_node;
};

// Flattens the body: an OBIS-looking octet-string anchors the next scalar as its value, an
// {int8, enum} structure right after is its scaler_unit. Items before the first anchor are
// header items (list id, date-time).
struct AnchorWalk {
  std::vector<AnchoredItem> items;
  std::optional<CosemDateTime> leading_datetime;
  bool any_scaler_unit = false;
};

void walk_anchors(const AxdrTree& t, AnchorWalk& w) {
  std::optional<Obis> pending;
  for (std::size_t i = 0; i < t.size();) {
    const AxdrNode& n = t.node(i);
    if (n.is_container()) {
      if (!pending && !w.items.empty() && !w.items.back().scaler_unit_node && is_scaler_unit(t, i) &&
          w.items.back().value_node + 1 <= i) {
        w.items.back().scaler_unit_node = i;
        w.any_scaler_unit = true;
        i = n.end;
        continue;
      }
      ++i;  // descend
      continue;
    }
    if (pending) {
      w.items.push_back(AnchoredItem{*pending, i, std::nullopt});
      pending.reset();
    } else if (is_obis_anchor(t, i)) {
      pending = Obis::from_bytes(t.content(n));
    } else if (w.items.empty() && !w.leading_datetime) {
      if (auto dt = datetime_of(t, i); dt && dt->has_wall_clock()) w.leading_datetime = dt;
    }
    ++i;
  }
}

void decode_anchored(const AxdrTree& t, const AnchorWalk& w, ValueBuilder& b, PushContent& out) {
  for (const AnchoredItem& item : w.items) {
    ValueBuilder::WireScale wire;
    if (item.scaler_unit_node) {
      const std::size_t s = *item.scaler_unit_node + 1;
      wire.scaler = static_cast<int>(t.node(s).integer);
      wire.unit = static_cast<std::uint8_t>(t.node(t.node(s).end).integer);
    }
    b.add(item.value_node, item.code, wire);
  }
  if (!out.clock && w.leading_datetime) out.clock = w.leading_datetime;
}

// ---- Layout D -------------------------------------------------------------------------------

bool type_matches(PositionalType type, const AxdrTree& t, std::size_t i) {
  const AxdrNode& n = t.node(i);
  switch (type) {
    case PositionalType::any: return true;
    case PositionalType::number:
      return n.is_integer() || n.type == AxdrType::float32 || n.type == AxdrType::float64;
    case PositionalType::string: return n.is_string();
    case PositionalType::date_time: return datetime_of(t, i).has_value();
  }
  return false;
}

bool template_matches(const PositionalTemplate& tp, const AxdrTree& t) {
  const AxdrNode& root = t.node(0);
  if (!root.is_container() || root.length != tp.items.size()) return false;
  std::size_t i = t.first_child(0);
  for (std::size_t k = 0; k < tp.items.size(); ++k, i = t.node(i).end) {
    if (!type_matches(tp.items[k].type, t, i)) return false;
    if (k == 0 && !tp.list_id_prefix.empty()) {
      const auto b = t.content(i);
      const std::string_view s(reinterpret_cast<const char*>(b.data()), b.size());
      if (!s.starts_with(tp.list_id_prefix)) return false;
    }
  }
  return true;
}

void decode_positional(const AxdrTree& t, const PositionalTemplate& tp, ValueBuilder& b, PushContent& out) {
  std::size_t i = t.first_child(0);
  for (std::size_t k = 0; k < tp.items.size(); ++k, i = t.node(i).end) {
    const PositionalItem& item = tp.items[k];
    const auto code = item.obis.empty() ? std::optional<Obis>() : Obis::parse(item.obis);
    switch (item.role) {
      case PositionalRole::ignore: break;
      case PositionalRole::clock:
        if (auto dt = datetime_of(t, i); dt && !out.clock) out.clock = dt;
        break;
      case PositionalRole::meter_id:
      case PositionalRole::identifier:
      case PositionalRole::value:
        if (code) {
          b.add(i, *code, {}, item.scaler);
          if (item.role == PositionalRole::meter_id && out.meter_id.empty()) out.meter_id = b.text_of(i);
        } else {
          DecodedValue v;  // position known, meaning not: keep the raw value, never drop it
          v.quantity = "unidentified_item_" + std::to_string(k + 1);
          if (t.node(i).is_integer()) {
            v.raw = t.node(i).integer;
            v.value = static_cast<double>(t.node(i).integer);
          } else {
            v.value = b.text_of(i);
          }
          out.values.push_back(std::move(v));
        }
        break;
    }
  }
  out.template_name = tp.name;
}

// The user's positional table: one OBIS code per element, or "meter_id" / "time" / "" (skip).
bool decode_user_positional(const AxdrTree& t, std::span<const std::string> table, ValueBuilder& b,
                            PushContent& out) {
  const AxdrNode& root = t.node(0);
  if (table.empty() || !root.is_container() || root.length != table.size()) return false;
  std::size_t i = t.first_child(0);
  for (std::size_t k = 0; k < table.size(); ++k, i = t.node(i).end) {
    const std::string& entry = table[k];
    if (entry.empty() || entry == "skip") continue;
    if (entry == "time") {
      if (auto dt = datetime_of(t, i); dt && !out.clock) out.clock = dt;
    } else if (entry == "meter_id") {
      if (out.meter_id.empty()) out.meter_id = b.text_of(i);
    } else if (const auto code = Obis::parse(entry)) {
      b.add(i, *code);
    }
  }
  out.template_name = "configured";
  return true;
}

const MeterProfile& choose_profile(const LayoutOptions& o, ProfileHints hints, const AxdrTree& t) {
  if (o.profile) return *o.profile;
  if (hints.manufacturer.empty()) hints.manufacturer = manufacturer_from_body(t);
  if (hints.list_id.empty()) hints.list_id = list_id_from_body(t);
  return detect_profile(hints);
}

}  // namespace

const char* body_layout_name(BodyLayout l) {
  switch (l) {
    case BodyLayout::capture_list: return "A (capture-object list)";
    case BodyLayout::obis_pairs: return "B (OBIS/value pairs)";
    case BodyLayout::obis_triples: return "C (OBIS/value/scaler-unit)";
    case BodyLayout::positional: return "D (positional)";
    case BodyLayout::unsupported: return "unsupported";
  }
  return "unknown";
}

void PushContent::clear() {
  layout = BodyLayout::unsupported;
  profile = nullptr;
  template_name = {};
  values.clear();
  meter_id.clear();
  clock.reset();
}

std::string identifier_text(std::span<const std::uint8_t> bytes) {
  // Some meters pad identifiers with trailing NULs or spaces.
  while (!bytes.empty() && (bytes.back() == 0 || bytes.back() == ' ') && bytes.size() > 1) bytes = bytes.first(bytes.size() - 1);
  if (!bytes.empty() && is_printable(bytes)) return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return to_hex(bytes);
}

bool decode_push_body(const AxdrTree& tree, const LayoutOptions& options, PushContent& out) {
  out.clear();
  if (tree.size() == 0) return false;
  ProfileHints hints = options.transport;

  if (looks_like_capture_list(tree)) {
    hints.capture_list = true;
    hints.wide_integers = has_wide_integers(tree);
    const MeterProfile& profile = choose_profile(options, hints, tree);
    ValueBuilder b(tree, options, profile, out);
    decode_capture_list(tree, b);
    out.layout = BodyLayout::capture_list;
    out.profile = &profile;
    return true;
  }

  AnchorWalk walk;
  walk_anchors(tree, walk);
  auto decode_b_c = [&]() {
    const MeterProfile& profile = choose_profile(options, hints, tree);
    ValueBuilder b(tree, options, profile, out);
    decode_anchored(tree, walk, b, out);
    out.layout = walk.any_scaler_unit ? BodyLayout::obis_triples : BodyLayout::obis_pairs;
    out.profile = &profile;
  };
  if (walk.items.size() >= 2) {
    decode_b_c();
    return true;
  }

  hints.positional = true;
  const MeterProfile& profile = choose_profile(options, hints, tree);
  {
    ValueBuilder b(tree, options, profile, out);
    if (decode_user_positional(tree, options.positional_obis, b, out)) {
      out.layout = BodyLayout::positional;
      out.profile = &profile;
      return true;
    }
  }
  // The detected profile's templates first; when detection is automatic, any profile's template
  // whose element count and types match (the signature is specific enough).
  std::vector<const MeterProfile*> candidates{&profile};
  if (!options.profile)
    for (const MeterProfile* p : all_profiles())
      if (p != &profile) candidates.push_back(p);
  for (const MeterProfile* p : candidates) {
    for (const PositionalTemplate& tp : p->templates) {
      if (!template_matches(tp, tree)) continue;
      ValueBuilder b(tree, options, *p, out);
      decode_positional(tree, tp, b, out);
      out.layout = BodyLayout::positional;
      out.profile = p;
      return true;
    }
  }
  if (!walk.items.empty()) {
    decode_b_c();
    return true;
  }
  return false;
}

}  // namespace meterd::dlms
