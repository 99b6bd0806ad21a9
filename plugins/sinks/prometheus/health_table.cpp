#include "health_table.hpp"

#include <string_view>

namespace meterd::prometheus {
namespace {

const char* severity_name(v1::Diagnostic::Severity severity) {
  switch (severity) {
    case v1::Diagnostic::DEBUG: return "debug";
    case v1::Diagnostic::INFO: return "info";
    case v1::Diagnostic::WARNING: return "warning";
    case v1::Diagnostic::ERROR: return "error";
    default: return "unknown";
  }
}

// The counters every instance reports, by the key the core uses and the label value here.
constexpr std::pair<std::string_view, std::string_view> kDirections[] = {
    {"in", "in"}, {"out", "out"}, {"errors", "errors"}, {"drops", "drops"}};
constexpr std::pair<std::string_view, std::string_view> kBusResults[] = {
    {"published", "published"}, {"drops", "dropped"}, {"forwarded", "forwarded"}};
// Optional keys a source adds when its decoder counts frames.
constexpr std::pair<std::string_view, std::string_view> kFrameResults[] = {{"frames_ok", "ok"}, {"frames_bad", "bad"}};

}  // namespace

void HealthTable::update(const v1::Diagnostic& diagnostic) {
  std::lock_guard lock(mutex_);
  if (diagnostic.code() != "counters") {
    ++diagnostics_[{diagnostic.source(), diagnostic.code(), severity_name(diagnostic.severity())}];
    return;
  }
  auto& target = diagnostic.source() == "bus" ? bus_ : instances_[diagnostic.source()];
  // Replace rather than merge: the report is a complete snapshot of the instance's counters.
  target.clear();
  for (const auto& [key, value] : diagnostic.counters()) target[key] = value;
}

void HealthTable::append_to(FamilySet& out) const {
  std::lock_guard lock(mutex_);
  for (const auto& [instance, counters] : instances_) {
    const auto get = [&](std::string_view key) {
      const auto it = counters.find(std::string(key));
      return it == counters.end() ? nullptr : &it->second;
    };
    for (const auto& [key, direction] : kDirections) {
      if (const double* value = get(key)) {
        out.add("meterd_plugin_items_total", MetricType::counter,
                "Items a plugin instance received (in), delivered (out), failed on (errors) or gave up on (drops)",
                {{"instance", instance}, {"direction", direction}}, *value);
      }
    }
    if (const double* running = get("running")) {
      out.add("meterd_plugin_running", MetricType::gauge,
              "1 while a plugin instance runs, 0 once it failed (or, with optional = true, could not start)",
              {{"instance", instance}}, *running);
    }
    // Sources report a depth of 0 too; only sinks have a queue worth watching.
    if (const double* depth = get("queue_depth"); depth && instance.starts_with("sink.")) {
      out.add("meterd_sink_queue_depth", MetricType::gauge, "Readings waiting in a sink's store-and-forward queue",
              {{"instance", instance}}, *depth);
    }
    for (const auto& [key, result] : kFrameResults) {
      if (const double* value = get(key)) {
        out.add("meterd_source_frames_total", MetricType::counter, "Frames a source decoded (ok) or rejected (bad)",
                {{"instance", instance}, {"result", result}}, *value);
      }
    }
    if (const double* value = get("decode_errors")) {
      out.add("meterd_source_decode_errors_total", MetricType::counter,
              "Frames that arrived intact but could not be decoded", {{"instance", instance}}, *value);
    }
  }
  for (const auto& [key, result] : kBusResults) {
    if (const auto it = bus_.find(std::string(key)); it != bus_.end()) {
      out.add("meterd_bus_messages_total", MetricType::counter,
              "Messages on the meterd bus: published, dropped (a subscriber was full) or forwarded to remote subscribers",
              {{"result", result}}, it->second);
    }
  }
  for (const auto& [key, count] : diagnostics_) {
    const auto& [instance, code, severity] = key;
    out.add("meterd_diagnostics_total", MetricType::counter,
            "Diagnostics (decode errors, delivery failures, ...) seen since this exporter started, by instance and code",
            {{"instance", instance}, {"code", code}, {"severity", severity}}, static_cast<double>(count));
  }
}

}  // namespace meterd::prometheus
