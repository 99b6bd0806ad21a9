#include "meterd/http/server.hpp"

#include <algorithm>
#include <atomic>
#include <optional>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <list>
#include <stdexcept>
#include <thread>
#include <vector>

#include "connection_budget.hpp"
#include "header_text.hpp"
#include "meterd/http/event_stream.hpp"
#include "meterd/http/http_error.hpp"

namespace meterd::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

// Members are ordered so that the io_context is destroyed before the state its pending
// handlers (sessions) still touch while they are being destroyed.
class Server::Impl {
 public:
  Impl(ServerOptions options, std::shared_ptr<const Router> router)
      : options_(std::move(options)), budget_(options_), router_(std::move(router)), acceptor_(io_) {}

  void start();
  void stop();
  void accept();
  void admit(tcp::socket socket);
  void register_stream(const std::shared_ptr<EventStream>& stream) {
    std::lock_guard lock(streams_mutex_);
    streams_.remove_if([](const auto& weak) { return weak.expired(); });
    streams_.push_back(stream);
  }

  ServerOptions options_;
  ConnectionBudget budget_;
  std::shared_ptr<const Router> router_;
  std::atomic<unsigned short> port_{0};
  std::atomic<int> refusing_{0};  // refused connections still being answered
  static constexpr int kMaxRefusing = 64;
  std::mutex streams_mutex_;
  std::list<std::weak_ptr<EventStream>> streams_;
  bool started_ = false;
  bool stopped_ = false;
  net::io_context io_;
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
};

namespace {

// Framing a proxy in front might read differently is refused outright (request smuggling):
// a Transfer-Encoding other than exactly "chunked", or one next to a Content-Length. HTTP/1.1
// needs exactly one Host.
std::optional<std::string> framing_problem(const bhttp::request_parser<bhttp::string_body>& parser) {
  const auto& header = parser.get();
  std::size_t te = 0, hosts = 0;
  bool length = false;
  for (const auto& field : header) {
    if (field.name() == bhttp::field::transfer_encoding) {
      ++te;
      if (!iequals(field.value(), "chunked")) return "Transfer-Encoding must be exactly 'chunked'";
    }
    if (field.name() == bhttp::field::host) ++hosts;
    if (field.name() == bhttp::field::content_length) length = true;
  }
  if (te > 1) return "Transfer-Encoding given more than once";
  if (te && length) return "Transfer-Encoding and Content-Length together";
  if (header.version() >= 11 && hosts != 1) return "an HTTP/1.1 request needs exactly one Host header";
  return std::nullopt;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl* server, std::string peer, bool exempt, ConnectionBudget::Admission admission)
      : stream_(std::move(socket)), server_(server), peer_(std::move(peer)), exempt_(exempt), admission_(admission) {}
  ~Session() {
    if (refusing_) --server_->refusing_;
    if (events_) {
      events_->close();
      server_->budget_.close_stream(client_);
    }
    if (admission_ == ConnectionBudget::Admission::serve || admission_ == ConnectionBudget::Admission::reserve_only)
      server_->budget_.release(peer_, exempt_);
  }

  void run() { read_request(); }

