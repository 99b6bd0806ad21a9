#include <chrono>
#include <map>

#include "meterd/disk_queue/queue_cursor.hpp"
#include "meterd/runtime/bus.hpp"
#include "meterd/runtime/bus_keys.hpp"
#include "meterd/runtime/bus_link.hpp"
#include "meterd/runtime/checkpoints.hpp"
#include "meterd/runtime/log.hpp"

namespace meterd {
namespace {

constexpr auto kAskAgain = std::chrono::seconds(2);       // no answer: the link was down, ask again
constexpr auto kSinkTimeout = std::chrono::seconds(60);  // for the local sinks to make a batch durable

std::string file_name_of(const std::string& endpoint) {
  std::string name;
  for (char c : endpoint) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

// The source instance of a reading topic R/<source>/<meter>.
std::string source_of_reading(std::string_view topic) {
  if (topic.rfind("R/", 0) != 0) return {};
  const auto end = topic.find('/', 2);
  return std::string(topic.substr(2, end == std::string_view::npos ? std::string_view::npos : end - 2));
}

}  // namespace

struct ImportLink::State {
  Bus& bus;
  Checkpoints& checkpoints;
  LinkOptions options;
  std::string endpoint;
  std::filesystem::path sequence_file;
  zmq::socket_t socket;
  std::uint64_t delivered = 0;  // last number every local sink has made durable
  std::uint64_t link_id = 0;    // the exporter's link those numbers belong to

  State(Bus& b, Checkpoints& c, const LinkOptions& o, std::string ep, const std::filesystem::path& dir)
      : bus(b), checkpoints(c), options(o), endpoint(std::move(ep)),
        sequence_file(dir / "bus-import" / file_name_of(endpoint)), socket(b.context(), zmq::socket_type::dealer) {}

  void ask() {
    const std::string text = "A " + std::to_string(delivered) + " " + std::to_string(link_id);
    (void)socket.send(zmq::buffer(text), zmq::send_flags::dontwait);
  }

  // Publishes the new records of a batch, then a checkpoint per source, and waits until the
  // sinks have them durable. False when one of them did not confirm: the batch is asked for
  // again (duplicates with the same ids, never a gap).
  bool deliver(const std::vector<zmq::message_t>& records, std::uint64_t& last) {
    std::map<std::string, std::uint64_t> checkpoints_owed;
    bool published = true;
    LinkRecord r;
    for (const auto& frame : records) {
      if (!decode_link_record(frame.to_string_view(), r) || r.sequence <= last) continue;
      last = r.sequence;
      if (r.topic.empty() || (r.topic[0] != 'R' && r.topic[0] != 'D' && r.topic[0] != 'F')) continue;
      published = bus.publish_bytes(r.topic, r.payload) && published;
      if (auto source = source_of_reading(r.topic); !source.empty()) checkpoints_owed[source] = 0;
    }
    for (auto& [source, number] : checkpoints_owed) {
      number = checkpoints.next(source);
      published = bus.publish_bytes(Checkpoints::topic(source), std::to_string(number)) && published;
    }
    for (const auto& [source, number] : checkpoints_owed)
      if (!checkpoints.wait(source, number, kSinkTimeout)) published = false;
    return published;
  }

  void on_batch() {
    std::vector<zmq::message_t> frames;
    do {
      frames.emplace_back();
      if (!socket.recv(frames.back(), zmq::recv_flags::dontwait)) return;
    } while (socket.get(zmq::sockopt::rcvmore));
    const std::string head = frames.front().to_string();
    if (head.rfind("B ", 0) != 0) return;
    const std::uint64_t id = std::strtoull(head.c_str() + 2, nullptr, 10);
    if (id != link_id) {
      if (link_id != 0)
        log::warning("bus", "the exporter at " + endpoint + " started its numbers afresh (its state was reset); "
                            "taking everything it sends from the start");
      link_id = id;
      delivered = 0;
    }
    frames.erase(frames.begin());
    std::uint64_t last = delivered;
    if (!deliver(frames, last)) {
      log::warning("bus", "a sink did not confirm readings from " + endpoint + " in time; asking for them again");
      return;
    }
    if (last == delivered) return;
    delivered = last;
    // Not synced: the sooner the number is stored after the sinks confirmed, the smaller the
    // window in which a kill -9 repeats a batch. A power cut may bring back an older number,
    // which repeats readings and never loses one.
    disk_queue::store_cursor(sequence_file, {delivered, link_id}, false);
  }
};

ImportLink::ImportLink(Bus& bus, Checkpoints& checkpoints, const LinkOptions& options, std::string endpoint,
                       const std::filesystem::path& state_dir)
    : state_(std::make_unique<State>(bus, checkpoints, options, std::move(endpoint), state_dir)) {
  auto& s = *state_;
  std::filesystem::create_directories(s.sequence_file.parent_path());
  if (const auto stored = disk_queue::load_cursor(s.sequence_file)) {
    s.delivered = stored->segment;
    s.link_id = stored->offset;
  }
  secure_import(s.socket, options);
  s.socket.set(zmq::sockopt::linger, 0);
  s.socket.set(zmq::sockopt::immediate, 1);  // an ask is sent on a live connection or not at all
  s.socket.set(zmq::sockopt::reconnect_ivl, 100);
  s.socket.set(zmq::sockopt::reconnect_ivl_max, 2000);
  s.socket.set(zmq::sockopt::heartbeat_ivl, 1000);
  s.socket.set(zmq::sockopt::heartbeat_timeout, 3000);
}

ImportLink::~ImportLink() { stop(); }

void ImportLink::start() {
  state_->socket.connect(state_->endpoint);
  thread_ = std::jthread([this](std::stop_token st) { run(st); });
}

void ImportLink::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

// Ask, take a batch, deliver it, ask again; ask again as well when no answer comes.
void ImportLink::run(std::stop_token stop) {
  auto& s = *state_;
  auto asked = std::chrono::steady_clock::now() - kAskAgain;
  while (!stop.stop_requested()) {
    if (std::chrono::steady_clock::now() - asked >= kAskAgain) {
      s.ask();
      asked = std::chrono::steady_clock::now();
    }
    zmq::pollitem_t item{s.socket.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, std::chrono::milliseconds(100)) == 0) continue;
    s.on_batch();
    s.ask();
    asked = std::chrono::steady_clock::now();
  }
}

}  // namespace meterd
