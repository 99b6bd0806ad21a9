#pragma once
// The options every store-and-forward sink shares ([sink.x] queue_max_mb, batch_size, ...),
// declared and read in one place so all such sinks are configured the same way.
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>
#include <filesystem>

#include "meterd/disk_queue/delivery_loop.hpp"
#include "meterd/disk_queue/disk_queue.hpp"

namespace meterd::disk_queue {

struct QueueSettings {
  DiskQueueOptions queue;
  DeliveryOptions delivery;
  std::size_t memory_keep = 100'000;  // readings held in memory while the queue cannot be written
};

// Adds the queue and batching options with defaults suited to `default_batch_size`.
void describe_queue_options(boost::program_options::options_description& options, int default_batch_size);
// Reads them back; the queue lives in `queue_directory`. Throws std::invalid_argument with a
// message naming the option for values out of range.
QueueSettings read_queue_settings(const boost::program_options::variables_map& options,
                                  const std::filesystem::path& queue_directory);

}  // namespace meterd::disk_queue
