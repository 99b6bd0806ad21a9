#include <iostream>

#include "commands.hpp"

namespace meterd::cli {

int decode_command(int, char**) {
  std::cerr << "meterd decode: no protocol decoders in this build\n";
  return 2;
}

}  // namespace meterd::cli
