#pragma once
// CurveZMQ keys for the link between meterd hosts ([bus] export / import).
//
// `meterd keygen PREFIX` writes PREFIX.key (the secret key, Z85, mode 0600) and PREFIX.pub
// (the public key, Z85). A host names its own secret key file; the public key is derived
// from it, so the two files can never disagree. The exporter lists the public keys of the
// importers it accepts, an importer names the exporter's public key.
#include <filesystem>
#include <thread>
#include <string>
#include <vector>
#include <zmq.hpp>

namespace meterd {

struct LinkOptions;

struct CurveKeyPair {
  std::string public_key;  // 40 Z85 characters
  std::string secret_key;  // 40 Z85 characters
};

// True when this libzmq was built with CURVE (Debian's is, via libsodium).
bool curve_available();
CurveKeyPair generate_key_pair();
// Writes PREFIX.key (0600, created exclusively) and PREFIX.pub; throws std::runtime_error
// saying what to do when a file exists or cannot be written.
void write_key_pair(const std::filesystem::path& prefix, const CurveKeyPair& keys);
// Reads a key file written by write_key_pair. Throws std::runtime_error when it is missing,
// not a key, or readable by group or others.
CurveKeyPair read_secret_key_file(const std::filesystem::path& file);

// True for 40 Z85 characters that decode to a 32-byte key.
bool is_curve_key(const std::string& text);
// An option rule for a public key given as text.
void check_curve_key(const std::string& text);

// True for tcp:// endpoints on 127.0.0.0/8, ::1 or localhost, and for ipc://.
bool is_loopback_endpoint(const std::string& endpoint);
// The whole [bus] section's security: an export reachable from the network needs keys (or
// `insecure = true`), and keys come in complete sets. Looks only at the text, opens nothing.
// Throws std::invalid_argument saying what to set.
void check_bus_security(const LinkOptions& options);

// Makes `socket` a CurveZMQ server with this host's key when the options name one.
void secure_export(zmq::socket_t& socket, const LinkOptions& options);
// Makes `socket` a CurveZMQ client of the exporter's key when the options name one.
void secure_import(zmq::socket_t& socket, const LinkOptions& options);

// Answers ZeroMQ's authentication requests (ZAP, RFC 27) in `context`: only CURVE clients
// whose public key is listed get in; each refused key is logged once with what to do.
class ZapHandler {
 public:
  ZapHandler(zmq::context_t& context, std::vector<std::string> accepted);

 private:
  void run(std::stop_token stop);
  zmq::socket_t socket_;
  std::vector<std::string> accepted_;
  std::jthread thread_;
};

}  // namespace meterd
