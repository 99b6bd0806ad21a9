#include <iostream>

#include "commands.hpp"
#include "meterd/runtime/bus_keys.hpp"

namespace meterd::cli {

// Writes a CurveZMQ key pair for the link between hosts and prints the public key, which is
// what the other host's config needs.
int keygen_command(int argc, char** argv) {
  if (argc != 2 || argv[1][0] == '-') {
    std::cerr << "usage: meterd keygen PREFIX\n"
                 "Writes PREFIX.key (secret key, mode 0600: name it as [bus] secret_key on this host) and\n"
                 "PREFIX.pub (public key: give it to the other host as accept_key or server_key).\n"
                 "Example: meterd keygen /etc/meterd/bus\n";
    return argc == 2 && std::string(argv[1]) == "--help" ? 0 : 2;
  }
  try {
    const auto keys = generate_key_pair();
    write_key_pair(argv[1], keys);
    std::cout << "wrote " << argv[1] << ".key (secret, keep it on this host) and " << argv[1] << ".pub\n"
              << "public key: " << keys.public_key << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "meterd keygen: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace meterd::cli
