// Plugin entry point of price_feed.
#include "price_feed_source.hpp"

namespace {

std::unique_ptr<meterd::sdk::Source> make(meterd::sdk::SourceContext& context) {
  return std::make_unique<meterd::price_feed::PriceFeedSource>(context);
}

const meterd::sdk::PluginInfo price_feed_info{
    meterd::sdk::kApiVersion, meterd::sdk::Kind::source, "price_feed", "0.1.0",
    "dynamic electricity prices from a CSV price file and/or an HTTP JSON price API",
    &meterd::price_feed::describe_options, &make, nullptr, &meterd::price_feed::check_options};

}  // namespace

METERD_PLUGIN(price_feed_info)
