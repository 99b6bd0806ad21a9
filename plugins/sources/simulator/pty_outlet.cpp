#include "pty_outlet.hpp"

#include <fcntl.h>
#include <pty.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "meterd/transport/serial_port.hpp"

namespace meterd::simulator {

PtyOutlet::PtyOutlet(std::filesystem::path link) : link_(std::move(link)) {
  char name[256] = {};
  if (::openpty(&master_, &slave_, name, nullptr, nullptr) != 0)
    throw std::runtime_error(std::string("cannot create a pseudo-terminal: ") + std::strerror(errno));
  slave_path_ = name;
  try {
    // Raw mode matters beyond looks: with the default cooked mode the terminal would echo
    // every byte back into the master and translate CR/LF inside binary frames.
    transport::apply_serial_settings(slave_, transport::parse_serial_settings("2400 8E1"), slave_path_);
  } catch (...) {
    ::close(master_);
    ::close(slave_);
    throw;
  }
  ::fcntl(master_, F_SETFL, ::fcntl(master_, F_GETFL) | O_NONBLOCK);
  ::fcntl(master_, F_SETFD, FD_CLOEXEC);
  ::fcntl(slave_, F_SETFD, FD_CLOEXEC);
  if (!link_.empty()) {
    std::error_code ec;
    std::filesystem::remove(link_, ec);
    std::filesystem::create_symlink(slave_path_, link_, ec);
    if (ec) {
      ::close(master_);
      ::close(slave_);
      throw std::runtime_error("cannot create link " + link_.string() + " to " + slave_path_ + ": " + ec.message());
    }
  }
}

PtyOutlet::~PtyOutlet() {
  if (!link_.empty()) {
    std::error_code ec;
    // Only remove the link if it is still ours; another simulator may have replaced it.
    if (std::filesystem::is_symlink(link_, ec) && std::filesystem::read_symlink(link_, ec) == slave_path_)
      std::filesystem::remove(link_, ec);
  }
  ::close(master_);
  ::close(slave_);
}

std::size_t PtyOutlet::send(std::span<const std::uint8_t> bytes) {
  std::size_t taken = 0;
  while (taken < bytes.size()) {
    const ssize_t n = ::write(master_, bytes.data() + taken, bytes.size() - taken);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EAGAIN: the terminal's input queue is full because nobody reads
    taken += static_cast<std::size_t>(n);
  }
  return taken;
}

}  // namespace meterd::simulator
