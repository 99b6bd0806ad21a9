#include "source_options.hpp"

#include <sstream>
#include <stdexcept>

#include "meterd/mqtt/broker_options.hpp"
#include "meterd/option_checks.hpp"

namespace po = boost::program_options;

namespace meterd::mqtt_source {
namespace {

using Strings = std::vector<std::string>;

Strings strings(const po::variables_map& o, const char* name) {
  return o.count(name) ? o[name].as<Strings>() : Strings{};
}

Format parse_format(const std::string& text) {
  if (text == "meterd") return Format::meterd;
  if (text == "tasmota") return Format::tasmota;
  if (text == "ams") return Format::ams;
  if (text == "smlreader") return Format::smlreader;
  if (text == "single_value") return Format::single_value;
  return Format::json;
}

// "<first> <target...>": the first word (pointer or topic filter) and the rest.
std::pair<std::string, std::string> split_rule(const std::string& option, const std::string& text) {
  std::istringstream in(text);
  std::string first;
  in >> first;
  std::string rest;
  std::getline(in, rest);
  if (first.empty() || rest.find_first_not_of(' ') == std::string::npos)
    throw std::invalid_argument("option '" + option + "': '" + text + "': write '<" +
                                (option == "field" ? "JSON pointer" : "topic") + "> <OBIS code or quantity> <unit>'");
  return {first, rest};
}

ValueTarget target_of(const std::string& option, const std::string& text, const std::string& target) {
  try {
    return parse_value_target(target);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("option '" + option + "' = '" + text + "': " + e.what());
  }
}

Strings default_topics(Format format, const DecoderSettings& decoder) {
  switch (format) {
    case Format::meterd: return {"meterd/+"};
    case Format::tasmota: return {"tele/+/SENSOR"};
    case Format::smlreader: return {"iot/smartmeter/sensor/+/obis/#"};
    case Format::single_value: {
      Strings topics;
      for (const auto& rule : decoder.value_topics) topics.push_back(rule.filter);
      return topics;
    }
    default: return {};
  }
}

void check_format_needs(const SourceSettings& s, const std::string& format) {
  const DecoderSettings& d = s.decoder;
  if (s.broker.subscriptions.empty())
    throw std::invalid_argument("option 'topic': format " + format + " has no default topic; give the topic the reader publishes to");
  if (d.format == Format::json && d.fields.empty())
    throw std::invalid_argument("option 'field': format json needs at least one, e.g. 'field = /ENERGY/Total 1-0:1.8.0 kWh'");
  if (d.format == Format::single_value && d.value_topics.empty())
    throw std::invalid_argument("option 'value_topic': format single_value needs at least one, e.g. "
                                "'value_topic = esphome/meter/sensor/energy/state 1-0:1.8.0 kWh'");
  const bool timeless = d.format == Format::smlreader || d.format == Format::single_value;
  if (timeless && !d.receive_time)
    throw std::invalid_argument("option 'receive_time': format " + format + " carries no time; set receive_time = true "
                                "to stamp each value when it arrives");
  if (d.format == Format::json && d.time_fields.empty() && !d.receive_time)
    throw std::invalid_argument("option 'time_field': give the JSON pointer of the payload's time, or set receive_time = true");
  if (d.format == Format::single_value && d.meter_id.empty() && d.meter_id_topic_level < 0)
    throw std::invalid_argument("option 'meter_id': format single_value needs meter_id or meter_id_topic_level");
  if (d.format == Format::json && d.meter_id.empty() && d.meter_id_topic_level < 0 && d.meter_id_field.empty())
    throw std::invalid_argument("option 'meter_id': format json needs meter_id, meter_id_topic_level or meter_id_field");
}

}  // namespace

void describe_source_options(po::options_description& options) {
  mqtt::describe_broker_options(options);
  options.add_options()
    ("format", po::value<std::string>()->default_value("meterd")->notifier(
         sdk::one_of({"meterd", "tasmota", "ams", "smlreader", "single_value", "json"})),
     "payload format: meterd, tasmota, ams, smlreader, single_value or json")
    ("topic", po::value<Strings>()->composing(), "topic filter to subscribe (repeatable); default per format")
    ("field", po::value<Strings>()->composing(),
     "JSON value to take: '<JSON pointer> <OBIS code or quantity> <unit>[-><unit>]' (repeatable)")
    ("value_topic", po::value<Strings>()->composing(),
     "single_value topic: '<topic filter> <OBIS code or quantity> <unit>[-><unit>]' (repeatable)")
    ("tasmota_group", po::value<std::string>()->default_value("SML"), "tasmota: the script's group name")
    ("time_field", po::value<std::string>()->default_value(""), "JSON pointer of the payload's time (default per format)")
    ("time_format", po::value<std::string>()->default_value("")->notifier(sdk::parses_with([](const std::string& text) {
       std::string error;
       if (!text.empty() && !csv_table::TimestampFormat::compile(text, error)) throw sdk::OptionRuleError(error);
       return 0;
     })),
     "iso8601, unix, unix_ms or a pattern like dd.MM.yyyy HH:mm:ss (default per format)")
    ("time_zone", po::value<std::string>()->default_value(""), "zone of times without offset (default: [meterd] time_zone)")
    ("receive_time", po::value<bool>()->default_value(false),
     "stamp messages without a time of their own with their arrival time (else they are refused)")
    ("meter_id", po::value<std::string>()->default_value(""), "meter id of every reading (when the message names none)")
    ("meter_id_topic_level", po::value<int>()->default_value(-1)->notifier(sdk::in_range(-1, 64)),
     "0-based topic level holding the meter id (-1: none)")
    ("meter_id_field", po::value<std::string>()->default_value(""), "JSON pointer of the meter id")
    ("meters", po::value<std::string>()->default_value(""), "meter ids accepted, comma separated; empty: any")
    ("persistent_session", po::value<bool>()->default_value(true),
     "keep the broker session (subscriptions, QoS 1 messages queued while meterd is down)")
    ("inbox_max", po::value<int>()->default_value(10000)->notifier(sdk::in_range(10, 10'000'000)),
     "messages waiting for the sinks before reading from the broker pauses")
    ("inbox_max_mb", po::value<int>()->default_value(256)->notifier(sdk::in_range(1, 1'000'000)), "disk budget of the inbox")
    ("fsync", po::value<std::string>()->default_value("interval")->notifier(sdk::one_of({"always", "interval", "never"})),
     "when the inbox is forced to disk: always (every message), interval (each second), never")
    ("remember_ids", po::value<int>()->default_value(5000)->notifier(sdk::in_range(0, 1'000'000)),
     "reading ids kept to drop duplicates")
    ("retry_initial_ms", po::value<int>()->default_value(500)->notifier(sdk::in_range(10, 3'600'000)), "first reconnect wait")
    ("retry_max_ms", po::value<int>()->default_value(30000)->notifier(sdk::in_range(10, 3'600'000)), "longest reconnect wait");
}

SourceSettings read_source_settings(const po::variables_map& o, const std::string& instance) {
  SourceSettings s;
  const std::string format = o["format"].as<std::string>();
  s.broker = mqtt::read_broker_settings(o, "meterd-in-" + instance);
  s.broker.clean_session = !o["persistent_session"].as<bool>();
  s.broker.reconnect.initial = std::chrono::milliseconds(o["retry_initial_ms"].as<int>());
  s.broker.reconnect.maximum = std::chrono::milliseconds(o["retry_max_ms"].as<int>());
  if (s.broker.reconnect.maximum < s.broker.reconnect.initial)
    throw std::invalid_argument("option 'retry_max_ms': must be at least retry_initial_ms");

  DecoderSettings& d = s.decoder;
  d.format = parse_format(format);
  d.instance = instance;
  for (const auto& text : strings(o, "field")) {
    const auto [pointer, target] = split_rule("field", text);
    d.fields.push_back({pointer, target_of("field", text, target)});
  }
  for (const auto& text : strings(o, "value_topic")) {
    const auto [filter, target] = split_rule("value_topic", text);
    d.value_topics.push_back({filter, target_of("value_topic", text, target)});
  }
  if (const auto field = o["time_field"].as<std::string>(); !field.empty()) d.time_fields = {field};
  if (const auto pattern = o["time_format"].as<std::string>(); !pattern.empty()) {
    std::string error;
    d.time_format = csv_table::TimestampFormat::compile(pattern, error);
    if (!d.time_format) throw std::invalid_argument("option 'time_format': " + error);
  }
  d.receive_time = o["receive_time"].as<bool>();
  d.meter_id = o["meter_id"].as<std::string>();
  d.meter_id_topic_level = o["meter_id_topic_level"].as<int>();
  d.meter_id_field = o["meter_id_field"].as<std::string>();
  std::istringstream meters(o["meters"].as<std::string>());
  for (std::string id; std::getline(meters, id, ',');) {
    id.erase(0, id.find_first_not_of(' '));
    id.erase(id.find_last_not_of(' ') + 1);
    if (!id.empty()) d.meters.insert(id);
  }
  apply_format_defaults(d, o["tasmota_group"].as<std::string>());

  s.broker.subscriptions = strings(o, "topic");
  if (s.broker.subscriptions.empty()) s.broker.subscriptions = default_topics(d.format, d);
  check_format_needs(s, format);

  s.time_zone = o["time_zone"].as<std::string>();
  s.inbox_max = static_cast<std::uint64_t>(o["inbox_max"].as<int>());
  s.inbox_max_mb = static_cast<std::uint64_t>(o["inbox_max_mb"].as<int>());
  s.fsync = *disk_queue::parse_fsync_policy(o["fsync"].as<std::string>());
  s.remember_ids = static_cast<std::size_t>(o["remember_ids"].as<int>());
  return s;
}

}  // namespace meterd::mqtt_source
