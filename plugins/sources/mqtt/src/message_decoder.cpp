#include "message_decoder.hpp"

#include <mosquitto.h>

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "meterd/obis_quantity.hpp"
#include "meterd/sink/value_kind.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::mqtt_source {
namespace {

using nlohmann::json;

Decoded fail(std::string code, std::string message, std::string meter = {}) {
  Decoded out;
  out.problem = Problem{std::move(code), std::move(message), std::move(meter)};
  return out;
}

std::string shortened(const std::string& text) { return text.size() > 80 ? text.substr(0, 77) + "..." : text; }

const json* at_pointer(const json& document, const std::string& pointer) {
  try {
    const json::json_pointer p(pointer.empty() || pointer.front() == '/' ? pointer : "/" + pointer);
    return document.contains(p) ? &document.at(p) : nullptr;
  } catch (const json::exception&) {
    return nullptr;
  }
}

std::optional<double> number_of(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const std::string text = value.get<std::string>();
  double out = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return out;
}

std::optional<double> number_of_text(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::nullopt;
  return number_of(json(text.substr(first)));
}

v1::Value make_value(const ValueTarget& target, double number) {
  v1::Value value;
  value.set_obis(target.obis);
  value.set_quantity(target.quantity);
  value.set_unit(target.unit_out);
  value.set_number(number * target.factor);
  return value;
}

// "1-0_1_8_0", the sink's key for a value with an OBIS code but no quantity, back to "1-0:1.8.0".
std::string obis_from_identifier(const std::string& key) {
  std::string code = key;
  const auto dash = code.find('-');
  const auto first = code.find('_');
  if (dash == std::string::npos || first == std::string::npos || first < dash) return {};
  code[first] = ':';
  for (auto at = code.find('_'); at != std::string::npos; at = code.find('_')) code[at] = '.';
  return sink::parse_obis(code) ? code : std::string();
}

// A key of the sink's state payload back to its value: quantity, OBIS code and the unit the
// sink normalised to (kWh, W, ...; see meterd::sink::normalize_unit).
v1::Value state_value(const std::string& key, const json& item) {
  v1::Value value;
  std::string catalogue_unit;
  if (const auto entry = catalogue_entry(key)) {
    value.set_quantity(key);
    value.set_obis(entry->obis);
    catalogue_unit = entry->unit;
  } else if (const auto code = obis_from_identifier(key); !code.empty()) {
    value.set_obis(code);
  } else {
    value.set_quantity(key);
  }
  if (item.is_string()) {
    value.set_text(item.get<std::string>());
    return value;
  }
  const auto kind = sink::classify_value(value.obis(), value.quantity(), catalogue_unit);
  value.set_unit(sink::normalize_unit(kind.kind, 0, catalogue_unit).unit);
  value.set_number(item.get<double>());
  return value;
}

}  // namespace

