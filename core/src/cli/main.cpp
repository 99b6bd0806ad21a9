#include <cstring>
#include <iostream>

#include "commands.hpp"
#include "meterd/runtime/memory_release.hpp"

int main(int argc, char** argv) {
  meterd::configure_malloc();
  if (argc >= 2 && std::strcmp(argv[1], "decode") == 0) return meterd::cli::decode_command(argc - 1, argv + 1);
  if (argc >= 2 && std::strcmp(argv[1], "import") == 0) return meterd::cli::import_command(argc - 1, argv + 1);
  if (argc >= 2 && std::strcmp(argv[1], "keygen") == 0) return meterd::cli::keygen_command(argc - 1, argv + 1);
  return meterd::cli::main_command(argc, argv);
}
