#include "dsmr_telegram_parser.hpp"

#include <climits>
#include <map>
#include <string>
#include <string_view>

#include "dsmr_line_parser.hpp"
#include "dsmr_local_time.hpp"
#include "dsmr_obis_catalogue.hpp"
#include "dsmr_value_parser.hpp"
#include "meterd/crc16.hpp"
#include "meterd/obis_quantity.hpp"

namespace meterd::dsmr {
namespace {

struct Layout {
  std::string_view body;     // lines between the identification line and "!"
  std::size_t bang = 0;      // offset of "!"
  std::string_view trailer;  // after "!", CR LF removed
};

struct Context {
  const TelegramParseOptions& options;
  std::vector<DecoderDiagnostic>& diagnostics;
  DecodedMessage message;
  int id_rank = INT_MAX;
  std::map<int, int> channel_device_type;  // M-Bus channel (B group) -> EN 13757-3 type
  std::vector<std::pair<std::size_t, int>> mbus_readings;  // value index, channel
};

std::optional<Layout> split_telegram(std::string_view t) {
  if (t.empty() || t.front() != '/') return std::nullopt;
  const auto header_end = t.find('\n');
  const auto bang = t.find("\n!");
  if (header_end == std::string_view::npos || bang == std::string_view::npos) return std::nullopt;
  Layout l;
  l.bang = bang + 1;
  l.body = t.substr(header_end + 1, bang + 1 - (header_end + 1));
  l.trailer = t.substr(l.bang + 1);
  while (!l.trailer.empty() && (l.trailer.back() == '\n' || l.trailer.back() == '\r' || l.trailer.back() == ' '))
    l.trailer.remove_suffix(1);
  return l;
}

CrcStatus check_crc(std::span<const std::uint8_t> telegram, const Layout& l) {
  if (l.trailer.empty()) return CrcStatus::absent;
  if (l.trailer.size() != 4) return CrcStatus::malformed;
  unsigned stated = 0;
  for (char c : l.trailer) {
    const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (v < 0) return CrcStatus::malformed;
    stated = stated << 4 | static_cast<unsigned>(v);
  }
  // Covers "/" through "!" exactly as received, CR LF included.
  return crc16_arc(telegram.first(l.bang + 1)) == stated ? CrcStatus::verified : CrcStatus::mismatch;
}

// DSMR 2.2/3 put the gas value on the line after its header; such lines start with "(".
std::vector<std::string> logical_lines(std::string_view body) {
  std::vector<std::string> lines;
  while (!body.empty()) {
    const auto lf = body.find('\n');
    std::string_view line = body.substr(0, lf);
    body = lf == std::string_view::npos ? std::string_view() : body.substr(lf + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.front() == '(' && !lines.empty()) lines.back() += line;
    else lines.emplace_back(line);
  }
  return lines;
}

std::string shorten(std::string_view s) {
  constexpr std::size_t kMax = 80;
  std::string out(s.substr(0, kMax));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
  return s.size() > kMax ? out + "..." : out;
}

void bad_line(Context& ctx, std::string_view line, std::string_view why) {
  ctx.diagnostics.push_back({Severity::warning, "bad_line",
                             "telegram line skipped (" + std::string(why) + "): " + shorten(line)});
}

MeterTime to_meter_time(const Context& ctx, const DsmrTimestamp& ts) {
  if (ctx.options.zone) return make_local_meter_time(ts.wall, ts.dst, *ctx.options.zone);
  MeterTime t;
  t.year = ts.wall.year, t.month = ts.wall.month, t.day = ts.wall.day;
  t.hour = ts.wall.hour, t.minute = ts.wall.minute, t.second = ts.wall.second;
  t.dst = ts.dst;
  return t;
}

void add_value(Context& ctx, const ObisCode& code, std::variant<double, std::string> value,
               std::string_view unit, std::optional<MeterTime> time = std::nullopt) {
  DecodedValue v;
  v.obis = code.to_string();
  v.value = std::move(value);
  v.unit = std::string(unit);
  v.quantity = obis_quantity_name(code.a, code.b, code.c, code.d, code.e);
  v.time = std::move(time);
  if (v.quantity == "mbus_reading") ctx.mbus_readings.emplace_back(ctx.message.values.size(), code.b);
  ctx.message.values.push_back(std::move(v));
}

std::string identifier_text(const Context& ctx, const ObisCode& code, std::string_view raw) {
  const bool decode = is_text_message_object(code) || (ctx.options.hex_decode_ids && is_hex_id_object(code));
  if (decode)
    if (auto text = decode_hex_text(raw)) return *text;
  return std::string(raw);
}

void single_group(Context& ctx, const ObisLine& l, std::string_view line) {
  const std::string_view g = l.groups.front();
  if (g.empty()) return;  // "()" = no value (no text message, unknown M-Bus id)
  if (is_identifier_object(l.obis)) {
    std::string text = identifier_text(ctx, l.obis, g);
    if (const auto rank = meter_id_rank(l.obis); rank && *rank < ctx.id_rank) {
      ctx.id_rank = *rank;
      ctx.message.meter_id = text;
    }
    add_value(ctx, l.obis, std::move(text), {});
    return;
  }
  if (const auto n = parse_number_with_unit(g)) {
    if (l.obis.a == 0 && l.obis.c == 24 && l.obis.d == 1 && l.obis.e == 0)
      ctx.channel_device_type[l.obis.b] = static_cast<int>(n->value);
    add_value(ctx, l.obis, n->value, n->unit);
    return;
  }
  if (g.find('*') != std::string_view::npos) return bad_line(ctx, line, "value is not a decimal number");
  add_value(ctx, l.obis, std::string(g), {});  // unknown text object: keep exactly what was sent
}

void clock_line(Context& ctx, const ObisLine& l, std::string_view line) {
  const auto ts = l.groups.size() == 1 ? parse_timestamp(l.groups.front()) : std::nullopt;
  if (!ts) return bad_line(ctx, line, "telegram timestamp is not YYMMDDhhmmss[S|W]");
  ctx.message.time = to_meter_time(ctx, *ts);
}

// "(n)(obis)...(obis)" then n rows of one timestamp plus one group per column:
// power-failure log 1-0:99.97.0 and the Belgian monthly peaks 0-0:98.1.0.
void profile_buffer(Context& ctx, const ObisLine& l, std::string_view line) {
  const auto count = parse_number_with_unit(l.groups[0]);
  std::size_t columns = 0;
  while (1 + columns < l.groups.size() && looks_like_obis(l.groups[1 + columns])) ++columns;
  const std::size_t row = columns + 1;
  if (!count || count->value < 0 || (l.groups.size() - 1 - columns) != static_cast<std::size_t>(count->value) * row)
    return bad_line(ctx, line, "buffer entry count does not match its groups");
  for (std::size_t first = 1 + columns; first < l.groups.size(); first += row) {
    std::optional<DsmrTimestamp> when;
    for (std::size_t i = first; i + 1 < first + row; ++i)
      if (auto ts = parse_timestamp(l.groups[i])) when = ts;
    const auto value = parse_number_with_unit(l.groups[first + row - 1]);
    if (!value || !when) return bad_line(ctx, line, "buffer entry is not (timestamp)...(value)");
    add_value(ctx, l.obis, value->value, value->unit, to_meter_time(ctx, *when));
  }
}

// NTA 8130 / DSMR 2.2-3 gas: (ts)(00)(60)(1)(0-n:24.2.1)(m3)(value).
bool legacy_gas(Context& ctx, const ObisLine& l, std::string_view line) {
  if (!(l.obis.c == 24 && l.obis.d == 3 && l.groups.size() == 7 && looks_like_obis(l.groups[4]))) return false;
  const auto value = parse_number_with_unit(l.groups[6]);
  const auto ts = parse_timestamp(l.groups[0]);
  if (!value || !value->unit.empty()) {
    bad_line(ctx, line, "gas reading is not a number");
  } else if (!ts || is_placeholder_timestamp(l.groups[0])) {
    ctx.diagnostics.push_back({Severity::info, "placeholder_reading",
                               "M-Bus channel " + std::to_string(l.obis.b) + " has no reading yet"});
  } else {
    add_value(ctx, l.obis, value->value, l.groups[5], to_meter_time(ctx, *ts));
  }
  return true;
}

// (timestamp)(value)...: M-Bus readings, Belgian monthly peak, Hungarian billing record.
void timestamped_values(Context& ctx, const ObisLine& l, std::string_view line) {
  const std::string_view stamp = l.groups[0];
  const auto ts = parse_timestamp(stamp);
  if (!ts || is_placeholder_timestamp(stamp)) {
    ctx.diagnostics.push_back({Severity::info, "placeholder_reading",
                               "no reading behind placeholder time " + shorten(stamp) + " on " + l.obis.to_string()});
    return;
  }
  std::vector<std::pair<double, std::string_view>> values;
  for (std::size_t i = 1; i < l.groups.size(); ++i) {
    if (l.groups[i].empty()) continue;
    const auto v = parse_number_with_unit(l.groups[i]);
    if (!v) return bad_line(ctx, line, "value after the timestamp is not a number");
    values.emplace_back(v->value, v->unit);
  }
  for (const auto& [value, unit] : values) add_value(ctx, l.obis, value, unit, to_meter_time(ctx, *ts));
}

void interpret(Context& ctx, std::string_view line) {
  std::string why;
  const auto parsed = parse_obis_line(line, why);
  if (!parsed) return bad_line(ctx, line, why);
  const ObisLine& l = *parsed;
  if (l.obis.a == 0 && l.obis.c == 1 && l.obis.d == 0 && l.obis.e == 0) return clock_line(ctx, l, line);
  if (l.groups.size() == 1) return single_group(ctx, l, line);
  if (legacy_gas(ctx, l, line)) return;
  if (looks_like_obis(l.groups.size() > 1 ? l.groups[1] : std::string_view()) || l.groups[0].size() < 12)
    return profile_buffer(ctx, l, line);
  if (l.groups[0].size() == 12 || l.groups[0].size() == 13) return timestamped_values(ctx, l, line);
  bad_line(ctx, line, "unrecognised group layout");
}

// A channel's readings are gas, water or heat depending on the device type line of that channel.
void name_mbus_readings(Context& ctx) {
  for (const auto& [index, channel] : ctx.mbus_readings)
    if (const auto it = ctx.channel_device_type.find(channel); it != ctx.channel_device_type.end())
      ctx.message.values[index].quantity = mbus_reading_quantity(it->second);
}

}  // namespace

ParsedTelegram parse_telegram(std::span<const std::uint8_t> telegram, const TelegramParseOptions& options) {
  ParsedTelegram out;
  const std::string_view text(reinterpret_cast<const char*>(telegram.data()), telegram.size());
  const auto layout = split_telegram(text);
  if (!layout) {
    out.crc = CrcStatus::malformed;
    out.diagnostics.push_back({Severity::error, "bad_telegram", "telegram without identification line or '!' end"});
    return out;
  }
  out.crc = check_crc(telegram, *layout);
  if (out.crc == CrcStatus::malformed) {
    out.diagnostics.push_back({Severity::error, "bad_crc_field",
                               "checksum after '!' is not 4 hex digits: '" + shorten(layout->trailer) + "'"});
    return out;
  }
  if (out.crc == CrcStatus::mismatch && !options.authenticated) {
    out.diagnostics.push_back({Severity::error, "crc_error",
                               "telegram CRC-16 does not match '" + std::string(layout->trailer) +
                                   "'; telegram dropped (line noise, or line ends changed after capture)"});
    return out;
  }
  if (out.crc == CrcStatus::mismatch)
    out.diagnostics.push_back({Severity::info, "crc_mismatch_in_envelope",
                               "telegram CRC does not match, but the envelope's GCM tag verified; accepted"});
  if (out.crc == CrcStatus::absent && !options.authenticated)
    out.diagnostics.push_back({Severity::info, "no_crc",
                               "telegram has no CRC (DSMR 2.2/3 or a gateway); accepted unverified"});
  Context ctx{options, out.diagnostics, {}, INT_MAX, {}, {}};
  ctx.message.protocol = "dsmr";
  for (const auto& line : logical_lines(layout->body)) interpret(ctx, line);
  name_mbus_readings(ctx);
  out.message = std::move(ctx.message);
  return out;
}

}  // namespace meterd::dsmr
