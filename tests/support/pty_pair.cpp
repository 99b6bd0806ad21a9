#include "pty_pair.hpp"

#include <fcntl.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "meterd/transport/serial_port.hpp"
#include "meterd/transport/serial_settings.hpp"

namespace meterd::test_support {

PtyPair::PtyPair(const std::filesystem::path& link) {
  char name[256] = {};
  if (::openpty(&master_, &slave_, name, nullptr, nullptr) != 0) throw std::runtime_error("openpty failed");
  slave_path_ = name;
  // A meterd started by the test must not inherit the line's ends: a child holding the
  // master would keep the line up after unplug().
  ::fcntl(master_, F_SETFD, FD_CLOEXEC);
  ::fcntl(slave_, F_SETFD, FD_CLOEXEC);
  transport::apply_serial_settings(slave_, transport::parse_serial_settings("2400 8E1"), slave_path_);
  if (!link.empty()) {
    std::filesystem::remove(link);
    std::filesystem::create_symlink(slave_path_, link);
  }
}

PtyPair::~PtyPair() { unplug(); }

void PtyPair::write(const std::vector<std::uint8_t>& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(master_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("write to pty master failed");
    done += static_cast<std::size_t>(n);
  }
}

void PtyPair::unplug() {
  if (master_ >= 0) ::close(master_);
  if (slave_ >= 0) ::close(slave_);
  master_ = slave_ = -1;
}

unsigned PtyPair::current_baud() const {
  termios t{};
  if (::tcgetattr(slave_, &t) != 0) throw std::runtime_error("tcgetattr on the pty failed");
  switch (::cfgetispeed(&t)) {
    case B2400: return 2400;
    case B9600: return 9600;
    case B115200: return 115200;
    default: return 0;
  }
}

}  // namespace meterd::test_support
