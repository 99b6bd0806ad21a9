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
    : path_(std::move(path)), rotation_(rotation), sync_(sync), header_(std::move(header)) {}

RotatingFile::~RotatingFile() {
  flush();
  if (fd_ >= 0) ::close(fd_);
}

bool RotatingFile::fail(const std::string& what) {
  error_ = what + " " + path_.string() + ": " + std::strerror(errno) +
           (errno == ENOSPC ? " (the disk is full; free space: the records wait in memory and are written then)"
            : errno == EACCES || errno == EROFS
                ? " (make the folder writable for meterd: the records wait in memory and are written then)"
                : "");
  return false;
}

bool RotatingFile::open() {
  std::error_code ec;
  std::filesystem::create_directories(path_.parent_path(), ec);
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) return fail("cannot open for appending");
  struct stat st {};
  ::fstat(fd_, &st);
  size_ = static_cast<std::uint64_t>(st.st_size);
  opened_ = std::chrono::system_clock::now();
  header_pending_ = size_ == 0 && !header_.empty();
  return true;
}

bool RotatingFile::write(const std::string& records) {
  const bool too_big = fd_ >= 0 && rotation_.max_bytes && size_ + buffer_.size() + records.size() > rotation_.max_bytes &&
                       size_ + buffer_.size() > header_.size();
  const bool too_old = fd_ >= 0 && rotation_.max_age.count() && std::chrono::system_clock::now() - opened_ >= rotation_.max_age;
  bool ok = true;
  if (too_big || too_old) ok = rotate();
  buffer_ += records;
  if (sync_ == SyncPolicy::always || buffer_.size() >= (1u << 16)) ok = flush() && ok;
  return ok;
}

// Writes the buffer from the front; what was written leaves the buffer even when a later
// write fails, so nothing is written twice.
bool RotatingFile::flush() {
  if (buffer_.empty()) return true;
  if (fd_ < 0 && !open()) return false;
  if (header_pending_) {
    buffer_.insert(0, header_);
    header_pending_ = false;
  }
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      buffer_.erase(0, done);
      errno = saved;
      return fail("writing");
    }
    done += static_cast<std::size_t>(n);
    size_ += static_cast<std::uint64_t>(n);
  }
  buffer_.clear();
  if (sync_ != SyncPolicy::never && ::fsync(fd_) != 0) return fail("syncing");
  error_.clear();
  return true;
}

bool RotatingFile::rotate() {
  if (!flush()) return false;
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
  std::error_code ec;
  std::filesystem::rename(path_, rotated, ec);
  if (ec) {
    errno = ec.value();
    return fail("cannot rotate");
  }
  return open();
}

}  // namespace meterd::file_sink
