#include "price_feed_source.hpp"

#include <curl/curl.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "meterd/option_checks.hpp"

namespace meterd::price_feed {

namespace po = boost::program_options;

namespace {
constexpr std::int64_t kTroubleEveryMs = 3'600'000;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

template <typename T>
T opt(const po::variables_map& vm, const char* name, T fallback) {
  return vm.count(name) ? vm[name].as<T>() : fallback;
}

struct HttpAnswer {
  long status = 0;
  std::string body, error;
};

HttpAnswer http_get(const FeedOptions& o) {
  HttpAnswer answer;
  CURL* curl = curl_easy_init();
  if (!curl) {
    answer.error = "libcurl could not start";
    return answer;
  }
  curl_slist* headers = nullptr;
  if (!o.bearer_token.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + o.bearer_token).c_str());
  for (const auto& h : o.headers) headers = curl_slist_append(headers, h.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, o.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout_ms));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE, 16L * 1024 * 1024);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
  });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  if (const auto rc = curl_easy_perform(curl); rc != CURLE_OK) answer.error = error[0] ? error : curl_easy_strerror(rc);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return answer;
}

TimeUnit time_unit(const std::string& name) {
  if (name == "s") return TimeUnit::s;
  if (name == "iso8601") return TimeUnit::iso8601;
  return TimeUnit::ms;
}
}  // namespace

void describe_options(po::options_description& o) {
  o.add_options()
      ("id", po::value<std::string>()->default_value("price"), "meter id the prices are published under")
      ("unit", po::value<std::string>()->default_value("CHF/kWh"), "unit of the published prices, e.g. CHF/kWh or EUR/kWh")
      ("csv_path", po::value<std::string>()->default_value(""), "price file with lines 'start,price', read again when it changes")
      ("url", po::value<std::string>()->default_value(""), "HTTP(S) JSON price API, polled every poll_min")
      ("bearer_token", po::value<std::string>()->default_value(""), "sent as 'Authorization: Bearer <token>'")
      ("header", po::value<std::vector<std::string>>()->composing(), "extra request header 'Name: value'; repeatable")
      ("json_pointer", po::value<std::string>()->default_value("/data"), "JSON pointer to the answer's array of intervals")
      ("time_field", po::value<std::string>()->default_value("start_timestamp"), "field of an interval's start")
      ("time_format", po::value<std::string>()->default_value("ms")->notifier(sdk::one_of({"ms", "s", "iso8601"})),
       "the start as epoch ms, epoch s, or ISO 8601 with offset")
      ("price_field", po::value<std::string>()->default_value("marketprice"), "field of an interval's price")
      ("unit_field", po::value<std::string>()->default_value(""), "field naming each price's unit; checked against expected_unit")
      ("expected_unit", po::value<std::string>()->default_value(""), "what unit_field must say, e.g. 'Eur/MWh'")
      ("scale", po::value<double>()->default_value(1.0), "multiplies each price into the published unit, e.g. 0.001 for per MWh")
      ("interval_min", po::value<int>()->default_value(60)->notifier(sdk::in_range(15, 60)), "15 or 60: the prices' interval")
      ("max_price", po::value<double>()->default_value(5.0)->notifier(sdk::at_least(0.0)),
       "a price per kWh beyond this (either sign) refuses the answer as a unit error")
      ("poll_min", po::value<int>()->default_value(60)->notifier(sdk::in_range(1, 1440)), "minutes between polls of url")
      ("retry_s", po::value<int>()->default_value(60)->notifier(sdk::in_range(1, 86400)), "seconds before a failed poll is retried")
      ("timeout_s", po::value<int>()->default_value(20)->notifier(sdk::in_range(1, 600)), "seconds a poll may take");
}

FeedOptions read_feed_options(const po::variables_map& vm) {
  FeedOptions o;
  o.meter_id = opt<std::string>(vm, "id", "price");
  o.unit = opt<std::string>(vm, "unit", "CHF/kWh");
  o.csv_path = opt<std::string>(vm, "csv_path", "");
  o.url = opt<std::string>(vm, "url", "");
  o.bearer_token = opt<std::string>(vm, "bearer_token", "");
  o.headers = opt<std::vector<std::string>>(vm, "header", {});
  o.format.pointer = opt<std::string>(vm, "json_pointer", "/data");
  o.format.time_field = opt<std::string>(vm, "time_field", "start_timestamp");
  o.format.time_unit = time_unit(opt<std::string>(vm, "time_format", "ms"));
  o.format.price_field = opt<std::string>(vm, "price_field", "marketprice");
  o.format.unit_field = opt<std::string>(vm, "unit_field", "");
  o.format.expected_unit = opt<std::string>(vm, "expected_unit", "");
  o.format.scale = opt(vm, "scale", 1.0);
  o.format.interval_ms = opt(vm, "interval_min", 60) * 60'000LL;
  o.format.max_abs_per_kwh = opt(vm, "max_price", 5.0);
  o.poll_ms = opt(vm, "poll_min", 60) * 60'000LL;
  o.retry_ms = opt(vm, "retry_s", 60) * 1000LL;
  o.timeout_ms = opt(vm, "timeout_s", 20) * 1000LL;
  return o;
}

