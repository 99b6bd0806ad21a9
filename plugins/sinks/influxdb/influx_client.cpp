#include "influx_client.hpp"

#include <curl/curl.h>

#include <mutex>
#include <stdexcept>

#include "gzip.hpp"

namespace meterd::influx {
namespace {

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  // Error replies are short JSON; cap what we keep in case a proxy answers with a page.
  if (body->size() < 4096) body->append(data, std::min<std::size_t>(size * count, 4096 - body->size()));
  return size * count;
}

std::string describe_status(long status, const std::string& body) {
  std::string hint;
  if (status == 401 || status == 403) hint = " (check username/password or token)";
  if (status == 404) hint = " (database, bucket or org does not exist, or wrong URL path)";
  if (status == 413) hint = " (request too large: lower batch_size)";
  return "InfluxDB answered HTTP " + std::to_string(status) + hint + (body.empty() ? "" : ": " + body);
}

}  // namespace

InfluxClient::InfluxClient(InfluxEndpoint endpoint, TransportSecurity security, bool gzip,
                           std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), security_(std::move(security)), gzip_(gzip), timeout_(timeout) {
  validate(endpoint_);
  url_ = write_url(endpoint_);
  init_curl_once();
  curl_ = curl_easy_init();
  if (!curl_) throw std::runtime_error("curl_easy_init failed");
}

InfluxClient::~InfluxClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpOutcome InfluxClient::post_lines(const std::string& lines) {
  CURL* curl = static_cast<CURL*>(curl_);
  const std::string body = gzip_ ? gzip_compress(lines) : lines;
  curl_slist* headers = nullptr;
  for (const std::string& header : write_headers(endpoint_, gzip_)) headers = curl_slist_append(headers, header.c_str());
  std::string reply;
  char error_buffer[CURL_ERROR_SIZE] = {};

  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long>(timeout_.count(), 5000)));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // we run on a worker thread
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, security_.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, security_.verify_tls ? 2L : 0L);
  if (!security_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, security_.ca_file.c_str());
  if (endpoint_.api_version == 1 && !endpoint_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, endpoint_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, endpoint_.password.c_str());
  }

  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  HttpOutcome outcome;
  if (rc != CURLE_OK) {
    outcome.error = "cannot reach InfluxDB at " + endpoint_.url + ": " +
                    (error_buffer[0] ? std::string(error_buffer) : std::string(curl_easy_strerror(rc)));
    return outcome;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &outcome.status);
  if (outcome.status != 204 && outcome.status != 200) outcome.error = describe_status(outcome.status, reply);
  return outcome;
}

}  // namespace meterd::influx
