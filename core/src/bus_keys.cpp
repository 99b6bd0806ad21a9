#include "meterd/runtime/bus_keys.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "meterd/runtime/bus_link.hpp"
#include "meterd/runtime/log.hpp"

namespace meterd {
namespace {

void write_file(const std::filesystem::path& file, const std::string& text, mode_t mode) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0)
    throw std::runtime_error("cannot create " + file.string() + ": " + std::strerror(errno) +
                             (errno == EEXIST ? " (keep the existing key pair, or remove it first to make a new one)" : ""));
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + file.string() + ": " + std::strerror(errno));
}

std::string host_of(const std::string& endpoint) {
  const auto rest = endpoint.substr(endpoint.find("://") + 3);
  auto host = rest.substr(0, rest.rfind(':'));
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  return host;
}

}  // namespace

bool curve_available() { return zmq_has("curve") != 0; }

CurveKeyPair generate_key_pair() {
  if (!curve_available())
    throw std::runtime_error("this libzmq has no CURVE support; install a libzmq built with libsodium (Debian's libzmq5 is)");
  std::array<char, 41> pub{}, sec{};
  if (zmq_curve_keypair(pub.data(), sec.data()) != 0) throw std::runtime_error("zmq_curve_keypair failed");
  return {pub.data(), sec.data()};
}

void write_key_pair(const std::filesystem::path& prefix, const CurveKeyPair& keys) {
  const auto secret = std::filesystem::path(prefix.string() + ".key");
  const auto pub = std::filesystem::path(prefix.string() + ".pub");
  write_file(secret, keys.secret_key + "\n", 0600);
  write_file(pub, keys.public_key + "\n", 0644);
}

CurveKeyPair read_secret_key_file(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0)
    throw std::runtime_error("cannot read the secret key " + file.string() + ": " + std::strerror(errno) +
                             " (make one with `meterd keygen PREFIX` and name PREFIX.key)");
  if ((st.st_mode & 077) != 0)
    throw std::runtime_error("the secret key " + file.string() + " is readable by others; run `chmod 600 " +
                             file.string() + "`");
  std::ifstream in(file);
  CurveKeyPair keys;
  std::getline(in, keys.secret_key);
  if (!is_curve_key(keys.secret_key))
    throw std::runtime_error(file.string() + " is not a secret key written by `meterd keygen` (40 Z85 characters)");
  std::array<char, 41> pub{};
  if (zmq_curve_public(pub.data(), keys.secret_key.c_str()) != 0)
    throw std::runtime_error("this libzmq has no CURVE support; install a libzmq built with libsodium");
  keys.public_key = pub.data();
  return keys;
}

bool is_curve_key(const std::string& text) {
  std::array<std::uint8_t, 32> bytes{};
  return text.size() == 40 && zmq_z85_decode(bytes.data(), text.c_str()) != nullptr;
}

void check_curve_key(const std::string& text) {
  if (!is_curve_key(text))
    throw std::invalid_argument("must be a public key of 40 Z85 characters, as in the .pub file `meterd keygen` writes");
}

bool is_loopback_endpoint(const std::string& endpoint) {
  if (endpoint.rfind("ipc://", 0) == 0) return true;
  const auto host = host_of(endpoint);
  return host.rfind("127.", 0) == 0 || host == "::1" || host == "localhost";
}

