#include "meterd/dlms/xdlms_apdu.hpp"

namespace meterd::dlms {

const char* notification_error_name(NotificationError e) {
  switch (e) {
    case NotificationError::none: return "none";
    case NotificationError::not_a_notification: return "not a data-notification";
    case NotificationError::truncated: return "truncated header";
    case NotificationError::bad_datetime: return "implausible header date-time";
    case NotificationError::bad_body: return "body is not one A-XDR Data";
  }
  return "unknown";
}

const char* cipher_header_error_name(CipherHeaderError e) {
  switch (e) {
    case CipherHeaderError::none: return "none";
    case CipherHeaderError::truncated: return "declared length does not match the data";
    case CipherHeaderError::bad_system_title: return "system title is not 8 bytes";
    case CipherHeaderError::unsupported_security: return "unsupported security control";
  }
  return "unknown";
}

std::optional<DataNotification> parse_data_notification(std::span<const std::uint8_t> b, AxdrTree& tree, bool exact,
                                                        NotificationError& error) {
  error = NotificationError::none;
  if (b.empty() || b[0] != kTagDataNotification) {
    error = NotificationError::not_a_notification;
    return std::nullopt;
  }
  if (b.size() < 6) {
    error = NotificationError::truncated;
    return std::nullopt;
  }
  DataNotification n;
  n.invoke_id = static_cast<std::uint32_t>(b[1]) << 24 | static_cast<std::uint32_t>(b[2]) << 16 |
                static_cast<std::uint32_t>(b[3]) << 8 | b[4];
  std::size_t pos = 5;
  if (b[pos] == 0x00) {
    ++pos;
  } else {
    // Optional date-time: 0C + 12 bytes; Norwegian Kaifa wraps it as octet-string 09 0C.
    if (b[pos] == 0x09) ++pos;
    if (pos >= b.size() || b[pos] != 0x0C) {
      error = NotificationError::bad_datetime;
      return std::nullopt;
    }
    ++pos;
    if (b.size() - pos < 12) {
      error = NotificationError::truncated;
      return std::nullopt;
    }
    n.datetime = parse_cosem_datetime(b.subspan(pos, 12));
    if (!n.datetime) {
      error = NotificationError::bad_datetime;
      return std::nullopt;
    }
    pos += 12;
  }
  const auto rest = b.subspan(pos);
  if (exact) {
    if (!tree.parse_exact(rest)) {
      error = NotificationError::bad_body;
      return std::nullopt;
    }
    n.body = rest;
  } else {
    const auto used = tree.parse(rest);
    if (!used) {
      error = NotificationError::bad_body;
      return std::nullopt;
    }
    n.body = rest.first(*used);
  }
  n.encoded_size = pos + n.body.size();
  return n;
}

std::optional<CipheredApdu> parse_ciphered_apdu(std::span<const std::uint8_t> b, CipherHeaderError& error) {
  error = CipherHeaderError::none;
  CipheredApdu c;
  if (b.size() < 2 || (b[0] != kTagGloCiphering && b[0] != kTagDedCiphering)) {
    error = CipherHeaderError::truncated;
    return std::nullopt;
  }
  c.tag = b[0];
  if (b[1] != 8) {
    error = CipherHeaderError::bad_system_title;
    return std::nullopt;
  }
  if (b.size() < 10) {
    error = CipherHeaderError::truncated;
    return std::nullopt;
  }
  std::copy(b.begin() + 2, b.begin() + 10, c.system_title.begin());
  std::size_t pos = 10;
  const auto length = read_axdr_length(b, pos);
  if (!length || *length > b.size() - pos || *length < 5) {
    error = CipherHeaderError::truncated;
    return std::nullopt;
  }
  c.security_control = b[pos];
  c.frame_counter = static_cast<std::uint32_t>(b[pos + 1]) << 24 | static_cast<std::uint32_t>(b[pos + 2]) << 16 |
                    static_cast<std::uint32_t>(b[pos + 3]) << 8 | b[pos + 4];
  const std::size_t tag_bytes = c.authenticated() ? kGcmTagBytes : 0;
  if (*length < 5 + tag_bytes) {
    error = CipherHeaderError::truncated;
    return std::nullopt;
  }
  if (!c.encrypted() || c.suite() > 1 || (c.security_control & 0x80) != 0) {
    error = CipherHeaderError::unsupported_security;
    return std::nullopt;
  }
  c.ciphertext = b.subspan(pos + 5, *length - 5 - tag_bytes);
  c.auth_tag = b.subspan(pos + *length - tag_bytes, tag_bytes);
  c.encoded_size = pos + *length;
  return c;
}

}  // namespace meterd::dlms
