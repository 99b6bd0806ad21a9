#include "test_readings.hpp"

namespace meterd::test {

v1::Value* add_number(v1::Reading& reading, const char* obis, const char* quantity, double number, const char* unit) {
  v1::Value* value = reading.add_values();
  value->set_obis(obis);
  value->set_quantity(quantity);
  value->set_number(number);
  value->set_unit(unit);
  return value;
}

v1::Reading make_reading(const std::string& meter, std::int64_t n) {
  v1::Reading reading;
  reading.set_meter_id(meter);
  reading.set_source("test");
  reading.set_id(meter + "-" + std::to_string(n));
  reading.set_sequence(static_cast<std::uint64_t>(n));
  reading.set_received_ms(kFirstReadingMs + n * 1000);
  add_number(reading, "1-0:1.7.0", "active_power_import", 1000.0 + static_cast<double>(n % 500), "W");
  add_number(reading, "1-0:1.8.0", "active_energy_import", 5'000'000.0 + static_cast<double>(n) * 10, "Wh");
  add_number(reading, "1-0:32.7.0", "voltage_l1", 230.0 + static_cast<double>(n % 7) / 10, "V");
  add_number(reading, "1-0:13.7.0", "power_factor", 0.95, "");
  return reading;
}

}  // namespace meterd::test