void check_bus_security(const LinkOptions& o) {
  const bool keyed = !o.secret_key_file.empty();
  if (!o.export_endpoints.empty() && keyed && o.accept_keys.empty())
    throw std::invalid_argument("secret_key is set but no accept_key: list the public key (.pub) of every "
                                "importer allowed to connect, one `accept_key = ...` line each");
  if (!o.import_endpoints.empty() && keyed != !o.server_key.empty())
    throw std::invalid_argument("an encrypted import needs both secret_key (this host's key from `meterd "
                                "keygen`) and server_key (the exporter's .pub); set both or neither");
  if (!o.accept_keys.empty() && !keyed)
    throw std::invalid_argument("accept_key needs secret_key, this host's key file from `meterd keygen PREFIX`");
  if (keyed && !curve_available())
    throw std::invalid_argument("secret_key: this libzmq has no CURVE support; install one built with libsodium");
  if (keyed || o.insecure) return;
  for (const auto& e : o.export_endpoints)
    if (!is_loopback_endpoint(e))
      throw std::invalid_argument(
          "export = " + e + " would send every reading unencrypted to anyone on the network and accept any "
          "importer. Run `meterd keygen /etc/meterd/bus` on both hosts, then set here `secret_key = "
          "/etc/meterd/bus.key` and `accept_key = <the importer's bus.pub>`, and on the importer `secret_key` and "
          "`server_key = <this host's bus.pub>` (docs/secure-bus-link.md); or export on 127.0.0.1 only; or, on a "
          "network you trust, set `insecure = true`");
}

void secure_export(zmq::socket_t& socket, const LinkOptions& options) {
  if (options.secret_key_file.empty()) return;
  const auto keys = read_secret_key_file(options.secret_key_file);
  socket.set(zmq::sockopt::curve_server, 1);
  socket.set(zmq::sockopt::curve_secretkey, keys.secret_key);
  socket.set(zmq::sockopt::zap_domain, "meterd");
}

void secure_import(zmq::socket_t& socket, const LinkOptions& options) {
  if (options.secret_key_file.empty()) return;
  const auto keys = read_secret_key_file(options.secret_key_file);
  socket.set(zmq::sockopt::curve_serverkey, options.server_key);
  socket.set(zmq::sockopt::curve_publickey, keys.public_key);
  socket.set(zmq::sockopt::curve_secretkey, keys.secret_key);
}

ZapHandler::ZapHandler(zmq::context_t& context, std::vector<std::string> accepted)
    : socket_(context, zmq::socket_type::rep), accepted_(std::move(accepted)) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.bind("inproc://zeromq.zap.01");
  thread_ = std::jthread([this](std::stop_token st) { run(st); });
}

// A request is version, request id, domain, address, identity, mechanism and, for CURVE, the
// client's 32-byte public key; the reply is version, request id, status, text, user, metadata.
void ZapHandler::run(std::stop_token stop) {
  std::vector<std::string> logged;
  while (!stop.stop_requested()) {
    zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, std::chrono::milliseconds(100)) == 0) continue;
    std::vector<zmq::message_t> request;
    do {
      request.emplace_back();
      if (!socket_.recv(request.back())) return;
    } while (socket_.get(zmq::sockopt::rcvmore));
    std::string client;
    if (request.size() >= 7 && request[5].to_string_view() == "CURVE" && request[6].size() == 32) {
      client.resize(40);
      zmq_z85_encode(client.data(), static_cast<const std::uint8_t*>(request[6].data()), 32);
    }
    const bool allowed = !client.empty() && std::find(accepted_.begin(), accepted_.end(), client) != accepted_.end();
    if (!allowed && std::find(logged.begin(), logged.end(), client) == logged.end()) {
      logged.push_back(client);
      log::warning("bus", "refused an importer from " + (request.size() > 3 ? request[3].to_string() : "?") +
                              " with key " + (client.empty() ? std::string("(none)") : client) +
                              "; if it belongs, add its .pub as `accept_key` under [bus]");
    }
    const std::array<std::string, 6> reply{"1.0", request.size() > 1 ? request[1].to_string() : std::string(),
                                           allowed ? "200" : "400", allowed ? "OK" : "key not accepted",
                                           allowed ? client : std::string(), std::string()};
    for (std::size_t i = 0; i < reply.size(); ++i)
      socket_.send(zmq::buffer(reply[i]), i + 1 < reply.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
  }
}

}  // namespace meterd
