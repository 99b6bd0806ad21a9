#include "meterd/disk_queue/segment_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <system_error>
#include <utility>

namespace meterd::disk_queue {
namespace {

[[noreturn]] void throw_errno(const std::string& what, const std::filesystem::path& path) {
  throw std::system_error(errno, std::generic_category(), what + " " + path.string());
}

constexpr std::string_view kSuffix = ".seg";
constexpr std::size_t kDigits = 16;

}  // namespace

std::string segment_file_name(std::uint64_t sequence) {
  char name[32];
  std::snprintf(name, sizeof name, "%016llu.seg", static_cast<unsigned long long>(sequence));
  return name;
}

std::optional<std::uint64_t> parse_segment_file_name(std::string_view name) {
  if (name.size() != kDigits + kSuffix.size() || !name.ends_with(kSuffix)) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + kDigits, value);
  if (ec != std::errc{} || end != name.data() + kDigits) return std::nullopt;
  return value;
}

SegmentFile::SegmentFile(std::filesystem::path path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_errno("cannot open queue segment", path_);
}

SegmentFile::~SegmentFile() {
  if (fd_ >= 0) ::close(fd_);
}

SegmentFile::SegmentFile(SegmentFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

SegmentFile& SegmentFile::operator=(SegmentFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

std::uint64_t SegmentFile::size() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) throw_errno("cannot stat queue segment", path_);
  return static_cast<std::uint64_t>(st.st_size);
}

void SegmentFile::append(std::string_view header, std::string_view payload) {
  iovec parts[2] = {{const_cast<char*>(header.data()), header.size()},
                    {const_cast<char*>(payload.data()), payload.size()}};
  const std::size_t total = header.size() + payload.size();
  const ssize_t written = ::writev(fd_, parts, 2);
  if (written < 0) throw_errno("cannot append to queue segment", path_);
  if (static_cast<std::size_t>(written) != total) {
    // A short write (disk full) leaves a torn frame; cut it off so the file stays parseable.
    const std::uint64_t end = size() - static_cast<std::uint64_t>(written);
    if (::ftruncate(fd_, static_cast<off_t>(end)) != 0) throw_errno("cannot truncate queue segment", path_);
    errno = ENOSPC;
    throw_errno("short write to queue segment", path_);
  }
}

std::string SegmentFile::read(std::uint64_t offset, std::uint64_t length) const {
  std::string buffer(length, '\0');
  std::uint64_t filled = 0;
  while (filled < length) {
    const ssize_t n = ::pread(fd_, buffer.data() + filled, length - filled, static_cast<off_t>(offset + filled));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot read queue segment", path_);
    }
    if (n == 0) break;
    filled += static_cast<std::uint64_t>(n);
  }
  buffer.resize(filled);
  return buffer;
}

void SegmentFile::truncate(std::uint64_t new_size) {
  if (::ftruncate(fd_, static_cast<off_t>(new_size)) != 0) throw_errno("cannot truncate queue segment", path_);
}

void SegmentFile::sync() {
  if (::fdatasync(fd_) != 0) throw_errno("cannot sync queue segment", path_);
}

void sync_directory(const std::filesystem::path& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_errno("cannot open queue directory", directory);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw_errno("cannot sync queue directory", directory);
}

}  // namespace meterd::disk_queue
