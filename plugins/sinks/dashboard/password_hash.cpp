#include "password_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>
#include <vector>

#include "meterd/hex.hpp"

namespace meterd::dashboard {

namespace {
std::string hex_of(const unsigned char* data, std::size_t size) { return meterd::to_hex({data, size}); }

std::string derive(std::string_view password, const std::vector<unsigned char>& salt, int iterations) {
  unsigned char key[32];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(), static_cast<int>(salt.size()),
                        iterations, EVP_sha256(), sizeof key, key) != 1)
    throw std::runtime_error("PBKDF2 failed");
  return hex_of(key, sizeof key);
}
}  // namespace

std::string random_token(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(bytes)) != 1) throw std::runtime_error("no random bytes available");
  return hex_of(buf.data(), bytes);
}

std::string hash_password(std::string_view password, int iterations) {
  const auto salt_hex = random_token(16);
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + salt_hex + "$" + derive(password, from_hex(salt_hex), iterations);
}

bool verify_password(std::string_view password, std::string_view stored) {
  const auto a = stored.find('$'), b = stored.find('$', a + 1), c = stored.find('$', b + 1);
  if (a == std::string_view::npos || b == std::string_view::npos || c == std::string_view::npos ||
      stored.substr(0, a) != "pbkdf2-sha256")
    return false;
  int iterations = 0;
  try {
    iterations = std::stoi(std::string(stored.substr(a + 1, b - a - 1)));
  } catch (...) {
    return false;
  }
  if (iterations < 1) return false;
  std::vector<unsigned char> salt;
  try {
    salt = meterd::from_hex(stored.substr(b + 1, c - b - 1));
  } catch (const std::invalid_argument&) {
    return false;  // a damaged stored hash never matches
  }
  return constant_time_equal(derive(password, salt, iterations), stored.substr(c + 1));
}

std::string sha256_hex(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return hex_of(digest, sizeof digest);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace meterd::dashboard