std::vector<std::string> topic_levels(const std::string& topic) {
  std::vector<std::string> levels;
  std::size_t start = 0;
  for (std::size_t slash = topic.find('/'); ; slash = topic.find('/', start)) {
    levels.push_back(topic.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return levels;
}

MessageDecoder::MessageDecoder(DecoderSettings settings, std::shared_ptr<const TimeZone> zone)
    : settings_(std::move(settings)), zone_(std::move(zone)) {
  if (!settings_.time_format) {
    std::string error;
    settings_.time_format = csv_table::TimestampFormat::compile("iso8601", error);
  }
}

Decoded MessageDecoder::decode(const IncomingMessage& message) const {
  switch (settings_.format) {
    case Format::meterd: return decode_meterd_state(message);
    case Format::smlreader:
    case Format::single_value: return decode_topic_value(message);
    default: return decode_mapped_json(message);
  }
}

std::string MessageDecoder::meter_of(const IncomingMessage& message, const void* document,
                                     std::optional<Problem>& problem) const {
  if (!settings_.meter_id_field.empty() && document) {
    if (const json* id = at_pointer(*static_cast<const json*>(document), settings_.meter_id_field)) {
      if (id->is_string() && !id->get<std::string>().empty()) return id->get<std::string>();
      if (id->is_number_integer()) return std::to_string(id->get<long long>());
    }
  }
  if (settings_.meter_id_topic_level >= 0) {
    const auto levels = topic_levels(message.topic);
    if (static_cast<std::size_t>(settings_.meter_id_topic_level) < levels.size() &&
        !levels[static_cast<std::size_t>(settings_.meter_id_topic_level)].empty())
      return levels[static_cast<std::size_t>(settings_.meter_id_topic_level)];
  }
  if (!settings_.meter_id.empty()) return settings_.meter_id;
  problem = Problem{"no_meter_id",
                    "message on " + message.topic + " names no meter (field " + settings_.meter_id_field +
                        " missing and no topic level or meter_id set); set meter_id, meter_id_topic_level or meter_id_field",
                    {}};
  return {};
}

bool MessageDecoder::meter_accepted(const std::string& meter, std::optional<Problem>& problem) const {
  if (settings_.meters.empty() || settings_.meters.count(meter)) return true;
  problem = Problem{"unknown_meter",
                    "message for meter '" + meter + "', which is not in option 'meters'; add it there or fix the "
                    "reader's topic/meter id",
                    meter};
  return false;
}

std::string MessageDecoder::receive_time_id(const std::string& meter, const IncomingMessage& message) const {
  return settings_.instance + "/" + meter + "/r" + std::to_string(message.received_ms) + "-" + message.inbox_position;
}

Decoded MessageDecoder::decode_meterd_state(const IncomingMessage& message) const {
  if (message.payload == "online" || message.payload == "offline") return Decoded{{}, {}, true};
  const json document = json::parse(message.payload, nullptr, false);
  if (document.is_discarded() || !document.is_object())
    return fail("bad_json", "message on " + message.topic + " is not a JSON object: '" + shortened(message.payload) +
                                "'; is format = meterd right for this topic?");
  std::optional<Problem> problem;
  const std::string meter = [&] {
    if (!settings_.meter_id_field.empty() || settings_.meter_id_topic_level >= 0 || !settings_.meter_id.empty())
      return meter_of(message, &document, problem);
    return topic_levels(message.topic).back();
  }();
  if (meter.empty()) return Decoded{{}, problem, false};
  if (!meter_accepted(meter, problem)) return Decoded{{}, problem, false};
  const json* id = at_pointer(document, "/id");
  const json* time = at_pointer(document, "/time");
  if (!id || !id->is_string() || !time || !time->is_string())
    return fail("no_time", "state on " + message.topic + " lacks \"id\" or \"time\"; only meterd's mqtt sink payload is read with format = meterd", meter);
  csv_table::ParsedTimestamp parsed;
  const char* why = "";
  if (!settings_.time_format->parse(time->get<std::string>(), parsed, why) || !parsed.has_offset)
    return fail("bad_time", "state on " + message.topic + ": time '" + time->get<std::string>() + "' is not UTC ISO 8601", meter);
  v1::Reading reading;
  reading.set_meter_id(meter);
  reading.set_id(id->get<std::string>());
  reading.set_meter_time_ms((parsed.local_seconds - parsed.offset_seconds) * 1000 + parsed.millisecond);
  reading.set_received_ms(message.received_ms);
  for (const auto& [key, item] : document.items()) {
    if (key == "id" || key == "time" || !(item.is_number() || item.is_string())) continue;
    *reading.add_values() = state_value(key, item);
  }
  Decoded out;
  out.readings.push_back(std::move(reading));
  return out;
}

Decoded MessageDecoder::decode_mapped_json(const IncomingMessage& message) const {
  const json document = json::parse(message.payload, nullptr, false);
  if (document.is_discarded() || !document.is_object())
    return fail("bad_json", "message on " + message.topic + " is not a JSON object: '" + shortened(message.payload) + "'");
  Decoded out;
  const std::string meter = meter_of(message, &document, out.problem);
  if (meter.empty() || !meter_accepted(meter, out.problem)) return out;

  std::optional<std::int64_t> meter_time_ms;
  for (const auto& pointer : settings_.time_fields) {
    const json* time = at_pointer(document, pointer);
    if (!time) continue;
    const std::string text = time->is_string() ? time->get<std::string>() : time->dump();
    csv_table::ParsedTimestamp parsed;
    const char* why = "";
    if (!settings_.time_format->parse(text, parsed, why))
      return fail("bad_time", "message on " + message.topic + ": time '" + shortened(text) + "' at " + pointer +
                                  " does not match time_format " + settings_.time_format->pattern() + " (" + why + ")", meter);
    std::int64_t utc_s = parsed.local_seconds - parsed.offset_seconds;
    if (!parsed.has_offset) {
      const auto candidates = zone_->local_to_utc(parsed.local_seconds);
      if (candidates.empty())
        return fail("bad_time", "message on " + message.topic + ": local time '" + text + "' does not exist in " + zone_->name() +
                                    " (clock change); set time_zone to the reader's zone", meter);
      utc_s = candidates.front();
    }
    meter_time_ms = utc_s * 1000 + parsed.millisecond;
    break;
  }
  if (!meter_time_ms && !settings_.receive_time)
    return fail("no_time", "message on " + message.topic + " carries no time (looked at " +
                               (settings_.time_fields.empty() ? std::string("no time_field") : settings_.time_fields.front()) +
                               "); set time_field, or receive_time = true to stamp it on arrival", meter);
  if (!meter_time_ms && message.retained)
    return fail("retained_stale", "retained message on " + message.topic + " has no time of its own, so when it was "
                                      "measured is unknown; skipped (the reader's next message counts)", meter);

  v1::Reading reading;
  reading.set_meter_id(meter);
  reading.set_received_ms(message.received_ms);
  for (const FieldRule& rule : settings_.fields) {
    const json* item = at_pointer(document, rule.pointer);
    if (!item || item->is_null()) continue;
    const json* number_item = item;
    if (item->is_object()) {
      number_item = at_pointer(*item, "/value");
      const json* unit = at_pointer(*item, "/unit");
      if (unit && unit->is_string() && unit->get<std::string>() != rule.target.unit_in) {
        out.problem = Problem{"unit_mismatch", "message on " + message.topic + ": " + rule.pointer + " is in '" +
                                                   unit->get<std::string>() + "' but the mapping says '" + rule.target.unit_in +
                                                   "'; value skipped, fix the field's unit in the config",
                              meter};
        continue;
      }
    }
    const auto number = number_item ? number_of(*number_item) : std::nullopt;
    if (!number || !std::isfinite(*number)) {
      out.problem = Problem{"bad_number", "message on " + message.topic + ": " + rule.pointer + " is not a number: " +
                                              shortened(item->dump()), meter};
      continue;
    }
    *reading.add_values() = make_value(rule.target, *number);
  }
  if (reading.values().empty()) {
    if (!out.problem)
      out.problem = Problem{"no_values", "message on " + message.topic + " has none of the mapped fields; check format, "
                                         "tasmota_group or field options: '" + shortened(message.payload) + "'", meter};
    return out;
  }
  if (meter_time_ms) {
    reading.set_meter_time_ms(*meter_time_ms);
    reading.set_id(settings_.instance + "/" + meter + "/" + std::to_string(*meter_time_ms));
  } else {
    reading.set_id(receive_time_id(meter, message));
  }
  out.readings.push_back(std::move(reading));
  return out;
}

Decoded MessageDecoder::decode_topic_value(const IncomingMessage& message) const {
  std::optional<ValueTarget> target;
  std::optional<Problem> problem;
  std::string meter;
  if (settings_.format == Format::smlreader) {
    // <base>/sensor/<name>/obis/<A-B:C.D.E>/<F>/value
    const auto levels = topic_levels(message.topic);
    std::size_t at = 0;
    while (at < levels.size() && levels[at] != "obis") ++at;
    if (at == 0 || at + 1 >= levels.size() || levels.back() != "value") return Decoded{{}, {}, true};
    const auto code = sink::parse_obis(levels[at + 1]);
    if (!code || !lookup_obis_quantity(code->a, code->b, code->c, code->d, code->e)) return Decoded{{}, {}, true};
    const auto q = lookup_obis_quantity(code->a, code->b, code->c, code->d, code->e);
    if (q->kind == ObisKind::identifier || q->kind == ObisKind::clock || q->kind == ObisKind::other)
      return Decoded{{}, {}, true};
    target = ValueTarget{levels[at + 1], std::string(q->quantity), std::string(q->unit), std::string(q->unit), 1.0};
    meter = settings_.meter_id.empty() && settings_.meter_id_topic_level < 0 ? levels[at - 1]
                                                                               : meter_of(message, nullptr, problem);
  } else {
    for (const TopicRule& rule : settings_.value_topics) {
      bool matches = false;
      if (mosquitto_topic_matches_sub(rule.filter.c_str(), message.topic.c_str(), &matches) == MOSQ_ERR_SUCCESS && matches) {
        target = rule.target;
        break;
      }
    }
    if (!target) return Decoded{{}, {}, true};
    meter = meter_of(message, nullptr, problem);
  }
  if (meter.empty() || !meter_accepted(meter, problem)) return Decoded{{}, problem, false};
  if (message.retained)
    return fail("retained_stale", "retained value on " + message.topic + " has no time of its own, so when it was measured "
                                  "is unknown; skipped (the reader's next value counts)", meter);
  const auto number = number_of_text(message.payload);
  if (!number || !std::isfinite(*number))
    return fail("bad_number", "value on " + message.topic + " is not a number: '" + shortened(message.payload) + "'", meter);
  v1::Reading reading;
  reading.set_meter_id(meter);
  reading.set_received_ms(message.received_ms);
  *reading.add_values() = make_value(*target, *number);
  reading.set_id(receive_time_id(meter, message));
  Decoded out;
  out.readings.push_back(std::move(reading));
  return out;
}

}  // namespace meterd::mqtt_source
