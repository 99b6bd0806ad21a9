#include "email_channel.hpp"

#include <curl/curl.h>

#include <chrono>
#include <cstring>
#include <random>

#include "notice_json.hpp"

namespace meterd::alerts {
namespace {

std::string rfc5322_date(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buffer;
}

class EmailChannel final : public Channel {
 public:
  EmailChannel(EmailSettings s, std::shared_ptr<const TimeZone> zone) : s_(std::move(s)), zone_(std::move(zone)) {}
  const char* name() const override { return "email"; }

  void deliver(const Notice& notice) override {
    const std::string text = message(notice);
    std::size_t sent = 0;
    struct Upload {
      const std::string* text;
      std::size_t* sent;
    } upload{&text, &sent};
    CURL* curl = curl_easy_init();
    if (!curl) throw std::runtime_error("e-mail: libcurl could not start");
    curl_slist* recipients = nullptr;
    for (const auto& r : s_.to) recipients = curl_slist_append(recipients, r.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, s_.url.c_str());
    curl_easy_setopt(curl, CURLOPT_USE_SSL, s_.require_tls ? CURLUSESSL_ALL : CURLUSESSL_NONE);
    if (!s_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, s_.ca_file.c_str());
    if (!s_.username.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, s_.username.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, s_.password.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, s_.from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, +[](char* buffer, size_t size, size_t n, void* data) -> size_t {
      auto* u = static_cast<Upload*>(data);
      const std::size_t left = u->text->size() - *u->sent;
      const std::size_t count = std::min(left, size * n);
      std::memcpy(buffer, u->text->data() + *u->sent, count);
      *u->sent += count;
      return count;
    });
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, s_.timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) throw std::runtime_error("e-mail via " + s_.url + ": " + curl_easy_strerror(rc));
  }

 private:
  std::string message(const Notice& n) const {
    std::string to;
    for (const auto& r : s_.to) to += (to.empty() ? "" : ", ") + r;
    std::mt19937_64 random(std::random_device{}());
    const std::string id = std::to_string(n.time_ms) + "." + std::to_string(random()) + "@meterd";
    std::string m = "Date: " + rfc5322_date(n.time_ms) + "\r\nFrom: " + s_.from + "\r\nTo: " + to +
                    "\r\nSubject: " + notice_title(n) + "\r\nMessage-ID: <" + id +
                    ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
    m += n.message + "\r\n\r\nRule: " + n.rule + "\r\nCondition: " + n.condition + "\r\nAbout: " + n.subject +
         "\r\nSince: " + format_iso8601(n.since_ms / 1000, zone_->offset_at(n.since_ms / 1000)) + "\r\n";
    return m;
  }

  EmailSettings s_;
  std::shared_ptr<const TimeZone> zone_;
};

}  // namespace

std::unique_ptr<Channel> make_email_channel(EmailSettings settings, std::shared_ptr<const TimeZone> zone) {
  return std::make_unique<EmailChannel>(std::move(settings), std::move(zone));
}

}  // namespace meterd::alerts
