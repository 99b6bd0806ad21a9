#include "meterd/http/server.hpp"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <list>
#include <stdexcept>
#include <thread>
#include <vector>

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
      : options_(std::move(options)), router_(std::move(router)), acceptor_(io_) {}

  void start();
  void stop();
  void accept();
  void register_stream(const std::shared_ptr<EventStream>& stream) {
    std::lock_guard lock(streams_mutex_);
    streams_.remove_if([](const auto& weak) { return weak.expired(); });
    streams_.push_back(stream);
  }

  ServerOptions options_;
  std::shared_ptr<const Router> router_;
  std::atomic<std::size_t> connections_{0};
  std::atomic<unsigned short> port_{0};
  std::mutex streams_mutex_;
  std::list<std::weak_ptr<EventStream>> streams_;
  bool started_ = false;
  bool stopped_ = false;
  net::io_context io_;
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl* server) : stream_(std::move(socket)), server_(server) {
    ++server_->connections_;
    beast::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }
  ~Session() {
    if (events_) events_->close();
    --server_->connections_;
  }

  void run() { read_request(); }

 private:
  void read_request() {
    parser_.emplace();
    parser_->body_limit(server_->options_.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(server_->options_.max_header_bytes));
    stream_.expires_after(server_->options_.idle_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return reply_and_close(413, "request body too large");
    if (ec == bhttp::error::header_limit) return reply_and_close(431, "request headers too large");
    if (ec) {
      // A syntax error gets a 400 while the socket still works; timeouts and resets just close.
      if (ec != bhttp::error::end_of_stream &&
          ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category())
        return reply_and_close(400, "malformed HTTP request");
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      return;
    }
    auto& raw = parser_->get();
    Request request;
    request.method = std::string(raw.method_string());
    request.target = std::string(raw.target());
    request.body = std::move(raw.body());
    request.remote_address = remote_;
    for (const auto& field : raw) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    keep_alive_ = raw.keep_alive();
    version_ = raw.version();
    Response response;
    try {
      request.parse_target();
      response = server_->router_->dispatch(request);
    } catch (const HttpError& error) {
      response = Response::error(error.status(), error.what());
    } catch (const std::exception&) {
      response = Response::error(500, "internal error");
    }
    apply_security_headers(server_->options_.security, request, response);
    if (response.stream) return start_events(std::move(response));
    write_response(std::move(response), request.method == "HEAD");
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

  void reply_and_close(int status, std::string_view message) {
    keep_alive_ = false;
    Request request;
    auto response = Response::error(status, message);
    apply_security_headers(server_->options_.security, request, response);
    write_response(std::move(response), false);
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
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_;
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
    if (!ec) {
      if (self->connections_ >= self->options_.max_connections) {
        // Over the limit: drop the newcomer rather than starve the connections we have.
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<Session>(std::move(socket), self)->run();
      }
    }
    self->accept();
  });
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
  if (!router) throw std::invalid_argument("HTTP server needs a router");
  impl_ = std::make_unique<Impl>(std::move(options), std::move(router));
}

// Pending handlers (and the sessions they own) are destroyed with the io_context.
Server::~Server() { stop(); }

void Server::start() { impl_->start(); }
void Server::stop() { impl_->stop(); }
unsigned short Server::port() const { return impl_->port_; }
std::size_t Server::open_connections() const { return impl_->connections_; }

}  // namespace meterd::http
