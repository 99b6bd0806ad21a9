#include "meterd/transport/raw_recorder.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "file_descriptor.hpp"
#include "meterd/transport/byte_stream.hpp"

namespace meterd::transport {

RawRecorder::RawRecorder(std::filesystem::path file) : file_(std::move(file)) {
  std::error_code ec;
  if (file_.has_parent_path()) std::filesystem::create_directories(file_.parent_path(), ec);
  fd_ = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw TransportError(detail::errno_text("open recording " + file_.string()));
}

RawRecorder::~RawRecorder() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawRecorder::append(std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      last_error_ = detail::errno_text("write recording " + file_.string());
      return false;
    }
    written_ += static_cast<std::uint64_t>(n);
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace meterd::transport
