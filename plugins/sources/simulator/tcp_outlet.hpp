#pragma once
// A listening socket that serves the simulator's frames to every connected client, the way
// ser2net serves a meter's serial line. Clients that cannot keep up or hang up are dropped.
#include <string>
#include <vector>

#include "frame_outlet.hpp"

namespace meterd::simulator {

class TcpOutlet final : public FrameOutlet {
 public:
  // `listen` is host:port; port 0 picks a free one (see endpoint()). When `port_file` is not
  // empty, "host:port" is written there for readers to find. Throws std::runtime_error.
  TcpOutlet(const std::string& listen, const std::string& port_file);
  ~TcpOutlet() override;
  TcpOutlet(const TcpOutlet&) = delete;
  TcpOutlet& operator=(const TcpOutlet&) = delete;

  std::size_t send(std::span<const std::uint8_t> bytes) override;
  void poll() override;
  std::string endpoint() const override { return endpoint_; }
  std::size_t clients() const { return clients_.size(); }

 private:
  int listener_ = -1;
  std::vector<int> clients_;
  std::string endpoint_;
  std::string port_file_;
};

}  // namespace meterd::simulator
