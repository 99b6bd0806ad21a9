#include "meterd/runtime/runtime.hpp"

#include <pthread.h>

#include <cstdlib>
#include <map>
#include <random>

#include "meterd/runtime/instance_context.hpp"
#include "meterd/runtime/log.hpp"
#include "meterd/runtime/memory_release.hpp"
#include "meterd/time_zone.hpp"

namespace meterd {

struct Runtime::SourceRunner {
  const InstanceConfig* config;
  std::unique_ptr<InstanceContext> context;
  std::unique_ptr<sdk::Source> source;
  std::jthread thread;
  bool attached = false;  // reads on the shared event loop, has no thread
  std::atomic<bool> failed = false;
};

struct Runtime::SinkRunner {
  const InstanceConfig* config;
  std::unique_ptr<InstanceContext> context;
  std::unique_ptr<sdk::Sink> sink;
  std::unique_ptr<BusSubscriber> subscriber;
  int index = 0;  // in Checkpoints
  std::thread thread;
  std::atomic<bool> failed = false;
};

namespace {
std::string random_token() {
  std::random_device rd;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
  return buf;
}

std::string instance_error(const InstanceConfig& c, const std::string& what) {
  return "plugin '" + std::string(c.plugin->info->name) + "' (" + c.plugin->file.string() + ") failed in [" +
         c.section + "]: " + what;
}
}  // namespace

Runtime::Runtime(PipelineConfig config)
    : config_(std::move(config)), bus_(std::make_unique<Bus>(config_.bus)), eos_topic_("C/eos/" + random_token()) {
  bus_->on_drop([](std::string_view topic) {
    log::debug("bus", "dropped a message on " + std::string(topic));
  });
}

Runtime::~Runtime() { shutdown(); }

void Runtime::create() {
  auto zone = TimeZone::load(config_.time_zone);
  for (const auto& sc : config_.sinks) {
    auto r = std::make_unique<SinkRunner>();
    r->config = &sc;
    r->context = std::make_unique<InstanceContext>(sc, *bus_, checkpoints_, config_.state_dir, zone);
    r->index = static_cast<int>(sinks_.size());
    try {
      r->sink = sc.plugin->info->make_sink(*r->context);
    } catch (const std::exception& e) {
      throw std::runtime_error(instance_error(sc, e.what()));
    }
    if (!r->sink) throw std::runtime_error(instance_error(sc, "its factory returned nothing"));
    sinks_.push_back(std::move(r));
  }
  for (const auto& sc : config_.sources) {
    auto r = std::make_unique<SourceRunner>();
    r->config = &sc;
    r->context = std::make_unique<InstanceContext>(sc, *bus_, checkpoints_, config_.state_dir, zone);
    try {
      r->source = sc.plugin->info->make_source(*r->context);
    } catch (const std::exception& e) {
      throw std::runtime_error(instance_error(sc, e.what()));
    }
    if (!r->source) throw std::runtime_error(instance_error(sc, "its factory returned nothing"));
    sources_.push_back(std::move(r));
  }
}

void Runtime::start() {
  // Sinks subscribe before any source runs, so nothing a source publishes at once is missed;
  // a sink that fails to start never subscribes, so the bus does not wait for it. The export
  // link is one more sink, after the plugins' ones in the acknowledgements.
  if (!config_.link.export_endpoints.empty())
    export_link_ = std::make_unique<ExportLink>(*bus_, checkpoints_, static_cast<int>(sinks_.size()), config_.link,
                                                config_.state_dir, eos_topic_);
  std::string refused;
  for (auto& r : sinks_) {
    try {
      r->sink->start();
    } catch (const std::exception& e) {
      r->failed = true;
      if (!r->config->optional) {
        ++failed_;
        refused += (refused.empty() ? "" : "; ") + instance_error(*r->config, e.what());
        continue;
      }
      r->context->diagnostic(sdk::Level::error, "plugin_failed",
                             instance_error(*r->config, e.what()) + "; it is optional, so meterd runs without it");
      continue;
    }
    checkpoints_.add_sink(r->index, r->config->sources);
    r->subscriber = bus_->subscribe(subscriptions(*r));
    r->thread = std::thread([this, raw = r.get()] { run_sink(*raw); });
  }
  bus_->start();
  // Thrown only now, so the sinks that did start have subscribed and see the drain marker.
  if (!refused.empty())
    throw std::runtime_error(refused + ". Fix the cause, or set `optional = true` in that section to run without it.");
  if (export_link_) export_link_->start();
  for (const auto& endpoint : config_.link.import_endpoints) {
    import_links_.push_back(std::make_unique<ImportLink>(*bus_, checkpoints_, config_.link, endpoint, config_.state_dir));
    import_links_.back()->start();
  }
  {
    std::lock_guard lock(mutex_);
    sources_running_ = static_cast<int>(sources_.size());
  }
  attach_sources();
  if (config_.stats_interval_s > 0)
    stats_ = std::jthread([this](std::stop_token st) {
      std::mutex m;
      std::condition_variable_any cv;
      std::unique_lock lock(m);
      while (!st.stop_requested()) {
        cv.wait_for(lock, st, std::chrono::seconds(config_.stats_interval_s), [] { return false; });
        if (!st.stop_requested()) publish_counters();
      }
    });
  log::info("meterd", "pipeline running: " + std::to_string(sources_.size()) + " sources, " +
                          std::to_string(sinks_.size()) + " sinks");
}

std::vector<std::string> Runtime::subscriptions(const SinkRunner& r) const {
  std::vector<std::string> prefixes{eos_topic_};
  if (r.config->sources.empty()) prefixes.insert(prefixes.end(), {"R/", Checkpoints::kTopicPrefix});
  for (const auto& s : r.config->sources) prefixes.insert(prefixes.end(), {"R/" + s + "/", Checkpoints::topic(s)});
  if (r.config->diagnostics || r.sink->wants_diagnostics()) prefixes.push_back("D/");
  return prefixes;
}

namespace {
// Named after the instance ("source.sim" -> "sim"), so top -H and /proc show which
// source or sink spends the CPU; Linux allows 15 characters.
void name_thread(const InstanceConfig& config) {
  pthread_setname_np(pthread_self(), config.section.substr(0, 15).c_str());
}
}  // namespace

void Runtime::attach_sources() {
  bool any_attached = false;
  for (auto& r : sources_) {
    SourceRunner* raw = r.get();
    try {
      raw->attached =
          raw->source->attach(source_loop_, [this, raw](std::exception_ptr failure) { on_attached_done(*raw, failure); });
    } catch (...) {
      on_attached_done(*raw, std::current_exception());
      continue;
    }
    any_attached = any_attached || raw->attached;
    if (!raw->attached) raw->thread = std::jthread([this, raw](std::stop_token st) { run_source(*raw, st); });
  }
  if (any_attached)
    source_loop_thread_ = std::jthread([this] {
      pthread_setname_np(pthread_self(), "source-loop");
      source_loop_.run();
    });
}

void Runtime::on_attached_done(SourceRunner& r, std::exception_ptr failure) {
  if (failure) {
    r.failed = true;
    ++failed_;
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    r.context->diagnostic(sdk::Level::error, "plugin_failed",
                          instance_error(*r.config, what) + "; this source is stopped, the others keep running");
  }
  on_source_done();
}

// Every source is asked first and joined after, so a thousand sources stop in the time of
// the slowest one, not of all of them in a row; the shared loop stops with one wake-up.
void Runtime::stop_sources() {
  for (auto& r : sources_) r->thread.request_stop();
  source_loop_.stop();
  if (source_loop_thread_.joinable()) source_loop_thread_.join();
  for (auto& r : sources_)
    if (r->attached) r->source->detach();
  for (auto& r : sources_)
    if (r->thread.joinable()) r->thread.join();
}

void Runtime::run_source(SourceRunner& r, std::stop_token st) {
  name_thread(*r.config);
  try {
    r.source->run(st);
  } catch (const std::exception& e) {
    r.failed = true;
    ++failed_;
    r.context->diagnostic(sdk::Level::error, "plugin_failed",
                          instance_error(*r.config, e.what()) + "; this source is stopped, the others keep running");
  }
  on_source_done();
}

void Runtime::on_source_done() {
  std::lock_guard lock(mutex_);
  if (--sources_running_ == 0 && config_.exit_when_sources_done) {
    stop_requested_ = true;
    cv_.notify_all();
  }
}

void Runtime::run_sink(SinkRunner& r) {
  name_thread(*r.config);
  BusMessage msg;
  v1::Reading reading;
  v1::Diagnostic diag;
  bool dirty = false;
  // Checkpoints consumed but not yet acknowledged, because the sink is not durable yet.
  std::map<std::string, std::uint64_t> owed;
  const auto settle = [&] {
    r.sink->flush();
    // A sink that is not durable yet (its disk is full, or it spaces its writes) is asked
    // again at the next idle moment rather than only when new readings come.
    dirty = !r.sink->durable();
    if (dirty) return;
    for (const auto& [source, number] : owed) checkpoints_.acknowledge(r.index, source, number);
    owed.clear();
  };
  const auto& meters = r.config->meters;
  try {
    for (;;) {
      if (!r.subscriber->receive(msg, 100)) {
        if (dirty) {
          settle();
          release_free_memory();
        } else if (!owed.empty()) {
          settle();
        }
        continue;
      }
      if (msg.topic == eos_topic_) break;
      if (msg.topic[0] == 'R') {
        if (!reading.ParseFromArray(msg.payload.data(), static_cast<int>(msg.payload.size()))) {
          ++r.context->counters().errors;
          continue;
        }
        if (!meters.empty() && std::find(meters.begin(), meters.end(), reading.meter_id()) == meters.end()) continue;
        ++r.context->counters().in;
        r.sink->consume(reading);
        dirty = true;
      } else if (msg.topic[0] == 'D') {
        if (diag.ParseFromArray(msg.payload.data(), static_cast<int>(msg.payload.size()))) r.sink->consume(diag);
      } else if (const auto source = Checkpoints::source_of(msg.topic); !source.empty()) {
        owed[source] = std::strtoull(msg.payload.to_string().c_str(), nullptr, 10);
        settle();
      }
    }
    settle();
    r.sink->stop();
  } catch (const std::exception& e) {
    r.failed = true;
    ++failed_;
    checkpoints_.sink_failed(r.index);
    r.context->diagnostic(sdk::Level::error, "plugin_failed",
                          instance_error(*r.config, e.what()) + "; this sink is stopped, the others keep running");
  }
  // A closed subscriber stops counting against the bus's queues, so a dead sink cannot
  // block the living ones.
  r.subscriber.reset();
}

void Runtime::publish_counters() {
  auto send = [&](InstanceContext& c, bool running) {
    v1::Diagnostic d;
    d.set_severity(v1::Diagnostic::DEBUG);
    d.set_code("counters");
    d.set_source(c.section());
    d.set_time_ms(now_ms());
    auto& m = *d.mutable_counters();
    m["in"] = static_cast<double>(c.counters().in.load());
    m["out"] = static_cast<double>(c.counters().out.load());
    m["errors"] = static_cast<double>(c.counters().errors.load());
    m["drops"] = static_cast<double>(c.counters().drops.load());
    m["queue_depth"] = static_cast<double>(c.counters().queue_depth.load());
    m["running"] = running ? 1 : 0;
    bus_->publish("D/" + c.instance_name(), d);
  };
  for (auto& r : sources_) send(*r->context, !r->failed);
  for (auto& r : sinks_) send(*r->context, !r->failed);
  v1::Diagnostic b;
  b.set_severity(v1::Diagnostic::DEBUG);
  b.set_code("counters");
  b.set_source("bus");
  b.set_time_ms(now_ms());
  (*b.mutable_counters())["published"] = static_cast<double>(bus_->published());
  (*b.mutable_counters())["drops"] = static_cast<double>(bus_->drops());
  (*b.mutable_counters())["forwarded"] = static_cast<double>(bus_->forwarded());
  bus_->publish("D/bus", b);
}

void Runtime::wait() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [this] { return stop_requested_; });
}

void Runtime::stop() {
  std::lock_guard lock(mutex_);
  stop_requested_ = true;
  cv_.notify_all();
}

void Runtime::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  stop();
  stop_sources();
  bus_->stop();
  for (auto& link : import_links_) link->stop();
  if (stats_.joinable()) {
    stats_.request_stop();
    stats_.join();
  }
  publish_counters();
  // The drain marker goes out on the same socket after everything else, so a sink that sees
  // it has seen every earlier message.
  // Retried: a busy sink may hold its queue full for a while, and without the marker it would
  // never finish.
  for (int attempt = 0; attempt < 60 && !bus_->publish_bytes(eos_topic_, ""); ++attempt) {
  }
  for (auto& r : sinks_)
    if (r->thread.joinable()) r->thread.join();
  if (export_link_) export_link_->join();
  log::info("meterd", "stopped: " + std::to_string(bus_->published()) + " messages published, " +
                          std::to_string(bus_->drops()) + " dropped");
  sources_.clear();
  sinks_.clear();
}

}  // namespace meterd
