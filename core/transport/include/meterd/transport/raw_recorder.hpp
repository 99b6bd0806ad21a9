#pragma once
// Appends the bytes exactly as received to a file, so a user can attach what the meter really
// sent to a bug report and anyone can replay it (`meterd decode FILE`, replay transport).
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace meterd::transport {

class RawRecorder {
 public:
  // Opens (creating, appending) `file`; creates missing parent folders. Throws TransportError.
  explicit RawRecorder(std::filesystem::path file);
  ~RawRecorder();
  RawRecorder(const RawRecorder&) = delete;
  RawRecorder& operator=(const RawRecorder&) = delete;

  // Writes all of `bytes`. Returns false (and remembers why) when the disk refuses; recording
  // is a debugging aid and must never stop the reading itself.
  bool append(std::span<const std::uint8_t> bytes);
  const std::string& last_error() const { return last_error_; }
  const std::filesystem::path& file() const { return file_; }
  std::uint64_t bytes_written() const { return written_; }

 private:
  std::filesystem::path file_;
  int fd_ = -1;
  std::uint64_t written_ = 0;
  std::string last_error_;
};

}  // namespace meterd::transport
