#pragma once
// Splits an SML file's payload into messages: list(6) {transactionId, groupNo, abortOnError,
// body {tag, content}, crc16, end-of-message 00}.
#include <cstdint>
#include <span>
#include <vector>

#include "meterd/decoded_message.hpp"
#include "sml_tl_reader.hpp"

namespace meterd::sml {

inline constexpr std::uint32_t kOpenResponse = 0x0101;
inline constexpr std::uint32_t kCloseResponse = 0x0201;
inline constexpr std::uint32_t kGetListResponse = 0x0701;

struct SmlMessage {
  std::uint32_t tag = 0;
  SmlNode body;  // the content of the message body
};

struct SmlFileContent {
  std::vector<SmlMessage> messages;  // those read before any structural error
  std::vector<DecoderDiagnostic> diagnostics;
  bool structure_ok = true;
};

SmlFileContent parse_sml_file(std::span<const std::uint8_t> payload);

}  // namespace meterd::sml
