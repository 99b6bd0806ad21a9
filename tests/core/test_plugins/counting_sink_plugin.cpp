// Counts readings per source and meter, and the highest sequence number seen, into a file at
// stop(): with one source, total == max_sequence proves nothing published was lost.
#include <fstream>
#include <map>

#include "meterd/plugin.hpp"

namespace po = boost::program_options;
using namespace meterd;

namespace {

struct CountingSink final : sdk::Sink {
  explicit CountingSink(sdk::SinkContext& ctx) : path_(ctx.options()["output"].as<std::string>()) {}
  void consume(const v1::Reading& r) override {
    ++counts_[r.source() + "/" + r.meter_id()];
    ++total_;
    if (r.sequence() > max_sequence_) max_sequence_ = r.sequence();
  }
  void stop() override {
    std::ofstream out(path_);
    for (const auto& [k, n] : counts_) out << k << " " << n << "\n";
    out << "total " << total_ << " max_sequence " << max_sequence_ << "\n";
  }
  long total_ = 0;
  std::uint64_t max_sequence_ = 0;
  std::string path_;
  std::map<std::string, long> counts_;
};

void describe(po::options_description& d) {
  d.add_options()("output", po::value<std::string>()->required(), "file receiving 'source/meter count' lines");
}
std::unique_ptr<sdk::Sink> make(sdk::SinkContext& ctx) { return std::make_unique<CountingSink>(ctx); }
const sdk::PluginInfo kInfo{sdk::kApiVersion, sdk::Kind::sink, "counting", "1.0", "counts readings", describe,
                            nullptr, make};
}  // namespace
METERD_PLUGIN(kInfo)
