#pragma once
// The price_feed source: dynamic electricity prices (per 15 min or per hour) from a CSV price
// file, watched for changes, and/or an HTTP(S) JSON price API polled on a schedule, published
// as Readings of quantity `price` at each interval's start.
#include <boost/program_options.hpp>
#include <memory>
#include <string>
#include <vector>

#include "meterd/plugin.hpp"
#include "price_answer.hpp"

namespace meterd::price_feed {

struct FeedOptions {
  std::string meter_id = "price";
  std::string unit = "CHF/kWh";
  std::string csv_path;
  std::string url, bearer_token;
  std::vector<std::string> headers;  // "Name: value"
  PriceFormat format;
  std::int64_t poll_ms = 3'600'000, retry_ms = 60'000, timeout_ms = 20'000, file_check_ms = 1'000;
};

FeedOptions read_feed_options(const boost::program_options::variables_map& vm);
void describe_options(boost::program_options::options_description& o);
void check_options(const boost::program_options::variables_map& vm);

class PriceFeedSource : public sdk::Source {
 public:
  explicit PriceFeedSource(sdk::SourceContext& context);
  void run(std::stop_token stop) override;

 private:
  void poll_url();
  void check_file();
  void publish(const std::vector<PricePoint>& prices, const std::string& from);
  void trouble(const std::string& code, const std::string& message);

  sdk::SourceContext& context_;
  FeedOptions o_;
  std::int64_t next_poll_ms_ = 0;
  std::string file_stamp_;  // size and modification time last read
  std::string last_trouble_;
  std::int64_t last_trouble_ms_ = 0;
};

}  // namespace meterd::price_feed
