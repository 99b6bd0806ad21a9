#include "followed_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace meterd::csv_plugins {

FollowedFile::FollowedFile(std::string path, int fd, FileKey key, const csv_table::TableMapping& mapping,
                           std::shared_ptr<const TimeZone> zone, FileEvents& events, const SavedPosition* saved)
    : path_(std::move(path)),
      fd_(fd),
      key_(key),
      mapping_(mapping),
      zone_(std::move(zone)),
      events_(events),
      forwarder_(*this),
      reader_(std::make_unique<csv_table::TableReader>(mapping_, zone_)) {
  if (!saved) return;
  struct stat st {};
  const std::uint64_t hash = first_line_hash(fd_);
  if (::fstat(fd_, &st) == 0 && static_cast<std::uint64_t>(st.st_size) >= saved->position.offset &&
      saved->first_line_hash != 0 && hash == saved->first_line_hash) {
    reader_->restore(saved->position);
    read_offset_ = saved->position.offset;
    first_line_hash_ = hash;
  } else if (saved->position.offset > 0) {
    events_.notice(path_, "file_replaced",
                   "file changed while meterd was not running (shorter or a different first line); reading it "
                   "from the start");
  }
}

FollowedFile::~FollowedFile() { ::close(fd_); }

void FollowedFile::restart(std::string_view code, std::string_view why) {
  events_.notice(path_, code, std::string(why) + "; reading it from the start");
  reader_ = std::make_unique<csv_table::TableReader>(mapping_, zone_);
  read_offset_ = 0;
  first_line_hash_ = 0;
  dirty_ = true;
}

bool FollowedFile::read_available() {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    events_.notice(path_, "read_error", std::string("cannot stat: ") + std::strerror(errno));
    return false;
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size < read_offset_) {
    restart("file_truncated", "file was truncated");
  } else if (first_line_hash_ != 0 && first_line_hash(fd_) != first_line_hash_) {
    restart("file_replaced", "file's first line changed (replaced in place)");
  }
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::pread(fd_, buffer, sizeof buffer, static_cast<off_t>(read_offset_));
    if (n < 0) {
      if (errno == EINTR) continue;
      events_.notice(path_, "read_error", std::string("cannot read: ") + std::strerror(errno));
      return false;
    }
    if (n == 0) break;
    read_offset_ += static_cast<std::uint64_t>(n);
    const auto before = reader_->position().lines;
    reader_->feed(std::string_view(buffer, static_cast<std::size_t>(n)), forwarder_);
    if (reader_->position().lines != before) dirty_ = true;
    if (first_line_hash_ == 0 && reader_->position().lines > 0) first_line_hash_ = first_line_hash(fd_);
  }
  return true;
}

SavedPosition FollowedFile::saved_position() const {
  return SavedPosition{key_, reader_->position(), first_line_hash_, path_};
}

bool FollowedFile::take_dirty() {
  const bool was = dirty_;
  dirty_ = false;
  return was;
}

}  // namespace meterd::csv_plugins
