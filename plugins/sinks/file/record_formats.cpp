#include "record_formats.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "meterd/csv_field.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::file_sink {
namespace {

std::string iso_ms(std::int64_t ms) {
  if (ms == 0) return {};
  std::string s = format_iso8601(ms / 1000, 0, true);
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(ms % 1000));
  return s.insert(s.size() - 1, frac);
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

}  // namespace

Format parse_format(const std::string& name) {
  if (name == "jsonl" || name == "json") return Format::jsonl;
  if (name == "csv") return Format::csv;
  throw std::invalid_argument("unknown format '" + name + "' (use jsonl or csv)");
}

const char* extension(Format f) { return f == Format::jsonl ? ".jsonl" : ".csv"; }

std::string csv_header() {
  return "received,meter_time,meter_id,source,sequence,obis,quantity,value,unit,interval_start,interval_end,tariff,id\n";
}

void append_record(Format f, const v1::Reading& r, std::string& out) {
  if (f == Format::jsonl) {
    nlohmann::ordered_json j;
    j["meter_id"] = r.meter_id();
    j["source"] = r.source();
    j["sequence"] = r.sequence();
    j["received"] = iso_ms(r.received_ms());
    if (r.has_meter_time_ms())
      j["meter_time"] = format_iso8601(r.meter_time_ms() / 1000, r.meter_utc_offset_s());
    if (!r.id().empty()) j["id"] = r.id();
    auto values = nlohmann::ordered_json::array();
    for (const auto& v : r.values()) {
      nlohmann::ordered_json o;
      o["obis"] = v.obis();
      if (!v.quantity().empty()) o["quantity"] = v.quantity();
      if (v.value_case() == v1::Value::kText)
        o["value"] = v.text();
      else
        o["value"] = v.number();
      o["unit"] = v.unit().empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(v.unit());
      if (v.interval_end_ms() != 0) {
        o["interval_start"] = iso_ms(v.interval_start_ms());
        o["interval_end"] = iso_ms(v.interval_end_ms());
      }
      if (!v.tariff().empty()) o["tariff"] = v.tariff();
      values.push_back(std::move(o));
    }
    j["values"] = std::move(values);
    out += j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    out += '\n';
    return;
  }
  const std::string received = iso_ms(r.received_ms());
  const std::string meter_time = r.has_meter_time_ms() ? iso_ms(r.meter_time_ms()) : std::string();
  for (const auto& v : r.values()) {
    append_csv_field(out, received);
    out += ',';
    append_csv_field(out, meter_time);
    out += ',';
    append_csv_field(out, r.meter_id());
    out += ',';
    append_csv_field(out, r.source());
    out += ',' + std::to_string(r.sequence()) + ',';
    append_csv_field(out, v.obis());
    out += ',';
    append_csv_field(out, v.quantity());
    out += ',';
    append_csv_field(out, v.value_case() == v1::Value::kText ? v.text() : number(v.number()));
    out += ',';
    append_csv_field(out, v.unit());
    out += ',' + iso_ms(v.interval_start_ms()) + ',' + iso_ms(v.interval_end_ms()) + ',';
    append_csv_field(out, v.tariff());
    out += ',';
    append_csv_field(out, r.id());
    out += '\n';
  }
}

}  // namespace meterd::file_sink
