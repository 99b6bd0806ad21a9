#include "meterd/meter_source/stop_signal.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <functional>
#include <system_error>

namespace meterd::meter_source {

StopSignal::StopSignal(const std::stop_token& stop) : stop_(stop) {
  fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  // Runs at once if stop was already requested.
  on_stop_.emplace(stop_, std::function<void()>([fd = fd_] {
                     const std::uint64_t one = 1;
                     [[maybe_unused]] const auto n = ::write(fd, &one, sizeof one);
                   }));
}

StopSignal::~StopSignal() {
  on_stop_.reset();  // no callback may write to the descriptor after it is closed
  ::close(fd_);
}

bool StopSignal::sleep_for(std::chrono::milliseconds delay) const {
  const auto until = std::chrono::steady_clock::now() + delay;
  while (!stop_.stop_requested()) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return true;
    pollfd p{fd_, POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(left.count()));  // EINTR: look again
  }
  return false;
}

}  // namespace meterd::meter_source
