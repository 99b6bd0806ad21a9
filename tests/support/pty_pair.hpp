#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace meterd::test_support {

// openpty with the slave in raw 2400 8E1 and, optionally, a symlink to the slave at `link`
// (replaced if present), like /dev/serial/by-id names pointing at /dev/ttyUSBn.
class PtyPair {
 public:
  explicit PtyPair(const std::filesystem::path& link = {});
  ~PtyPair();
  PtyPair(const PtyPair&) = delete;
  PtyPair& operator=(const PtyPair&) = delete;

  // Writes everything (blocking), as the meter side of the line.
  void write(const std::vector<std::uint8_t>& bytes);
  // Closes both ends held here: the reader sees the line go away as on an unplug.
  void unplug();
  const std::string& slave_path() const { return slave_path_; }
  // The baud rate currently set on the terminal (by whoever configured it last). Only the
  // rate: Linux forces every pseudo-terminal to 8 bits without parity whatever is asked for.
  unsigned current_baud() const;

 private:
  int master_ = -1, slave_ = -1;
  std::string slave_path_;
};

}  // namespace meterd::test_support
