#pragma once
// Runs a StreamDecoder over bytes in a given chunking and records everything it reports.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "meterd/stream_decoder.hpp"

namespace meterd::testing {

struct DecoderRun {
  std::vector<DecodedMessage> messages;
  std::vector<DecoderDiagnostic> diagnostics;
  bool has_diagnostic(const std::string& code) const;
  std::size_t count(const std::string& code) const;
  // Messages as JSON lines plus diagnostics, for comparing runs byte for byte.
  std::string transcript() const;
};

// Feeds `bytes` in pieces of `chunk` bytes (0 = all at once), then calls finish().
DecoderRun run_decoder(StreamDecoder& decoder, std::span<const std::uint8_t> bytes, std::size_t chunk = 0);
// Feeds bytes split at one position.
DecoderRun run_split(StreamDecoder& decoder, std::span<const std::uint8_t> bytes, std::size_t split);

std::vector<std::uint8_t> bytes_of(const std::string& s);

}  // namespace meterd::testing