void check_options(const po::variables_map& vm) {
  const auto o = read_feed_options(vm);
  if (o.url.empty() && o.csv_path.empty())
    throw std::invalid_argument("price_feed needs 'url' (a JSON price API) or 'csv_path' (a price file), or both");
  if (!o.url.empty() && o.url.rfind("http://", 0) != 0 && o.url.rfind("https://", 0) != 0)
    throw std::invalid_argument("option 'url': '" + o.url + "' is no http:// or https:// address");
  if (!o.format.unit_field.empty() && o.format.expected_unit.empty())
    throw std::invalid_argument("option 'unit_field' needs 'expected_unit', e.g. 'Eur/MWh', to check each price's unit against");
  if (!o.format.pointer.empty() && o.format.pointer.front() != '/')
    throw std::invalid_argument("option 'json_pointer': '" + o.format.pointer + "' must start with '/' (or be empty: the whole answer)");
  for (const auto& h : o.headers)
    if (h.find(':') == std::string::npos) throw std::invalid_argument("option 'header': '" + h + "' is not 'Name: value'");
  if (o.format.interval_ms != 15 * 60'000 && o.format.interval_ms != 60 * 60'000)
    throw std::invalid_argument("option 'interval_min' must be 15 or 60");
  if (o.format.scale == 0) throw std::invalid_argument("option 'scale' must not be 0");
}

PriceFeedSource::PriceFeedSource(sdk::SourceContext& context) : context_(context), o_(read_feed_options(context.options())) {
  check_options(context.options());
}

void PriceFeedSource::run(std::stop_token stop) {
  std::mutex m;
  std::condition_variable_any wake;
  while (!stop.stop_requested()) {
    if (!o_.csv_path.empty()) check_file();
    if (!o_.url.empty() && now_ms() >= next_poll_ms_) poll_url();
    std::unique_lock lock(m);
    wake.wait_for(lock, stop, std::chrono::milliseconds(o_.csv_path.empty() ? 1000 : o_.file_check_ms), [] { return false; });
  }
}

// A changed file (size or time) is read whole again: its prices carry stable ids, so the ones
// already published come again as duplicates and only new or corrected ones count.
void PriceFeedSource::check_file() {
  std::error_code ec;
  const auto size = std::filesystem::file_size(o_.csv_path, ec);
  const auto time = std::filesystem::last_write_time(o_.csv_path, ec);
  if (ec) {
    trouble("price_feed_file_missing", "price file " + o_.csv_path + " cannot be read (" + ec.message() + "); waiting for it");
    return;
  }
  const auto stamp = std::to_string(size) + "@" + std::to_string(time.time_since_epoch().count());
  if (stamp == file_stamp_) return;
  std::ifstream in(o_.csv_path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  file_stamp_ = stamp;
  ++context_.counters().in;
  const auto answer = parse_price_csv(text.str(), o_.format);
  if (!answer.ok()) {
    ++context_.counters().errors;
    trouble(answer.code, o_.csv_path + ": " + answer.problem + "; no price of this file is used until it is corrected");
    return;
  }
  publish(answer.prices, o_.csv_path);
}

void PriceFeedSource::poll_url() {
  ++context_.counters().in;
  const auto http = http_get(o_);
  std::string problem, code = "price_feed_unreachable";
  if (!http.error.empty()) problem = http.error;
  else if (http.status != 200) problem = "HTTP status " + std::to_string(http.status);
  PriceAnswer answer;
  if (problem.empty()) {
    answer = parse_price_json(http.body, o_.format);
    if (!answer.ok()) {
      code = answer.code;
      problem = answer.problem;
    }
  }
  if (!problem.empty()) {
    ++context_.counters().errors;
    trouble(code, "price API " + o_.url + ": " + problem + "; the prices known so far stay, retrying in " +
                      std::to_string(o_.retry_ms / 1000) + " s");
    next_poll_ms_ = now_ms() + o_.retry_ms;
    return;
  }
  if (!last_trouble_.empty()) {
    context_.diagnostic(sdk::Level::info, "price_feed_recovered", "price API " + o_.url + " answers again", o_.meter_id);
    last_trouble_.clear();
  }
  publish(answer.prices, o_.url);
  next_poll_ms_ = now_ms() + o_.poll_ms;
}

void PriceFeedSource::publish(const std::vector<PricePoint>& prices, const std::string& from) {
  const auto received = now_ms();
  for (const auto& p : prices) {
    v1::Reading r;
    r.set_meter_id(o_.meter_id);
    r.set_meter_time_ms(p.start_ms);
    r.set_received_ms(received);
    r.set_id(o_.meter_id + ":price:" + std::to_string(p.start_ms));  // the same interval, the same id
    auto* v = r.add_values();
    v->set_quantity("price");
    v->set_number(p.per_kwh);
    v->set_unit(o_.unit);
    if (context_.publish(std::move(r))) ++context_.counters().out;
  }
  context_.log(sdk::Level::info, std::to_string(prices.size()) + " prices from " + from);
}

// Each kind of trouble at once, then hourly while it lasts: a feed that is down for a day
// says so a day's worth of times, not every minute.
void PriceFeedSource::trouble(const std::string& code, const std::string& message) {
  const auto now = now_ms();
  if (code == last_trouble_ && now - last_trouble_ms_ < kTroubleEveryMs) return;
  last_trouble_ = code;
  last_trouble_ms_ = now;
  context_.diagnostic(sdk::Level::warning, code, message, o_.meter_id);
}

}  // namespace meterd::price_feed
