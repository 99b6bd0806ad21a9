#pragma once
// Salted password hashes (PBKDF2-HMAC-SHA256 via OpenSSL) and random tokens. Only the hash of
// the admin password and of share tokens is ever stored.
#include <string>
#include <string_view>

namespace meterd::dashboard {

// "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>"
std::string hash_password(std::string_view password, int iterations = 200000);
bool verify_password(std::string_view password, std::string_view stored);
// Hex of `bytes` random bytes from the OpenSSL CSPRNG.
std::string random_token(std::size_t bytes = 32);
// SHA-256 hex, for looking up tokens by hash.
std::string sha256_hex(std::string_view text);
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace meterd::dashboard
