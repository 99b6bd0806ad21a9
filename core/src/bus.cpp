#include "meterd/runtime/bus.hpp"

#include <google/protobuf/message_lite.h>

#include <chrono>
#include <stdexcept>

#include "meterd/runtime/log.hpp"

namespace meterd {

BusSubscriber::BusSubscriber(zmq::context_t& context, const std::string& endpoint,
                             const std::vector<std::string>& prefixes, int high_water_mark)
    : socket_(context, zmq::socket_type::sub) {
  socket_.set(zmq::sockopt::rcvhwm, high_water_mark);
  socket_.set(zmq::sockopt::linger, 0);
  for (const auto& p : prefixes) socket_.set(zmq::sockopt::subscribe, p);
  socket_.connect(endpoint);
}

bool BusSubscriber::receive(BusMessage& out, int timeout_ms) {
  zmq::message_t topic;
  // Under load a message is usually waiting already: take it without a poll system call.
  if (!socket_.recv(topic, zmq::recv_flags::dontwait)) {
    zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, std::chrono::milliseconds(timeout_ms)) == 0) return false;
    if (!socket_.recv(topic, zmq::recv_flags::dontwait)) return false;
  }
  out.topic.assign(static_cast<const char*>(topic.data()), topic.size());
  if (!socket_.get(zmq::sockopt::rcvmore)) {
    out.payload.rebuild(0);
    return true;
  }
  return socket_.recv(out.payload).has_value();
}

Bus::Bus(BusOptions options) : options_(std::move(options)), context_(1), publisher_(context_, zmq::socket_type::xpub) {
  publisher_.set(zmq::sockopt::sndhwm, options_.high_water_mark);
  publisher_.set(zmq::sockopt::xpub_nodrop, 1);
  publisher_.set(zmq::sockopt::xpub_verbose, 1);
  publisher_.set(zmq::sockopt::linger, 2000);
  publisher_.bind(kLocalEndpoint);
  for (const auto& ep : options_.export_endpoints) {
    try {
      publisher_.bind(ep);
    } catch (const zmq::error_t& e) {
      throw std::runtime_error("cannot listen on bus export endpoint '" + ep + "': " + e.what() +
                               " (is the address valid and the port free?)");
    }
  }
}

Bus::~Bus() { stop(); }

std::unique_ptr<BusSubscriber> Bus::subscribe(const std::vector<std::string>& prefixes) {
  local_subscriptions_ += static_cast<int>(prefixes.size());
  return std::make_unique<BusSubscriber>(context_, kLocalEndpoint, prefixes, options_.high_water_mark);
}

bool Bus::publish(std::string_view topic, const google::protobuf::MessageLite& message) {
  std::lock_guard lock(mutex_);
  scratch_.clear();
  message.AppendToString(&scratch_);
  return send_locked(topic, scratch_);
}

bool Bus::publish_bytes(std::string_view topic, std::string_view payload) {
  std::lock_guard lock(mutex_);
  return send_locked(topic, payload);
}

bool Bus::send_locked(std::string_view topic, std::string_view payload) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + std::chrono::milliseconds(options_.block_ms);
  for (;;) {
    // Both parts in one go: with NODROP the first part fails as a whole when a queue is full.
    if (publisher_.send(zmq::const_buffer(topic.data(), topic.size()), zmq::send_flags::sndmore | zmq::send_flags::dontwait)) {
      publisher_.send(zmq::const_buffer(payload.data(), payload.size()), zmq::send_flags::none);
      ++published_;
      return true;
    }
    if (clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  ++drops_;
  if (drop_handler_) drop_handler_(topic);
  return false;
}

void Bus::start() {
  int seen = 0;
  // A subscription reaches the publishing socket asynchronously, even in process: until it
  // has arrived, what is published is silently not delivered to that sink.
  if (!await_subscriptions(seen, local_subscriptions_, std::chrono::seconds(5)))
    log::warning("bus", "not every sink had subscribed after 5 s; the first readings may miss some sinks");
  if (options_.export_wait_ms > 0 && !options_.export_endpoints.empty()) {
    // Beyond our own sinks' subscriptions, someone in another process is listening.
    if (await_subscriptions(seen, local_subscriptions_ + 1, std::chrono::milliseconds(options_.export_wait_ms)))
      log::info("bus", "a remote subscriber is connected");
    else
      log::warning("bus", "no remote subscriber within export_wait_ms; publishing anyway "
                          "(messages published before a subscriber connects are not delivered to it)");
  }
  if (!options_.import_endpoints.empty())
    importer_ = std::jthread([this](std::stop_token st) { forward_imports(st); });
}

void Bus::stop() {
  if (importer_.joinable()) {
    importer_.request_stop();
    importer_.join();
  }
}

// XPUB_VERBOSE hands us every subscription message, repeated prefixes included, so counting
// them tells when the subscribers we expect are attached.
bool Bus::await_subscriptions(int& seen, int want, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (seen < want && std::chrono::steady_clock::now() < deadline) {
    std::lock_guard lock(mutex_);
    zmq::pollitem_t item{publisher_.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, std::chrono::milliseconds(50)) == 0) continue;
    zmq::message_t sub;
    while (publisher_.recv(sub, zmq::recv_flags::dontwait))
      if (sub.size() > 0 && static_cast<const char*>(sub.data())[0] == 1) ++seen;
  }
  return seen >= want;
}

void Bus::forward_imports(std::stop_token stop) {
  zmq::socket_t in(context_, zmq::socket_type::sub);
  in.set(zmq::sockopt::rcvhwm, options_.high_water_mark);
  in.set(zmq::sockopt::linger, 0);
  in.set(zmq::sockopt::reconnect_ivl, 100);
  // Remote drain markers belong to the remote process; only data crosses over.
  for (const char* p : {"R/", "D/", "F/"}) in.set(zmq::sockopt::subscribe, p);
  for (const auto& ep : options_.import_endpoints) in.connect(ep);
  while (!stop.stop_requested()) {
    zmq::pollitem_t item{in.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, std::chrono::milliseconds(100)) == 0) continue;
    zmq::message_t topic, payload;
    if (!in.recv(topic, zmq::recv_flags::dontwait)) continue;
    if (in.get(zmq::sockopt::rcvmore)) (void)in.recv(payload);
    if (publish_bytes(topic.to_string_view(), payload.to_string_view())) ++forwarded_;
  }
}

}  // namespace meterd
