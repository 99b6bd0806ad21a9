#include "meterd/meter_source/transport_opener.hpp"

#include "meterd/transport/capture_replay.hpp"
#include "meterd/transport/serial_port.hpp"
#include "meterd/transport/tcp_client.hpp"

namespace meterd::meter_source {

std::unique_ptr<transport::ByteStream> open_transport(const LineSettings& s, const transport::SerialSettings& preset) {
  switch (s.transport) {
    case TransportKind::serial:
      return std::make_unique<transport::SerialPort>(s.device, preset);
    case TransportKind::tcp:
      return std::make_unique<transport::TcpClient>(s.address, s.connect_timeout);
    case TransportKind::replay:
      return std::make_unique<transport::CaptureReplay>(transport::load_capture(s.replay_file, s.replay_format),
                                                        s.replay_rate, s.replay_file);
  }
  throw transport::TransportError("unknown transport");
}

}  // namespace meterd::meter_source
