#pragma once
// An append-only output file that rotates by size or age: the current file keeps its plain
// name and rotated files get the UTC time of rotation in theirs, so `tail -F` keeps working.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

namespace meterd::file_sink {

enum class SyncPolicy { never, flush, always };
SyncPolicy parse_sync_policy(const std::string& name);  // throws std::invalid_argument

struct RotationPolicy {
  std::uint64_t max_bytes = 0;         // 0 = no size limit
  std::chrono::seconds max_age{0};     // 0 = no time limit
};

class RotatingFile {
 public:
  RotatingFile(std::filesystem::path path, RotationPolicy rotation, SyncPolicy sync, std::string header);
  ~RotatingFile();
  RotatingFile(const RotatingFile&) = delete;
  RotatingFile& operator=(const RotatingFile&) = delete;

  // Appends whole records; rotates before a write that would cross the size limit.
  void write(const std::string& records);
  void flush();  // write(2) buffered data, fsync when the policy says so

 private:
  void open();
  void rotate();
  void write_all(const char* data, std::size_t size);

  std::filesystem::path path_;
  RotationPolicy rotation_;
  SyncPolicy sync_;
  std::string header_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::chrono::system_clock::time_point opened_;
  std::string buffer_;
};

}  // namespace meterd::file_sink
