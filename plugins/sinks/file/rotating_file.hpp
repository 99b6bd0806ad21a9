#pragma once
// An append-only output file that rotates by size or age: the current file keeps its plain
// name and rotated files get the UTC time of rotation in theirs, so `tail -F` keeps working.
// I/O errors (disk full, folder missing or unwritable) never lose what was given to write():
// it stays in the buffer, and each flush() tries again, opening the file if it must.
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
  // Opens nothing yet: the file is opened by the first flush.
  RotatingFile(std::filesystem::path path, RotationPolicy rotation, SyncPolicy sync, std::string header);
  ~RotatingFile();
  RotatingFile(const RotatingFile&) = delete;
  RotatingFile& operator=(const RotatingFile&) = delete;

  // Appends whole records; rotates before a write that would cross the size limit. False
  // when a write that was due failed (the records are kept).
  bool write(const std::string& records);
  // write(2) buffered data, fsync when the policy says so. False on an I/O error, which
  // last_error() describes; the unwritten part stays buffered.
  bool flush();
  std::size_t buffered() const { return buffer_.size(); }
  const std::string& last_error() const { return error_; }

 private:
  bool open();
  bool rotate();
  bool fail(const std::string& what);

  std::filesystem::path path_;
  RotationPolicy rotation_;
  SyncPolicy sync_;
  std::string header_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::chrono::system_clock::time_point opened_;
  std::string buffer_;
  std::string error_;
  bool header_pending_ = false;  // a new, empty file needs the header first
};

}  // namespace meterd::file_sink
