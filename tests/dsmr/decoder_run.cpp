#include "decoder_run.hpp"

#include <algorithm>

namespace meterd::testing {

bool DecoderRun::has_diagnostic(const std::string& code) const { return count(code) > 0; }

std::size_t DecoderRun::count(const std::string& code) const {
  return static_cast<std::size_t>(
      std::count_if(diagnostics.begin(), diagnostics.end(), [&](const auto& d) { return d.code == code; }));
}

std::string DecoderRun::transcript() const {
  std::string s;
  for (const auto& m : messages) s += to_json_line(m) + "\n";
  for (const auto& d : diagnostics) s += std::string(severity_name(d.severity)) + " " + d.code + ": " + d.message + "\n";
  return s;
}

namespace {

void attach(StreamDecoder& decoder, DecoderRun& run) {
  decoder.on_message([&run](DecodedMessage&& m) { run.messages.push_back(std::move(m)); });
  decoder.on_diagnostic([&run](DecoderDiagnostic&& d) { run.diagnostics.push_back(std::move(d)); });
}

}  // namespace

DecoderRun run_decoder(StreamDecoder& decoder, std::span<const std::uint8_t> bytes, std::size_t chunk) {
  DecoderRun run;
  attach(decoder, run);
  if (chunk == 0) chunk = bytes.size() ? bytes.size() : 1;
  for (std::size_t at = 0; at < bytes.size(); at += chunk) decoder.feed(bytes.subspan(at, std::min(chunk, bytes.size() - at)));
  decoder.finish();
  return run;
}

DecoderRun run_split(StreamDecoder& decoder, std::span<const std::uint8_t> bytes, std::size_t split) {
  DecoderRun run;
  attach(decoder, run);
  decoder.feed(bytes.first(split));
  decoder.feed(bytes.subspan(split));
  decoder.finish();
  return run;
}

std::vector<std::uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

}  // namespace meterd::testing
