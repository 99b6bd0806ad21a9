#pragma once
// One append-only segment file of the queue, named by its sequence number so that the
// directory listing alone gives the order. Thin RAII wrapper over a POSIX descriptor.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace meterd::disk_queue {

// "0000000000000042.seg" for 42; std::nullopt for names that are not segments.
std::string segment_file_name(std::uint64_t sequence);
std::optional<std::uint64_t> parse_segment_file_name(std::string_view name);

class SegmentFile {
 public:
  // Opens (creating when missing) for reading and appending. Throws std::system_error.
  explicit SegmentFile(std::filesystem::path path);
  ~SegmentFile();
  SegmentFile(const SegmentFile&) = delete;
  SegmentFile& operator=(const SegmentFile&) = delete;
  SegmentFile(SegmentFile&& other) noexcept;
  SegmentFile& operator=(SegmentFile&& other) noexcept;

  const std::filesystem::path& path() const { return path_; }
  std::uint64_t size() const;
  // Writes header and payload with one system call so a crash leaves at most one torn frame.
  void append(std::string_view header, std::string_view payload);
  // Up to `length` bytes starting at `offset` (fewer at the end of the file).
  std::string read(std::uint64_t offset, std::uint64_t length) const;
  void truncate(std::uint64_t size);
  void sync();

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// Makes a rename or file creation in `directory` durable.
void sync_directory(const std::filesystem::path& directory);

}  // namespace meterd::disk_queue
