#include "webhook_channel.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>

#include "meterd/hex.hpp"
#include "notice_json.hpp"

namespace meterd::alerts {
namespace {

class WebhookChannel final : public Channel {
 public:
  WebhookChannel(WebhookSettings s, std::shared_ptr<const TimeZone> zone) : s_(std::move(s)), zone_(std::move(zone)) {}
  const char* name() const override { return "webhook"; }

  void deliver(const Notice& notice) override {
    const std::string body = notice_json(notice, *zone_, s_.topic);
    CURL* curl = curl_easy_init();
    if (!curl) throw std::runtime_error("webhook: libcurl could not start");
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    const std::string title = "Title: " + notice_title(notice);  // ntfy shows it when the body is not its JSON
    headers = curl_slist_append(headers, title.c_str());
    std::string signature;
    if (!s_.secret.empty()) {
      signature = "X-Meterd-Signature: sha256=" + hmac_sha256_hex(s_.secret, body);
      headers = curl_slist_append(headers, signature.c_str());
    }
    for (const auto& h : s_.headers) headers = curl_slist_append(headers, h.c_str());
    std::string reply;
    curl_easy_setopt(curl, CURLOPT_URL, s_.url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, s_.timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (!s_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, s_.ca_file.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* out) {
      auto* text = static_cast<std::string*>(out);
      if (text->size() < 512) text->append(data, std::min<size_t>(size * n, 512 - text->size()));
      return size * n;
    });
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
    const CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) throw std::runtime_error("webhook " + s_.url + ": " + curl_easy_strerror(rc));
    if (status < 200 || status >= 300)
      throw std::runtime_error("webhook " + s_.url + " answered HTTP " + std::to_string(status) + ": " + reply);
  }

 private:
  WebhookSettings s_;
  std::shared_ptr<const TimeZone> zone_;
};

}  // namespace

std::string hmac_sha256_hex(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), digest, &length);
  std::string out = to_hex(std::span<const std::uint8_t>(digest, length));
  // Lower case, as GitHub-style webhook receivers compare it.
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::unique_ptr<Channel> make_webhook_channel(WebhookSettings settings, std::shared_ptr<const TimeZone> zone) {
  return std::make_unique<WebhookChannel>(std::move(settings), std::move(zone));
}

}  // namespace meterd::alerts
