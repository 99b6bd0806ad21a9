#include "meterd/sink/value_key.hpp"

#include <cctype>

namespace meterd::sink {
namespace {

std::string lower_identifier(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(std::isalnum(c) || ch == '-' ? static_cast<char>(std::tolower(c)) : '_');
  }
  return out;
}

}  // namespace

std::string obis_identifier(std::string_view obis) {
  std::string out(obis);
  for (char& ch : out) {
    if (ch == ':' || ch == '.' || ch == '*' || ch == '/' || ch == '#' || ch == '+' || ch == ' ') ch = '_';
  }
  return out;
}

std::string value_key(std::string_view quantity, std::string_view obis, std::string_view tariff) {
  if (!quantity.empty()) {
    std::string key = lower_identifier(quantity);
    // A source may name the tariff only in the tariff field; keep the registers apart.
    if (!tariff.empty() && !key.ends_with("_" + lower_identifier(tariff))) key += "_" + lower_identifier(tariff);
    return key;
  }
  if (!obis.empty()) return obis_identifier(obis);
  return "value";
}

}  // namespace meterd::sink
