#include "meterd/disk_queue/queue_cursor.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "meterd/disk_queue/segment_file.hpp"

namespace meterd::disk_queue {
namespace {

constexpr std::size_t kCursorBytes = 20;  // segment u64, offset u64, CRC-32 u32

void put_u64(unsigned char* out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<unsigned char>(v >> (8 * i));
}
std::uint64_t get_u64(const unsigned char* in) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | in[i];
  return v;
}
std::uint32_t crc_of(const unsigned char* data, std::size_t n) {
  return static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), data, static_cast<uInt>(n)));
}

}  // namespace

std::optional<QueuePosition> load_cursor(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::array<unsigned char, kCursorBytes + 1> bytes{};
  const ssize_t n = ::read(fd, bytes.data(), bytes.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(kCursorBytes)) return std::nullopt;
  std::uint32_t stored_crc = 0;
  for (int i = 3; i >= 0; --i) stored_crc = (stored_crc << 8) | bytes[16 + static_cast<std::size_t>(i)];
  if (crc_of(bytes.data(), 16) != stored_crc) return std::nullopt;
  return QueuePosition{get_u64(bytes.data()), get_u64(bytes.data() + 8)};
}

void store_cursor(const std::filesystem::path& file, const QueuePosition& position, bool durable) {
  std::array<unsigned char, kCursorBytes> bytes{};
  put_u64(bytes.data(), position.segment);
  put_u64(bytes.data() + 8, position.offset);
  const std::uint32_t crc = crc_of(bytes.data(), 16);
  for (int i = 0; i < 4; ++i) bytes[16 + static_cast<std::size_t>(i)] = static_cast<unsigned char>(crc >> (8 * i));

  const std::filesystem::path temp = file.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "cannot write queue cursor " + temp.string());
  const bool written = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  const int saved_errno = errno;
  const bool synced = !durable || ::fdatasync(fd) == 0;
  ::close(fd);
  if (!written || !synced) {
    throw std::system_error(written ? errno : saved_errno, std::generic_category(),
                            "cannot write queue cursor " + temp.string());
  }
  if (::rename(temp.c_str(), file.c_str()) != 0) {
    throw std::system_error(errno, std::generic_category(), "cannot replace queue cursor " + file.string());
  }
  if (durable) sync_directory(file.parent_path());
}

}  // namespace meterd::disk_queue
