#pragma once
// A libmosquitto connection with its own network thread, shared by the mqtt sink and the mqtt
// source: connects (and reconnects) with TLS and login, optionally a retained "offline" last
// will, publishes and tracks which QoS 1 messages the broker has acknowledged, subscribes, and
// passes incoming messages on.
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
#include <vector>

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
  std::string cert_file, key_file;  // client certificate and its key (PEM), both or neither
  int keepalive_s = 30;
  // false: a persistent session. The broker keeps the subscriptions and queues QoS 1 messages
  // for this client id while it is away, and hands them over at the next connect.
  bool clean_session = true;
  std::string will_topic;  // availability; "offline" is the will, "online" sent on connect
  // Topic filters subscribed with QoS 1 at every connect.
  std::vector<std::string> subscriptions;
  disk_queue::BackoffOptions reconnect;  // waits between connection attempts
};

// Throws std::invalid_argument naming the option when the TLS files do not fit together.
void check_tls_files(const BrokerSettings& settings);

class MosquittoClient {
 public:
  using ConnectedHandler = std::function<void()>;
  // Runs on the network thread; while it runs, nothing else is read from the broker, and a
  // QoS 1 message is acknowledged only after it returned.
  using MessageHandler = std::function<void(const std::string& topic, const std::string& payload, bool retained)>;

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
  static void on_connect(mosquitto*, void* self, int rc, int flags);
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
