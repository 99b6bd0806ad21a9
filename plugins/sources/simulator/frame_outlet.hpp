#pragma once
// Where the simulator's CII frames go: a pseudo-terminal that looks like a USB M-Bus adapter,
// or TCP clients as a ser2net bridge would serve them.
#include <cstdint>
#include <span>
#include <string>

namespace meterd::simulator {

class FrameOutlet {
 public:
  virtual ~FrameOutlet() = default;
  // Writes without blocking; bytes nobody can take right now are dropped, as a meter's
  // line does not wait for a reader either. Returns the number of bytes taken.
  virtual std::size_t send(std::span<const std::uint8_t> bytes) = 0;
  // Housekeeping between pushes (accepting new clients).
  virtual void poll() {}
  // What a reader connects to: the terminal path or host:port.
  virtual std::string endpoint() const = 0;
};

}  // namespace meterd::simulator
