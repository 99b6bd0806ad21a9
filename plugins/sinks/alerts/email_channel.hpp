#pragma once
// Notices as e-mail over SMTP with libcurl: STARTTLS required by default (the login and the
// text never cross the network in the clear), or smtps:// for TLS from the first byte.
#include <memory>
#include <string>
#include <vector>

#include "notice_channel.hpp"

namespace meterd::alerts {

struct EmailSettings {
  std::string url;  // smtp://mail.example.org:587 or smtps://mail.example.org:465
  std::string username, password;
  std::string from;
  std::vector<std::string> to;
  bool require_tls = true;  // false: plain SMTP, only for a relay on the same host
  std::string ca_file;      // system CAs when empty
  long timeout_ms = 30'000;
};

std::unique_ptr<Channel> make_email_channel(EmailSettings settings, std::shared_ptr<const TimeZone> zone);

}  // namespace meterd::alerts
