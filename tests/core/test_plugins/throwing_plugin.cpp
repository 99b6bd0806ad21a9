// A source and sink whose behaviour is chosen by the option `fail`: in the constructor,
// in start(), or after N readings while running.
#include <stdexcept>
#include <thread>

#include "meterd/plugin.hpp"

namespace po = boost::program_options;
using namespace meterd;

namespace {

struct ThrowingSink final : sdk::Sink {
  explicit ThrowingSink(sdk::SinkContext& ctx)
      : fail_(ctx.options()["fail"].as<std::string>()), after_(ctx.options()["after"].as<int>()) {
    if (fail_ == "constructor") throw std::runtime_error("cannot reach the flux capacitor");
  }
  void start() override {
    if (fail_ == "start") throw std::runtime_error("refused to start");
  }
  void consume(const v1::Reading&) override {
    if (fail_ == "consume" && ++seen_ > after_) throw std::runtime_error("choked on a reading");
  }
  std::string fail_;
  int after_;
  int seen_ = 0;
};

void describe(po::options_description& d) {
  d.add_options()("fail", po::value<std::string>()->default_value("never"), "constructor, start, consume or never")(
      "after", po::value<int>()->default_value(0), "readings before failing in consume");
}

std::unique_ptr<sdk::Sink> make(sdk::SinkContext& ctx) { return std::make_unique<ThrowingSink>(ctx); }

const sdk::PluginInfo kInfo{sdk::kApiVersion, sdk::Kind::sink, "throwing", "1.0", "fails on purpose", describe,
                            nullptr, make};
}  // namespace
METERD_PLUGIN(kInfo)
