#include "meterd/transport/serial_port.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

#include "file_descriptor.hpp"

namespace meterd::transport {
namespace {

speed_t speed_constant(unsigned baud) {
  switch (baud) {
    case 300: return B300;
    case 1200: return B1200;
    case 2400: return B2400;
    case 4800: return B4800;
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    default: throw TransportError("unsupported baud rate " + std::to_string(baud));
  }
}

// Unix98 pseudo-terminal slaves (/dev/pts/N) use majors 136 to 143.
bool is_pseudo_terminal(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) >= 136 && major(st.st_rdev) <= 143;
}

}  // namespace

void apply_serial_settings(int fd, const SerialSettings& s, const std::string& what) {
  termios t{};
  if (::tcgetattr(fd, &t) != 0) throw TransportError(detail::errno_text(what + " is not a serial device (tcgetattr)"));
  ::cfmakeraw(&t);
  t.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
  t.c_cflag |= (s.data_bits == 7 ? CS7 : CS8) | CREAD | CLOCAL;
  if (s.parity != Parity::none) t.c_cflag |= PARENB;
  if (s.parity == Parity::odd) t.c_cflag |= PARODD;
  if (s.stop_bits == 2) t.c_cflag |= CSTOPB;
  // Bytes with parity errors are dropped by the driver rather than passed on as garbage the
  // decoder would have to skip; the decoder's checksums catch whatever slips through.
  t.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY | PARMRK);
  if (s.parity != Parity::none) t.c_iflag |= INPCK | IGNPAR;
  // Non-canonical, poll() does the waiting: return as soon as one byte is there.
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  const speed_t speed = speed_constant(s.baud);
  ::cfsetispeed(&t, speed);
  ::cfsetospeed(&t, speed);
  if (::tcsetattr(fd, TCSANOW, &t) == 0) return;
  // A pseudo-terminal (simulator, socat, test rigs) has no line to put parity on; some kernels
  // refuse the request rather than ignore it. Keep the rate and go without parity there.
  if (errno == EINVAL && is_pseudo_terminal(fd)) {
    t.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | PARODD);
    t.c_cflag |= CS8;
    t.c_iflag &= ~static_cast<tcflag_t>(INPCK | IGNPAR);
    if (::tcsetattr(fd, TCSANOW, &t) == 0) return;
  }
  throw TransportError(detail::errno_text("configure " + what + " as " + s.name()));
}

SerialPort::SerialPort(std::string device, const SerialSettings& settings)
    : device_(std::move(device)), settings_(settings) {
  // O_NOCTTY: a meter adapter must never become the controlling terminal of the daemon.
  fd_ = ::open(device_.c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) throw TransportError(detail::errno_text("open " + device_));
  try {
    apply_serial_settings(fd_, settings_, device_);
  } catch (...) {
    ::close(fd_);
    throw;
  }
  ::tcflush(fd_, TCIFLUSH);
}

SerialPort::~SerialPort() {
  if (fd_ >= 0) ::close(fd_);
}

void SerialPort::reconfigure(const SerialSettings& settings) {
  apply_serial_settings(fd_, settings, device_);
  settings_ = settings;
  ::tcflush(fd_, TCIFLUSH);
}

ReadResult SerialPort::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
  return detail::read_with_timeout(fd_, buffer, timeout, device_);
}

std::string SerialPort::description() const { return "serial " + device_ + " " + settings_.name(); }

}  // namespace meterd::transport
