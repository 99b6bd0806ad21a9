#include <algorithm>
#include <random>
#include <stdexcept>

#include "meterd/disk_queue/disk_queue.hpp"
#include "meterd/runtime/bus.hpp"
#include "meterd/runtime/bus_keys.hpp"
#include "meterd/runtime/bus_link.hpp"
#include "meterd/runtime/checkpoints.hpp"
#include "meterd/runtime/log.hpp"

namespace meterd {
namespace {

constexpr std::size_t kBatchRecords = 500;
constexpr std::uint64_t kBatchBytes = 1 << 20;
// At shutdown: how long to wait for the next ask of an importer before leaving the rest queued.
constexpr auto kDrainQuiet = std::chrono::seconds(3);

// The link syncs by itself: before it sends a batch and before it acknowledges a checkpoint.
disk_queue::DiskQueueOptions queue_options(const std::filesystem::path& directory, std::uint64_t max_mb) {
  disk_queue::DiskQueueOptions o;
  o.directory = directory;
  o.max_bytes = max_mb << 20;
  o.fsync = disk_queue::FsyncPolicy::interval;
  o.fsync_interval = std::chrono::hours(1);
  return o;
}

}  // namespace

struct ExportLink::State {
  Bus& bus;
  Checkpoints& checkpoints;
  int sink_index;
  LinkOptions options;
  std::string eos_topic;
  std::filesystem::path sequence_file;
  disk_queue::DiskQueue queue;
  std::unique_ptr<ZapHandler> gate;  // before the socket: it must answer the socket's first handshake
  zmq::socket_t socket;
  std::unique_ptr<BusSubscriber> subscriber;
  std::uint64_t next_sequence = 1;
  std::uint64_t acknowledged = 0;
  // Random, made with the queue: an importer that sees another one knows the numbers restarted.
  std::uint64_t link_id = 0;
  std::string importer;          // routing id of the importer that asked last
  bool importer_waiting = false;  // it asked and got nothing yet
  std::uint64_t dropped = 0;

  State(Bus& b, Checkpoints& c, int index, const LinkOptions& o, const std::filesystem::path& dir, std::string eos)
      : bus(b), checkpoints(c), sink_index(index), options(o), eos_topic(std::move(eos)),
        sequence_file(dir / "bus-export" / "acknowledged"),
        queue(queue_options(dir / "bus-export", o.queue_max_mb)),
        socket(b.context(), zmq::socket_type::router) {}

  // After the last acknowledged number, or the last number on disk when records wait there.
  // The acknowledged number and the link id share the cursor file format: {number, link id}.
  void restore_sequence() {
    if (const auto stored = disk_queue::load_cursor(sequence_file)) {
      acknowledged = stored->segment;
      next_sequence = acknowledged + 1;
      link_id = stored->offset;
    }
    if (link_id == 0) {
      link_id = std::random_device{}() | (static_cast<std::uint64_t>(std::random_device{}()) << 32) | 1;
      disk_queue::store_cursor(sequence_file, {next_sequence - 1, link_id}, true);
    }
    const auto pending = queue.peek(queue.pending_records(), UINT64_MAX);
    LinkRecord r;
    if (!pending.records.empty() && decode_link_record(pending.records.back(), r))
      next_sequence = std::max(next_sequence, r.sequence + 1);
  }

  void append(std::string_view topic, std::string_view payload) {
    const auto result = queue.append(encode_link_record(next_sequence++, topic, payload));
    if (result.dropped_records > 0) {
      dropped += result.dropped_records;
      log::warning("bus", "the export queue reached queue_max_mb; dropped the " + std::to_string(result.dropped_records) +
                              " oldest readings not yet taken by an importer (" + std::to_string(dropped) + " so far)");
    }
  }

  // Everything up to `sequence` is delivered: forget it, and remember the number for a restart.
  void acknowledge(std::uint64_t sequence) {
    if (sequence <= acknowledged) return;
    acknowledged = sequence;
    disk_queue::store_cursor(sequence_file, {sequence, link_id}, true);
    for (;;) {
      const auto batch = queue.peek(kBatchRecords, kBatchBytes);
      std::size_t done = 0;
      LinkRecord r;
      while (done < batch.records.size() && decode_link_record(batch.records[done], r) && r.sequence <= sequence) ++done;
      if (done == 0) return;
      queue.commit(batch, done);
      if (done < batch.records.size()) return;
    }
  }

  void on_importer() {
    zmq::message_t id, ask;
    if (!socket.recv(id, zmq::recv_flags::dontwait)) return;
    while (socket.get(zmq::sockopt::rcvmore)) (void)socket.recv(ask);
    const std::string text = ask.to_string();
    if (text.rfind("A ", 0) != 0) return;
    if (importer != id.to_string()) log::info("bus", "an importer is connected to the export");
    importer = id.to_string();
    // "A <last delivered> <link id>": numbers of another link (this exporter was reset) say nothing.
    char* rest = nullptr;
    const std::uint64_t delivered = std::strtoull(text.c_str() + 2, &rest, 10);
    if (std::strtoull(rest, nullptr, 10) == link_id) acknowledge(delivered);
    importer_waiting = true;
    send_batch();
  }

