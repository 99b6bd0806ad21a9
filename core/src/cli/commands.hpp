#pragma once
// The `meterd` command line: one function per subcommand. Each returns the exit status.
namespace meterd::cli {

// meterd [--config FILE | --check-config FILE | --list-plugins | --help-plugin NAME] ...
int main_command(int argc, char** argv);
// meterd decode [--key HEX32] [--auth-key HEX32] [--profile NAME] [--hex] [FILE|-]
int decode_command(int argc, char** argv);
// meterd import --config FILE PATH...
int import_command(int argc, char** argv);
// meterd keygen PREFIX
int keygen_command(int argc, char** argv);

}  // namespace meterd::cli
