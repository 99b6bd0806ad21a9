#pragma once
// Rules a plugin attaches to its options in describe_options, as Program_options notifiers:
//
//   ("port", po::value<int>()->default_value(1883)->notifier(sdk::in_range(1, 65535)), "broker port")
//
// The core runs each rule on every value it reads from a config, the same way for
// `meterd --check-config` and for a start, and reports a failure with file, line, section,
// option and value. A rule only looks at the text it is given (it opens no device, port or
// file), so a config that passes the check also gets past the rules at start.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <functional>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

namespace meterd::sdk {

// A bound as a person writes it: 0 and 0.5, not 0.000000 and 0.500000.
template <typename T>
std::string bound_text(T value) {
  std::string text = std::to_string(value);
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

// Thrown by a rule; the text says what the value must be, e.g. "must be 1 to 65535".
class OptionRuleError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

template <typename T>
std::function<void(const T&)> in_range(T low, T high) {
  return [low, high](const T& value) {
    if (value < low || value > high)
      throw OptionRuleError("must be " + bound_text(low) + " to " + bound_text(high));
  };
}

template <typename T>
std::function<void(const T&)> at_least(T low) {
  return [low](const T& value) {
    if (value < low) throw OptionRuleError("must be at least " + bound_text(low));
  };
}

inline std::function<void(const std::string&)> one_of(std::initializer_list<const char*> allowed) {
  std::vector<std::string> words(allowed.begin(), allowed.end());
  return [words](const std::string& value) {
    std::string list;
    for (const auto& w : words) {
      if (w == value) return;
      list += (list.empty() ? "" : ", ") + w;
    }
    throw OptionRuleError("must be one of " + list);
  };
}

// A numeric IPv4 or IPv6 address, the form a listening socket needs.
inline std::function<void(const std::string&)> ip_address() {
  return [](const std::string& value) {
    unsigned char buffer[sizeof(in6_addr)];
    if (inet_pton(AF_INET, value.c_str(), buffer) != 1 && inet_pton(AF_INET6, value.c_str(), buffer) != 1)
      throw OptionRuleError("must be an IP address such as 127.0.0.1, 0.0.0.0 or ::");
  };
}

// Runs the plugin's own parser on the value and keeps nothing: the parser's
// std::invalid_argument says what is wrong.
template <typename Parse>
std::function<void(const std::string&)> parses_with(Parse parse) {
  return [parse](const std::string& value) { (void)parse(value); };
}

}  // namespace meterd::sdk