  // Only what reached the disk goes out, so no number an importer saw can be lost and reused.
  void send_batch() {
    if (!importer_waiting || queue.pending_records() == 0) return;
    queue.sync();
    const auto batch = queue.peek(kBatchRecords, kBatchBytes);
    socket.send(zmq::buffer(importer), zmq::send_flags::sndmore);
    const std::string head = "B " + std::to_string(link_id);
    socket.send(zmq::buffer(head), batch.records.empty() ? zmq::send_flags::none : zmq::send_flags::sndmore);
    for (std::size_t i = 0; i < batch.records.size(); ++i)
      socket.send(zmq::buffer(batch.records[i]),
                  i + 1 < batch.records.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
    importer_waiting = false;
  }
};

ExportLink::ExportLink(Bus& bus, Checkpoints& checkpoints, int sink_index, const LinkOptions& options,
                       const std::filesystem::path& state_dir, std::string eos_topic) {
  try {
    state_ = std::make_unique<State>(bus, checkpoints, sink_index, options, state_dir, std::move(eos_topic));
  } catch (const std::system_error& e) {
    throw std::runtime_error("cannot open the export queue in " + (state_dir / "bus-export").string() + ": " + e.what() +
                             " (is [meterd] state_dir writable?)");
  }
  auto& s = *state_;
  for (const auto& problem : s.queue.recovery().problems) log::warning("bus", "export queue: " + problem);
  s.restore_sequence();
  if (!options.secret_key_file.empty()) s.gate = std::make_unique<ZapHandler>(bus.context(), options.accept_keys);
  secure_export(s.socket, options);
  s.socket.set(zmq::sockopt::linger, 0);
  s.socket.set(zmq::sockopt::router_handover, 1);  // a restarted importer takes over its old place
  for (const auto& ep : options.export_endpoints) {
    try {
      s.socket.bind(ep);
    } catch (const zmq::error_t& e) {
      throw std::runtime_error("cannot listen on bus export endpoint '" + ep + "': " + e.what() +
                               " (is the address valid and the port free?)");
    }
  }
  checkpoints.add_sink(sink_index, {});
  s.subscriber = bus.subscribe({"R/", "D/", "F/", Checkpoints::kTopicPrefix, s.eos_topic});
  if (s.queue.pending_records() > 0)
    log::info("bus", std::to_string(s.queue.pending_records()) + " readings wait in the export queue for an importer");
}

ExportLink::~ExportLink() = default;

void ExportLink::start() {
  auto& s = *state_;
  if (s.options.export_wait_ms > 0) {
    zmq::pollitem_t item{s.socket.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, std::chrono::milliseconds(s.options.export_wait_ms)) > 0)
      s.on_importer();
    else
      log::warning("bus", "no importer within export_wait_ms; readings wait in the export queue until one connects");
  }
  thread_ = std::jthread([this](std::stop_token st) { run(st); });
}

void ExportLink::join() {
  if (thread_.joinable()) thread_.join();
}

// One thread owns the socket and the queue: bus messages in, importer asks in, batches out.
// At the end-of-stream marker it hands what is queued to a connected importer while that one
// keeps asking; the rest stays on disk for the next start.
void ExportLink::run(std::stop_token) {
  auto& s = *state_;
  BusMessage msg;
  for (;;) {
    zmq::pollitem_t item{s.socket.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, std::chrono::milliseconds(0)) > 0) s.on_importer();
    if (!s.subscriber->receive(msg, 20)) continue;
    if (msg.topic == s.eos_topic) break;
    if (const auto source = Checkpoints::source_of(msg.topic); !source.empty()) {
      s.queue.sync();
      s.checkpoints.acknowledge(s.sink_index, source, std::strtoull(msg.payload.to_string().c_str(), nullptr, 10));
      continue;
    }
    s.append(msg.topic, msg.payload.to_string_view());
    s.send_batch();
  }
  s.queue.sync();
  auto quiet_until = std::chrono::steady_clock::now() + kDrainQuiet;
  while (s.queue.pending_records() > 0 && std::chrono::steady_clock::now() < quiet_until) {
    zmq::pollitem_t item{s.socket.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, std::chrono::milliseconds(50)) == 0) continue;
    s.on_importer();
    quiet_until = std::chrono::steady_clock::now() + kDrainQuiet;
  }
  if (s.queue.pending_records() > 0)
    log::info("bus", std::to_string(s.queue.pending_records()) + " readings stay in the export queue for the next start");
}

}  // namespace meterd
