#pragma once
// The meterd plugin API: everything a source or sink plugin needs, in one header.
//
// A plugin is a shared library that exports one function, declared with METERD_PLUGIN.
// The core reads the plugin's API version first and refuses a mismatch with a clear
// message; it then reads the PluginInfo, adds the plugin's options to the config schema,
// and constructs one instance per config section ([source.kitchen], [sink.influx], ...).
//
// Threading: Source::run runs on a thread of its own, unless the source attached itself to the
// pipeline's shared event loop (Source::attach). Sink::consume, flush and stop are called from
// one thread per sink instance, never concurrently.
#include <boost/config.hpp>
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>
#include <atomic>
#include <chrono>
#include <exception>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "meterd/v1/bus.pb.h"

namespace meterd {
class EventLoop;
class TimeZone;
}

namespace meterd::sdk {

// Bumped when this header changes incompatibly. The core loads only plugins built for it.
inline constexpr int kApiVersion = 3;

enum class Kind { source, sink };
enum class Level { debug, info, warning, error };

// Per-instance counters, published periodically as a Diagnostic with code "counters".
// Atomic because the core reads them from its statistics thread while the plugin counts.
struct Counters {
  std::atomic<std::uint64_t> in{0};      // items received
  std::atomic<std::uint64_t> out{0};     // items delivered
  std::atomic<std::uint64_t> errors{0};  // items that failed
  std::atomic<std::uint64_t> drops{0};   // items given up on (always also reported as a Diagnostic)
  std::atomic<std::uint64_t> queue_depth{0};  // items waiting for delivery (store-and-forward sinks)
};

// Services the core gives every plugin instance.
class Context {
 public:
  virtual ~Context() = default;
  virtual const std::string& instance_name() const = 0;  // "kitchen" for [source.kitchen]
  virtual const std::string& section() const = 0;        // "source.kitchen"
  virtual const boost::program_options::variables_map& options() const = 0;
  virtual void log(Level level, std::string_view message) = 0;
  // Published on the bus (topic "D/") and logged; counted as an error when severity is error.
  virtual void diagnostic(Level level, std::string_view code, std::string_view message,
                          std::string_view meter_id = {}) = 0;
  virtual Counters& counters() = 0;
  // A directory that belongs to this instance and survives restarts (positions, queues).
  virtual std::filesystem::path state_dir() = 0;
  // The zone from [meterd] time_zone (default Europe/Zurich), for local days and wall clocks.
  virtual std::shared_ptr<const TimeZone> time_zone() const = 0;
};

class SourceContext : public Context {
 public:
  // Hands a reading to the bus. Sets received_ms, source and sequence when left empty.
  // Returns false when the bus could not take it (counted as a drop and reported).
  virtual bool publish(v1::Reading&& reading) = 0;
  virtual bool publish_raw(v1::RawFrame&& frame) = 0;
  // End-to-end acknowledgement, for sources that can read again what they read (files,
  // history, replays): blocks until every sink of this process that receives this source
  // has made everything published so far durable (store committed, queue written, file
  // flushed per its fsync policy), then returns true; only then may the source save its
  // position. False when `timeout` passed first or such a sink has failed: keep the old
  // position, so a restart reads the same lines again (with the same reading ids).
  virtual bool checkpoint(std::chrono::milliseconds timeout) = 0;
};

class SinkContext : public Context {};

class Source {
 public:
  virtual ~Source() = default;
  // Reads until `stop` is requested, then returns. An exception stops this instance only;
  // the core reports it and the rest of the pipeline keeps running.
  virtual void run(std::stop_token stop) = 0;

  // Called once on the core's thread before `loop` runs. A source that waits only on
  // descriptors and timers may register them in `loop`, shared by all such sources of the
  // pipeline, and return true: it then gets no thread of its own, run() is never called, and
  // idle it costs nothing. It calls `done` on the loop's thread once when it ends by itself
  // (nullptr) or fails (the exception). False (the default): run() on a thread of its own.
  using Done = std::function<void(std::exception_ptr failure)>;
  virtual bool attach(EventLoop& /*loop*/, Done /*done*/) { return false; }
  // After the loop has stopped for good, on the core's thread: finish what was read and
  // close the lines. Only called when attach() returned true.
  virtual void detach() {}
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void start() {}
  virtual void consume(const v1::Reading& reading) = 0;
  // Only called when the sink's section sets `diagnostics = true` or wants_diagnostics().
  virtual void consume(const v1::Diagnostic& /*diagnostic*/) {}
  virtual bool wants_diagnostics() const { return false; }
  // Called when the bus has been idle for a moment, and before stop(): write out buffers.
  virtual void flush() {}
  // Called once after the bus has been drained.
  virtual void stop() {}
  // After flush(): true when everything consumed so far is durable. A sink that keeps
  // readings in memory while its disk is full or unwritable says false until they are
  // written; the core then holds back the sources' checkpoints and asks again later.
  virtual bool durable() const { return true; }
};

struct PluginInfo {
  int api_version;
  Kind kind;
  const char* name;         // the `plugin = ` value in the config
  const char* version;
  const char* description;  // one line, shown by --list-plugins
  void (*describe_options)(boost::program_options::options_description& options);
  std::unique_ptr<Source> (*make_source)(SourceContext& context);  // set for sources
  std::unique_ptr<Sink> (*make_sink)(SinkContext& context);        // set for sinks
  // Optional: checks the section's options as a whole (combinations, values the option rules
  // of option_checks.hpp cannot see alone) without opening devices, ports or files. Throws
  // std::invalid_argument saying what to change. Run by --check-config and before a start.
  void (*check_options)(const boost::program_options::variables_map& options) = nullptr;
};

}  // namespace meterd::sdk

// Exports the two symbols the core looks for. Use once per plugin, at namespace scope:
//   METERD_PLUGIN(my_info)   where `my_info` is a `const meterd::sdk::PluginInfo`.
#define METERD_PLUGIN(info)                                                                     \
  extern "C" BOOST_SYMBOL_EXPORT int meterd_plugin_api_version() { return info.api_version; } \
  extern "C" BOOST_SYMBOL_EXPORT const meterd::sdk::PluginInfo* meterd_plugin_info() { return &info; }
