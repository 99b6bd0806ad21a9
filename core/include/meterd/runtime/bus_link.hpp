#pragma once
// The link between meterd hosts: `[bus] export` on the host with the meters, `[bus] import`
// on the host with the sinks (docs/architecture.md, "Split across hosts").
//
// The exporter subscribes to its own bus and appends every reading, diagnostic and raw frame
// to a disk queue (core/disk_queue) under a per-link sequence number. An importer connects a
// DEALER socket to the exporter's ROUTER and asks with "A <last>" for what follows the last
// number it delivered; the exporter answers with one batch ("B", then one frame per record),
// drops what was acknowledged from its queue, and sends the next batch at the next ask.
// The importer republishes a batch into its own bus, waits until its sinks made it durable
// (the checkpoint markers of docs/architecture.md), stores the last number in its state dir
// and asks again. Everything is sent only after it reached the exporter's disk, so a number
// once seen by an importer is never given to another record; the importer drops records
// with numbers it has delivered, which makes every resend harmless.
//
// With keys both ends speak CurveZMQ: encrypted, and the exporter admits only importers whose
// public key it lists (bus_keys.hpp). Without keys an export is allowed on loopback only,
// unless the config says `insecure = true`.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace meterd {

class Bus;
class Checkpoints;

struct LinkOptions {
  std::vector<std::string> export_endpoints;  // e.g. tcp://0.0.0.0:7700
  std::vector<std::string> import_endpoints;  // e.g. tcp://pi.local:7700
  int export_wait_ms = 0;                     // wait this long for an importer before starting sources
  std::uint64_t queue_max_mb = 256;           // exporter's disk budget for readings not yet acknowledged
  // CurveZMQ: this host's key file, the importers an exporter accepts, the exporter an
  // importer trusts.
  std::string secret_key_file;
  std::vector<std::string> accept_keys;
  std::string server_key;
  bool insecure = false;
};

// One record of the link: its number, the bus topic and the payload.
struct LinkRecord {
  std::uint64_t sequence = 0;
  std::string_view topic;
  std::string_view payload;
};
std::string encode_link_record(std::uint64_t sequence, std::string_view topic, std::string_view payload);
// False when `bytes` is not a record.
bool decode_link_record(std::string_view bytes, LinkRecord& out);

class ExportLink {
 public:
  // Binds the export endpoints and subscribes to the bus; call before Bus::start. Throws
  // std::runtime_error naming the endpoint or file when it cannot. `sink_index` is the
  // link's number among the bus's acknowledging sinks.
  ExportLink(Bus& bus, Checkpoints& checkpoints, int sink_index, const LinkOptions& options,
             const std::filesystem::path& state_dir, std::string eos_topic);
  ~ExportLink();
  // Waits up to export_wait_ms for an importer, then serves it until the end-of-stream marker.
  void start();
  // Returns once the end-of-stream marker was queued and the queue synced.
  void join();

 private:
  struct State;
  void run(std::stop_token stop);
  std::unique_ptr<State> state_;
  std::jthread thread_;
};

class ImportLink {
 public:
  // One per import endpoint; connects at start().
  ImportLink(Bus& bus, Checkpoints& checkpoints, const LinkOptions& options, std::string endpoint,
             const std::filesystem::path& state_dir);
  ~ImportLink();
  void start();
  void stop();

 private:
  struct State;
  void run(std::stop_token stop);
  std::unique_ptr<State> state_;
  std::jthread thread_;
};

}  // namespace meterd
