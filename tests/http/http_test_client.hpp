#pragma once
// A blocking HTTP/1.1 client for tests of servers built on meterd::http. Header-only so the
// dashboard tests can use it too.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace meterd::http::testing {

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; repeated ones joined by "\n"
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// Connects to 127.0.0.1:port from the loopback address `source` (127.0.0.2 stands in for
// another client on the same machine).
inline void connect_from(boost::beast::tcp_stream& stream, const std::string& source, unsigned short port) {
  namespace net = boost::asio;
  auto& socket = stream.socket();
  socket.open(net::ip::tcp::v4());
  socket.bind(net::ip::tcp::endpoint(net::ip::make_address(source), 0));
  stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
}

inline Reply fetch_from(const std::string& source, unsigned short port, const std::string& method,
                        const std::string& target, const std::vector<std::pair<std::string, std::string>>& headers = {},
                        const std::string& body = {}) {
  namespace net = boost::asio;
  namespace beast = boost::beast;
  namespace bhttp = beast::http;
  net::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(10));
  connect_from(stream, source, port);
  bhttp::request<bhttp::string_body> request(bhttp::string_to_verb(method), target, 11);
  request.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  if (!body.empty() || method == "POST" || method == "PUT") request.prepare_payload();
  bhttp::write(stream, request);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64u * 1024u * 1024u);
  if (method == "HEAD") parser.skip(true);
  bhttp::read(stream, buffer, parser);
  Reply reply;
  auto& response = parser.get();
  reply.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& slot = reply.headers[name];
    slot += (slot.empty() ? "" : "\n") + std::string(field.value());
  }
  reply.body = response.body();
  beast::error_code ignored;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  return reply;
}

inline Reply fetch(unsigned short port, const std::string& method, const std::string& target,
                   const std::vector<std::pair<std::string, std::string>>& headers = {},
                   const std::string& body = {}) {
  return fetch_from("127.0.0.1", port, method, target, headers, body);
}

// Sends raw bytes and returns whatever the server answers before closing or the timeout.
inline std::string raw_exchange(unsigned short port, const std::string& bytes,
                                std::chrono::milliseconds timeout = std::chrono::milliseconds(2000),
                                const std::string& source = "127.0.0.1") {
  namespace net = boost::asio;
  namespace beast = boost::beast;
  net::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(timeout);
  connect_from(stream, source, port);
  beast::error_code ec;
  net::write(stream.socket(), net::buffer(bytes), ec);
  std::string out;
  char buf[4096];
  while (true) {
    const auto n = stream.read_some(net::buffer(buf), ec);
    if (ec) break;
    out.append(buf, n);
  }
  return out;
}

// Keeps an event-stream request open and collects what arrives.
class EventStreamClient {
 public:
  EventStreamClient(unsigned short port, const std::string& target,
                    const std::vector<std::pair<std::string, std::string>>& headers = {},
                    const std::string& source = "127.0.0.1")
      : stream_(io_) {
    namespace net = boost::asio;
    stream_.expires_after(std::chrono::seconds(10));
    connect_from(stream_, source, port);
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
    request += "\r\n";
    net::write(stream_.socket(), net::buffer(request));
  }
  // Reads until `needle` has arrived (true) or the deadline passes (false).
  bool wait_for(const std::string& needle, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (received_.find(needle) == std::string::npos) {
      if (read_more(deadline) != Read::data) return received_.find(needle) != std::string::npos;
    }
    return true;
  }
  // Reads until the server closes the stream (true) or the deadline passes (false).
  bool wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    Read r;
    while ((r = read_more(deadline)) == Read::data) {
    }
    return r == Read::closed;
  }
  const std::string& received() const { return received_; }

 private:
  enum class Read { data, closed, timeout };
  Read read_more(std::chrono::steady_clock::time_point deadline) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return Read::timeout;
    stream_.expires_after(left);
    boost::beast::error_code ec;
    char buf[4096];
    const auto n = stream_.read_some(boost::asio::buffer(buf), ec);
    if (ec == boost::beast::error::timeout) return Read::timeout;
    if (ec) return Read::closed;
    received_.append(buf, n);
    return Read::data;
  }
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  std::string received_;
};

}  // namespace meterd::http::testing