 private:
  // Waiting for a request to begin is bounded by the idle timeout (the header timeout for a
  // new connection); once it has begun, the whole request must arrive within the header
  // timeout, so a client trickling bytes cannot hold the connection for ever.
  void read_request() {
    parser_.emplace();
    parser_->body_limit(server_->options_.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(server_->options_.max_header_bytes));
    if (buffer_.size() > 0 || first_request_) return read_header();
    stream_.expires_after(server_->options_.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      if (ec) return self->close();
      self->buffer_.commit(n);
      self->read_header();
    });
  }

  void read_header() {
    first_request_ = false;
    stream_.expires_after(server_->options_.header_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    if (auto problem = framing_problem(*parser_)) return reply_and_close(400, *problem);
    if (parser_->is_done()) return on_read();
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->on_read_error(ec);
      self->on_read();
    });
  }

  void on_read_error(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return reply_and_close(413, "request body too large");
    if (ec == bhttp::error::header_limit) return reply_and_close(431, "request headers too large");
    // A syntax error gets a 400 while the socket still works; timeouts and resets just close.
    if (ec != bhttp::error::end_of_stream && ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category())
      return reply_and_close(400, "malformed HTTP request");
    close();
  }

  Request to_request() {
    auto& raw = parser_->get();
    Request request;
    request.method = std::string(raw.method_string());
    request.target = std::string(raw.target());
    request.body = std::move(raw.body());
    request.peer_address = peer_;
    for (const auto& field : raw) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.remote_address = server_->options_.trusted_proxies.client_of(peer_, request.header("x-forwarded-for"));
    keep_alive_ = raw.keep_alive();
    version_ = raw.version();
    return request;
  }

  void on_read() {
    Request request = to_request();
    if (admission_ == ConnectionBudget::Admission::reserve_only && !server_->options_.privileged(request))
      return reply_and_close(503, "the server is busy; try again shortly", 5);
    Response response;
    try {
      request.parse_target();
      response = server_->router_->dispatch(request);
    } catch (const HttpError& error) {
      response = Response::error(error.status(), error.what());
    } catch (const std::exception&) {
      response = Response::error(500, "internal error");
    }
    const bool head = request.method == "HEAD";
    if (response.stream && (head || !server_->budget_.open_stream(request.remote_address))) {
      // HEAD asks for the headers of a stream, never its events.
      response.stream->close();
      response.stream.reset();
      if (!head) {
        response = Response::error(429, "too many open live streams from this address; close one first");
        response.set_header("Retry-After", "10");
      }
    }
    apply_security_headers(server_->options_.security, request, response);
    if (response.stream) {
      client_ = request.remote_address;
      return start_events(std::move(response));
    }
    write_response(std::move(response), head);
  }

  void write_response(Response&& response, bool head) {
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
    message->version(version_);
    message->result(static_cast<unsigned>(response.status));
    for (auto& [name, value] : response.headers) message->set(name, value);
    message->keep_alive(keep_alive_);
    const auto size = response.body.size();
    if (!head) message->body() = std::move(response.body);
    message->prepare_payload();
    if (head) message->content_length(size);
    stream_.expires_after(server_->options_.header_timeout);
    bhttp::async_write(stream_, *message,
                       [self = shared_from_this(), message](beast::error_code ec, std::size_t) {
                         if (ec) return;
                         if (!message->keep_alive()) {
                           beast::error_code ignored;
                           self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                           return;
                         }
                         self->read_request();
                       });
  }

 public:
  void reply_and_close(int status, std::string_view message, int retry_after_s = 0) {
    keep_alive_ = false;
    Request request;
    auto response = Response::error(status, message);
    if (retry_after_s > 0) response.set_header("Retry-After", std::to_string(retry_after_s));
    apply_security_headers(server_->options_.security, request, response);
    write_response(std::move(response), false);
  }

  // A connection refused by the budget still gets its answer, once its request is in.
  void refuse(int status, std::string_view message) {
    refusing_ = true;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_->options_.max_header_bytes));
    stream_.expires_after(std::chrono::seconds(2));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this(), status, text = std::string(message)](beast::error_code, std::size_t) {
                               self->reply_and_close(status, text, 5);
                             });
  }

 private:
  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  // An SSE reply: headers now, then whatever the stream queues, until either side closes.
  // Written without a length, so the end of the body is the end of the connection.
  void start_events(Response&& response) {
    events_ = response.stream;
    server_->register_stream(events_);
    stream_.expires_never();
    std::string head = "HTTP/1.1 200 OK\r\n";
    for (auto& [name, value] : response.headers) head += name + ": " + value + "\r\n";
    head += "Connection: close\r\n\r\n";
    // A first comment makes browsers fire "open" at once.
    head += ": connected\n\n";
    pending_ = std::move(head);
    writing_ = true;
    std::weak_ptr<Session> weak = shared_from_this();
    auto executor = stream_.get_executor();
    events_->attach([weak, executor] {
      net::post(executor, [weak] {
        if (auto self = weak.lock()) self->flush_events();
      });
    });
    write_pending();
    watch_for_close();
    schedule_keepalive();
  }

  void write_pending() {
    auto data = std::make_shared<std::string>(std::move(pending_));
    pending_.clear();
    net::async_write(stream_.socket(), net::buffer(*data),
                     [self = shared_from_this(), data](beast::error_code ec, std::size_t) {
                       self->writing_ = false;
                       if (ec) return self->close_events();
                       self->flush_events();
                     });
  }

  void flush_events() {
    if (writing_ || !events_) return;
    pending_ = events_->take();
    if (pending_.empty()) {
      if (events_->closed()) close_events();
      return;
    }
    writing_ = true;
    write_pending();
  }

  // The client never sends anything on an event stream; a completed read means it left.
  void watch_for_close() {
    stream_.socket().async_read_some(net::buffer(discard_),
                                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                       if (ec) return self->close_events();
                                       self->watch_for_close();
                                     });
  }

  void schedule_keepalive() {
    if (!timer_) timer_.emplace(stream_.get_executor());
    timer_->expires_after(server_->options_.keepalive_interval);
    timer_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || !self->events_ || self->events_->closed()) return;
      self->events_->comment("keep-alive");
      self->schedule_keepalive();
    });
  }

  void close_events() {
    if (events_) events_->close();
    if (timer_) timer_->cancel();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  Server::Impl* server_;
  std::string peer_, client_;
  bool exempt_;
  ConnectionBudget::Admission admission_;
  bool first_request_ = true;
  bool refusing_ = false;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bool keep_alive_ = true;
  unsigned version_ = 11;
  std::shared_ptr<EventStream> events_;
  std::string pending_;
  bool writing_ = false;
  char discard_[256];
  std::optional<net::steady_timer> timer_;
};

}  // namespace

