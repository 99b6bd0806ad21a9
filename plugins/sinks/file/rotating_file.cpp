#include "rotating_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "meterd/time_zone.hpp"

namespace meterd::file_sink {

SyncPolicy parse_sync_policy(const std::string& name) {
  if (name == "never") return SyncPolicy::never;
  if (name == "flush") return SyncPolicy::flush;
  if (name == "always") return SyncPolicy::always;
  throw std::invalid_argument("unknown fsync policy '" + name + "' (use never, flush or always)");
}

RotatingFile::RotatingFile(std::filesystem::path path, RotationPolicy rotation, SyncPolicy sync, std::string header)
    : path_(std::move(path)), rotation_(rotation), sync_(sync), header_(std::move(header)) {
  open();
}

RotatingFile::~RotatingFile() {
  try {
    flush();
  } catch (...) {
  }
  if (fd_ >= 0) ::close(fd_);
}

void RotatingFile::open() {
  std::filesystem::create_directories(path_.parent_path());
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw std::runtime_error("cannot open " + path_.string() + " for appending: " + std::strerror(errno) +
                             " (check the directory exists and is writable)");
  struct stat st {};
  ::fstat(fd_, &st);
  size_ = static_cast<std::uint64_t>(st.st_size);
  opened_ = std::chrono::system_clock::now();
  if (size_ == 0 && !header_.empty()) buffer_.insert(0, header_);
}

void RotatingFile::write(const std::string& records) {
  const bool too_big = rotation_.max_bytes && size_ + buffer_.size() + records.size() > rotation_.max_bytes &&
                       size_ + buffer_.size() > header_.size();
  const bool too_old = rotation_.max_age.count() && std::chrono::system_clock::now() - opened_ >= rotation_.max_age;
  if (too_big || too_old) rotate();
  buffer_ += records;
  if (sync_ == SyncPolicy::always || buffer_.size() >= (1u << 16)) flush();
}

void RotatingFile::write_all(const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd_, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("writing " + path_.string() + " failed: " + std::strerror(errno) +
                               (errno == ENOSPC ? " (the disk is full; free space, nothing buffered is lost yet)" : ""));
    }
    data += n;
    size -= static_cast<std::size_t>(n);
    size_ += static_cast<std::uint64_t>(n);
  }
}

void RotatingFile::flush() {
  if (fd_ < 0 || buffer_.empty()) return;
  write_all(buffer_.data(), buffer_.size());
  buffer_.clear();
  if (sync_ != SyncPolicy::never) ::fsync(fd_);
}

void RotatingFile::rotate() {
  flush();
  ::fsync(fd_);
  ::close(fd_);
  fd_ = -1;
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  CivilTime c = seconds_to_civil(ms / 1000);
  char stamp[48];
  std::snprintf(stamp, sizeof stamp, "-%04d%02d%02dT%02d%02d%02d.%03dZ", c.year, c.month, c.day, c.hour, c.minute,
                c.second, static_cast<int>(ms % 1000));
  auto rotated = path_;
  rotated.replace_filename(path_.stem().string() + stamp + path_.extension().string());
  std::filesystem::rename(path_, rotated);
  open();
}

}  // namespace meterd::file_sink
