#pragma once
// Latest values per meter and the fan-out of every reading to open event streams, each
// subscriber filtered to the meters it may see.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "meterd/http/event_stream.hpp"

namespace meterd::dashboard {

class LiveFeed {
 public:
  using Filter = std::function<bool(const std::string& meter)>;
  void subscribe(std::shared_ptr<http::EventStream> stream, Filter filter);
  // `reading` is the JSON pushed to subscribers; also remembered as the meter's latest values.
  void publish(const std::string& meter, const nlohmann::json& reading);
  nlohmann::json latest(const std::string& meter) const;
  std::size_t subscribers() const;

 private:
  struct Subscriber {
    std::shared_ptr<http::EventStream> stream;
    Filter filter;
  };
  mutable std::mutex mutex_;
  std::vector<Subscriber> subscribers_;
  std::map<std::string, nlohmann::json> latest_;
};

}  // namespace meterd::dashboard