void Server::Impl::start() {
  if (started_) return;
  beast::error_code ec;
  const auto address = net::ip::make_address(options_.address, ec);
  if (ec) throw std::runtime_error("invalid listen address '" + options_.address + "'");
  tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + options_.address + ":" + std::to_string(options_.port) + ": " +
                             ec.message());
  port_ = acceptor_.local_endpoint().port();
  started_ = true;
  accept();
  const int count = options_.threads < 1 ? 1 : options_.threads;
  for (int i = 0; i < count; ++i) threads_.emplace_back([this] { io_.run(); });
}

void Server::Impl::accept() {
  acceptor_.async_accept(net::make_strand(io_), [self = this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
    if (!ec) self->admit(std::move(socket));
    self->accept();
  });
}

// Refused connections are answered quickly (429 or 503 with Retry-After), but only so many at
// once: beyond that a newcomer is closed without a word rather than cost memory.
void Server::Impl::admit(tcp::socket socket) {
  beast::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return;
  // A reply goes out in a few writes (header, body pieces); with Nagle on, a piece after
  // the first waits for the client's delayed acknowledgement.
  socket.set_option(tcp::no_delay(true), ec);
  auto peer = endpoint.address();
  if (peer.is_v6() && peer.to_v6().is_v4_mapped()) peer = net::ip::make_address_v4(net::ip::v4_mapped, peer.to_v6());
  const auto address = peer.to_string();
  const bool exempt = options_.trusted_proxies.contains(address);
  const auto admission = budget_.admit(address, exempt);
  using A = ConnectionBudget::Admission;
  auto session = std::make_shared<Session>(std::move(socket), this, address, exempt, admission);
  if (admission == A::serve || admission == A::reserve_only) return session->run();
  if (refusing_.fetch_add(1) >= kMaxRefusing) {
    --refusing_;
    return;
  }
  // The session's destructor runs on the io thread once the refusal is written.
  session->refuse(admission == A::full ? 503 : 429, admission == A::full
                                                        ? "the server is at its connection limit; try again shortly"
                                                        : "too many open connections from this address; close some first");
}

void Server::Impl::stop() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  net::post(io_, [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
  {
    std::lock_guard lock(streams_mutex_);
    for (auto& weak : streams_)
      if (auto stream = weak.lock()) stream->close();
  }
  io_.stop();
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
  threads_.clear();
}

Server::Server(ServerOptions options, std::shared_ptr<const Router> router) {
  validate_policy(options.security);
  validate_limits(options);
  if (!router) throw std::invalid_argument("HTTP server needs a router");
  impl_ = std::make_unique<Impl>(std::move(options), std::move(router));
}

// Pending handlers (and the sessions they own) are destroyed with the io_context.
Server::~Server() { stop(); }

void Server::start() { impl_->start(); }
void Server::stop() { impl_->stop(); }
unsigned short Server::port() const { return impl_->port_; }
std::size_t Server::open_connections() const { return impl_->budget_.connections(); }

void validate_limits(const ServerOptions& options) {
  if (options.max_connections == 0) throw std::invalid_argument("max_connections must be at least 1");
  if (options.max_connections_per_address == 0) throw std::invalid_argument("max_connections_per_address must be at least 1");
  if (options.privileged && options.reserved_connections >= options.max_connections)
    throw std::invalid_argument("reserved_connections must be less than max_connections");
  if (options.header_timeout.count() < 1 || options.idle_timeout.count() < 1)
    throw std::invalid_argument("header_timeout and idle_timeout must be at least 1 s");
}

}  // namespace meterd::http
