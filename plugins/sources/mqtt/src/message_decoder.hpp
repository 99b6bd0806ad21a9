#pragma once
// Turns one MQTT message into Readings, by format:
//   meterd        the mqtt sink's state payload {"id":..,"time":..,"<key>":value,...}
//   tasmota       Tasmota SML: {"Time":"<local time>","SML":{"Total_in":..,"Power_curr":..}}
//   ams           AMS reader JSON (classic): {"t":..,"data":{"id":..,"P":..,"tPI":..,"rtc":..}}
//   smlreader     SMLReader: one value per topic <base>/sensor/<name>/obis/<A-B:C.D.E>/<F>/value
//   single_value  one value per topic (Home Assistant, ESPHome), mapped by value_topic
//   json          any JSON, mapped by field
// Nothing here is guessed: a message without a usable time, meter, number or unit gives a
// Problem and no Reading, so a bad message is reported and never stored as a wrong value.
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "meterd/csv_table/timestamp_format.hpp"
#include "meterd/v1/bus.pb.h"
#include "value_target.hpp"

namespace meterd {
class TimeZone;
}

namespace meterd::mqtt_source {

enum class Format { meterd, tasmota, ams, smlreader, single_value, json };

struct IncomingMessage {
  std::string topic, payload;
  bool retained = false;     // the broker's stored message, sent because we subscribed
  std::int64_t received_ms = 0;
  // Where the message lies in the inbox: the same when it is read again after a restart,
  // different for every message, so it identifies readings that have no time of their own.
  std::string inbox_position;
};

struct FieldRule {
  std::string pointer;  // JSON pointer ("/SML/Total_in")
  ValueTarget target;
};

struct TopicRule {
  std::string filter;  // MQTT topic filter, '+' and '#' allowed
  ValueTarget target;
};

struct DecoderSettings {
  Format format = Format::json;
  std::string instance;                    // source name, first part of reading ids
  std::vector<FieldRule> fields;           // json, tasmota, ams
  std::vector<TopicRule> value_topics;     // single_value
  std::vector<std::string> time_fields;    // JSON pointers tried in order
  std::optional<csv_table::TimestampFormat> time_format;
  bool receive_time = false;               // stamp with the arrival time when the message has none
  std::string meter_id;                    // fixed meter id
  int meter_id_topic_level = -1;           // 0-based topic level holding the meter id
  std::string meter_id_field;              // JSON pointer holding the meter id
  std::set<std::string> meters;            // accepted meter ids; empty: any
};

struct Problem {
  std::string code;     // diagnostic code: bad_json, no_time, unit_mismatch, unknown_meter, ...
  std::string message;  // what is wrong and what to do
  std::string meter;
};

struct Decoded {
  std::vector<v1::Reading> readings;
  std::optional<Problem> problem;
  bool ignored = false;  // not meant for us (an availability message); neither reading nor problem
};

// The built-in field and time rules of a format (tasmota with its group name).
void apply_format_defaults(DecoderSettings& settings, const std::string& tasmota_group);

class MessageDecoder {
 public:
  MessageDecoder(DecoderSettings settings, std::shared_ptr<const TimeZone> zone);
  Decoded decode(const IncomingMessage& message) const;
  const DecoderSettings& settings() const { return settings_; }

 private:
  Decoded decode_meterd_state(const IncomingMessage& message) const;
  Decoded decode_mapped_json(const IncomingMessage& message) const;
  Decoded decode_topic_value(const IncomingMessage& message) const;
  // Meter id from the fixed option, the topic or a field; empty with `problem` set otherwise.
  std::string meter_of(const IncomingMessage& message, const void* json, std::optional<Problem>& problem) const;
  bool meter_accepted(const std::string& meter, std::optional<Problem>& problem) const;
  std::string receive_time_id(const std::string& meter, const IncomingMessage& message) const;

  DecoderSettings settings_;
  std::shared_ptr<const TimeZone> zone_;
};

// Splits "a/b/c" into its levels.
std::vector<std::string> topic_levels(const std::string& topic);

}  // namespace meterd::mqtt_source
