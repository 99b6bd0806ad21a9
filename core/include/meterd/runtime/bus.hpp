#pragma once
// The message bus: ZeroMQ PUB/SUB carrying serialized protobuf messages.
//
// Every process has one XPUB socket bound to inproc://meterd.bus. Publishers from any thread
// share it under a mutex, so all messages of a process are totally ordered. Each sink
// instance reads through its own SUB socket. BusOptions' export and import endpoints join
// two buses with plain PUB/SUB, which keeps nothing while nobody listens: the bench measures
// the bus over TCP with it. meterd's `[bus] export` / `import` between hosts is the link of
// bus_link.hpp instead: numbered, acknowledged, kept on disk and encrypted.
//
// Topics are prefixes a subscriber can filter on:
//   R/<source>/<meter_id>  Reading        D/<source>  Diagnostic
//   F/<source>             RawFrame       C/eos/<token>  end of stream (drain marker)
//   C/ck/<source>/         checkpoint marker of a source (end-to-end acknowledgement)
//
// XPUB_NODROP makes a full subscriber queue visible to the publisher instead of silently
// discarding; the publisher waits up to `block_ms`, then counts and reports the drop.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>
#include <zmq.hpp>

namespace google::protobuf {
class MessageLite;
}

namespace meterd {

struct BusOptions {
  std::vector<std::string> export_endpoints;  // e.g. tcp://0.0.0.0:7700, ipc:///run/meterd.bus
  std::vector<std::string> import_endpoints;  // e.g. tcp://pi.local:7700
  int high_water_mark = 5000;                 // messages queued per subscriber before blocking
  int block_ms = 10000;                       // how long a publisher waits on a full queue
  int export_wait_ms = 0;                     // wait this long for a remote subscriber at start
};

struct BusMessage {
  std::string topic;
  zmq::message_t payload;
};

class BusSubscriber {
 public:
  BusSubscriber(zmq::context_t& context, const std::string& endpoint, const std::vector<std::string>& prefixes,
                int high_water_mark);
  // Waits up to `timeout_ms` for the next message. False on timeout.
  bool receive(BusMessage& out, int timeout_ms);

 private:
  zmq::socket_t socket_;
};

class Bus {
 public:
  static constexpr const char* kLocalEndpoint = "inproc://meterd.bus";

  explicit Bus(BusOptions options);
  ~Bus();
  Bus(const Bus&) = delete;
  Bus& operator=(const Bus&) = delete;

  // Thread safe. False when the message was dropped (queue full for longer than block_ms).
  bool publish(std::string_view topic, const google::protobuf::MessageLite& message);
  bool publish_bytes(std::string_view topic, std::string_view payload);

  std::unique_ptr<BusSubscriber> subscribe(const std::vector<std::string>& prefixes);
  // Waits until the local subscriptions are attached (and a remote subscriber when
  // export_wait_ms is set), then starts forwarding from import endpoints. Call after the
  // local sinks have subscribed and before anything is published.
  void start();
  void stop();

  std::uint64_t published() const { return published_; }
  std::uint64_t drops() const { return drops_; }
  std::uint64_t forwarded() const { return forwarded_; }
  void on_drop(std::function<void(std::string_view topic)> handler) { drop_handler_ = std::move(handler); }
  zmq::context_t& context() { return context_; }

 private:
  bool send_locked(std::string_view topic, std::string_view payload);
  // Counts subscription messages into `seen` until it reaches `want`; false on timeout.
  bool await_subscriptions(int& seen, int want, std::chrono::milliseconds timeout);
  void forward_imports(std::stop_token stop);

  BusOptions options_;
  zmq::context_t context_;
  std::mutex mutex_;
  zmq::socket_t publisher_;
  std::string scratch_;  // serialization buffer reused under mutex_
  std::atomic<std::uint64_t> published_{0}, drops_{0}, forwarded_{0};
  std::atomic<int> local_subscriptions_{0};
  std::function<void(std::string_view)> drop_handler_;
  std::jthread importer_;
};

}  // namespace meterd
