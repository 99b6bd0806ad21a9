#pragma once
// A libmosquitto connection with its own network thread: connects (and reconnects) with a
// retained "offline" last will, publishes and tracks which QoS 1 messages the broker has
// acknowledged, and passes incoming messages on.
//
// The thread is ours, not libmosquitto's loop_start(): that one never retries a first
// connect that failed (a broker down when meterd starts) and caps its reconnect delay in
// whole seconds. Here every attempt, the first and every later one, waits by the same
// backoff (retry_initial_ms .. retry_max_ms).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "meterd/disk_queue/backoff.hpp"

struct mosquitto;
struct mosquitto_message;

namespace meterd::mqtt {

struct BrokerSettings {
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string client_id = "meterd";
  std::string username, password;
  bool tls = false;
  std::string ca_file;  // system CAs when empty
  int keepalive_s = 30;
  std::string will_topic;  // availability; "offline" is the will, "online" sent on connect
  disk_queue::BackoffOptions reconnect;  // waits between connection attempts
};

class MosquittoClient {
 public:
  using ConnectedHandler = std::function<void()>;
  using MessageHandler = std::function<void(const std::string& topic, const std::string& payload)>;

  MosquittoClient(BrokerSettings settings, ConnectedHandler on_connected, MessageHandler on_message);
  ~MosquittoClient();
  MosquittoClient(const MosquittoClient&) = delete;
  MosquittoClient& operator=(const MosquittoClient&) = delete;

  void start();                 // starts the network thread; connecting happens in the background
  void stop_gracefully();       // publishes "offline", disconnects, joins the thread
  bool connected() const;
  std::string last_problem() const;  // why the connection is down, for Diagnostics

  // Returns the message id (>0), or 0 with `error` set when libmosquitto refused it.
  int publish(const std::string& topic, const std::string& payload, int qos, bool retain, std::string& error);
  void subscribe(const std::string& topic);
  // Waits until every id in `ids` is acknowledged or the timeout passes; removes the
  // acknowledged ones from `ids`.
  void wait_for_acks(std::set<int>& ids, std::chrono::milliseconds timeout);

 private:
  static void on_connect(mosquitto*, void* self, int rc);
  static void on_disconnect(mosquitto*, void* self, int rc);
  static void on_publish(mosquitto*, void* self, int mid);
  static void handle_message(mosquitto*, void* self, const ::mosquitto_message* message);
  void run(std::stop_token stop);
  // Waits `delay`, or less when stop is requested. False when stopping.
  bool pause(std::chrono::milliseconds delay, std::stop_token stop);
  void note_problem(const std::string& problem);

  BrokerSettings settings_;
  ConnectedHandler on_connected_;
  MessageHandler on_message_;
  mosquitto* handle_ = nullptr;
  mutable std::mutex mutex_;
  std::condition_variable acked_changed_;
  std::set<int> acked_;
  bool connected_ = false;
  bool started_ = false;
  std::jthread network_;
  std::string problem_ = "not connected yet";
};

}  // namespace meterd::mqtt
