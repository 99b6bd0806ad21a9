#pragma once
// The reading ids published lately, to drop what at-least-once delivery brings twice (the
// broker sends a message again when our acknowledgement was lost; a sender's disk queue sends a
// reading again after its own crash). Kept on disk with every commit of the inbox, so a
// duplicate that arrives after a restart is recognised too. Bounded: the oldest ids leave first.
// The file only grows by the new ids (a few bytes per reading on a Pi's SD card) and is
// rewritten when it holds twice as many lines as are kept.
#include <cstddef>
#include <deque>
#include <filesystem>
#include <string>
#include <unordered_set>
#include <vector>

namespace meterd::mqtt_source {

class SeenIds {
 public:
  SeenIds(std::filesystem::path file, std::size_t capacity);
  // True when `id` is new (and remembers it); false for a duplicate.
  bool admit(const std::string& id);
  // Appends the ids admitted since the last save; rewrites the file (atomically: a crash leaves
  // the old or the new file) when it has grown to twice the capacity.
  void save();

 private:
  std::filesystem::path file_;
  std::size_t capacity_;
  std::deque<std::string> order_;
  std::unordered_set<std::string> ids_;
  std::vector<std::string> unsaved_;
  std::size_t lines_in_file_ = 0;
};

}  // namespace meterd::mqtt_source
