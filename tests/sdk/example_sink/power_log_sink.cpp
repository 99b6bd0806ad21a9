// A complete meterd sink: appends "meter watts" lines for every active-power value.
#include <fstream>

#include "meterd/plugin.hpp"

namespace po = boost::program_options;
using namespace meterd;

namespace {

class PowerLogSink final : public sdk::Sink {
 public:
  explicit PowerLogSink(sdk::SinkContext& ctx)
      : ctx_(ctx), path_(ctx.options()["path"].as<std::string>()) {}

  void start() override {
    out_.open(path_, std::ios::app);
    if (!out_) throw std::runtime_error("cannot open " + path_ + " for appending");
  }

  void consume(const v1::Reading& reading) override {
    for (const auto& value : reading.values()) {
      if (value.obis() != "1-0:1.7.0") continue;  // active power, import
      out_ << reading.meter_id() << ' ' << value.number() << '\n';
      ++ctx_.counters().out;
    }
  }

  void flush() override { out_.flush(); }

 private:
  sdk::SinkContext& ctx_;
  std::string path_;
  std::ofstream out_;
};

void describe(po::options_description& options) {
  options.add_options()("path", po::value<std::string>()->required(), "file to append to");
}

std::unique_ptr<sdk::Sink> make(sdk::SinkContext& ctx) { return std::make_unique<PowerLogSink>(ctx); }

const sdk::PluginInfo kInfo{sdk::kApiVersion, sdk::Kind::sink, "power_log", "1.0.0",
                            "appends active power per meter to a text file", describe, nullptr, make};

}  // namespace

METERD_PLUGIN(kInfo)
