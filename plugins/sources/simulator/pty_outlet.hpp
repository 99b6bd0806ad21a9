#pragma once
// A pseudo-terminal standing in for an M-Bus slave adapter: the simulator writes to the master
// side, a reader opens the slave like /dev/ttyUSB0. The slave is put in raw mode at 2400 baud
// like a CII line (a pty neither enforces the rate nor keeps parity: Linux forces 8 bits
// without parity on pseudo-terminals) and kept open here, so readers may come and go without
// hanging up the terminal.
#include <filesystem>

#include "frame_outlet.hpp"

namespace meterd::simulator {

class PtyOutlet final : public FrameOutlet {
 public:
  // `link`: when not empty, a symlink to the slave created there (replacing an old one),
  // removed again on destruction. Throws std::runtime_error when no pty can be created.
  explicit PtyOutlet(std::filesystem::path link);
  ~PtyOutlet() override;
  PtyOutlet(const PtyOutlet&) = delete;
  PtyOutlet& operator=(const PtyOutlet&) = delete;

  std::size_t send(std::span<const std::uint8_t> bytes) override;
  std::string endpoint() const override { return slave_path_; }

 private:
  int master_ = -1, slave_ = -1;
  std::string slave_path_;
  std::filesystem::path link_;
};

}  // namespace meterd::simulator
