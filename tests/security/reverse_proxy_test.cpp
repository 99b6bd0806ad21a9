// The documented nginx configuration (configs/nginx-dashboard.conf) run for real in front of
// meterd with a self-signed certificate: TLS works, live streams come through unbuffered,
// and meterd tells visitors apart by the address nginx forwards, so one visitor's wrong
// passwords do not slow down another's login.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "deployment.hpp"

using namespace meterd::security_test;

namespace {
const char* const kNginx = "/usr/sbin/nginx";

std::string run(const std::string& command) {
  std::string out;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buf[4096];
    while (const auto n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
    ::pclose(pipe);
  }
  return out;
}

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
}

// nginx in the foreground with the documented site, in a folder of its own.
class Nginx {
 public:
  Nginx(const std::filesystem::path& dir, unsigned short meterd_port) : port_(meterd::test::free_loopback_port()) {
    const auto cert = dir / "cert.pem", key = dir / "key.pem";
    run("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout " + key.string() + " -out " +
        cert.string() + " 2>&1");
    std::string site = slurp(std::filesystem::path(METERD_SOURCE_DIR) / "configs" / "nginx-dashboard.conf");
    replace_all(site, "listen 443 ssl", "listen 127.0.0.1:" + std::to_string(port_) + " ssl");
    replace_all(site, "/etc/ssl/certs/dashboard.example.org.pem", cert.string());
    replace_all(site, "/etc/ssl/private/dashboard.example.org.key", key.string());
    replace_all(site, "127.0.0.1:8081", "127.0.0.1:" + std::to_string(meterd_port));
    std::ofstream(dir / "site.conf") << site;
    const auto d = dir.string();
    std::ofstream(dir / "nginx.conf") << (::geteuid() == 0 ? "user root;\n" : "") << "worker_processes 1;\ndaemon off;\npid "
                                      << d << "/nginx.pid;\nerror_log stderr;\nevents { worker_connections 256; }\n"
                                      << "http {\n  access_log off;\n  client_body_temp_path " << d << "/body;\n  proxy_temp_path "
                                      << d << "/proxy;\n  fastcgi_temp_path " << d << "/fastcgi;\n  uwsgi_temp_path " << d
                                      << "/uwsgi;\n  scgi_temp_path " << d << "/scgi;\n  include " << d << "/site.conf;\n}\n";
    process_ = std::make_unique<meterd::test::ServerProcess>(
        std::vector<std::string>{kNginx, "-p", d, "-c", (dir / "nginx.conf").string()}, dir / "nginx.log");
    process_->start();
    listening_ = meterd::test::wait_for_port(port_, std::chrono::seconds(5));
  }
  bool listening() const { return listening_; }
  std::string url(const std::string& path) const { return "https://127.0.0.1:" + std::to_string(port_) + path; }
  std::string log() const { return process_->log(); }

 private:
  std::uint16_t port_;
  std::unique_ptr<meterd::test::ServerProcess> process_;
  bool listening_ = false;
};

// curl through TLS (self-signed, so -k) from a chosen loopback address; prints the status last.
std::string curl(const std::string& from, const std::string& args) {
  return run("curl -sk --max-time 5 --interface " + from + " -w '\\n%{http_code}' " + args + " 2>&1");
}
std::string status_of(const std::string& out) { return out.substr(out.rfind('\n') + 1); }
}  // namespace

TEST(ReverseProxy, DocumentedNginxConfigServesTlsStreamsAndForwardsTheClientAddress) {
  if (::access(kNginx, X_OK) != 0) GTEST_SKIP() << "nginx is not installed (" << kNginx << "); scripts/install-deps.sh installs it";
  Deployment d("trusted_proxies = 127.0.0.1\n");
  Nginx nginx(d.dir(), d.port());
  ASSERT_TRUE(nginx.listening()) << nginx.log();

  EXPECT_EQ(status_of(curl("127.0.0.1", nginx.url("/api/session"))), "401");
  const std::string json = "-H 'Content-Type: application/json' -d ";
  // One visitor guesses; nginx forwards its address and only that visitor is slowed down.
  std::string last;
  for (int i = 0; i < 6; ++i) last = status_of(curl("127.0.0.1", json + "'{\"password\":\"nope\"}' " + nginx.url("/api/login")));
  EXPECT_EQ(last, "429");
  const auto owner = curl(kOther, "-D - " + json + "'{\"password\":\"" + std::string(kPassword) + "\"}' " + nginx.url("/api/login"));
  ASSERT_EQ(status_of(owner), "200") << owner;
  const auto at = owner.find("meterd_session=");
  ASSERT_NE(at, std::string::npos) << owner;
  const auto cookie = owner.substr(at, owner.find(';', at) - at);

  // A live stream comes through at once, event by event.
  const auto live = curl(kOther, "-N --max-time 4 -H 'Cookie: " + cookie + "' " + nginx.url("/api/live"));
  EXPECT_NE(live.find(": connected"), std::string::npos) << live;
  EXPECT_NE(live.find("event: reading"), std::string::npos) << live;
  EXPECT_EQ(probe_once(d), "");
}
