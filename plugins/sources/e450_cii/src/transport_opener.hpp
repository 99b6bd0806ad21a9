#pragma once
// Opens the byte stream an instance is configured for. Kept apart from the source loop so the
// loop only deals with streams, whatever is behind them.
#include <memory>

#include "cii_settings.hpp"
#include "meterd/transport/byte_stream.hpp"

namespace meterd::e450_cii {

// Opens serial (with `serial_preset`), tcp or replay. Throws transport::TransportError.
std::unique_ptr<transport::ByteStream> open_transport(const CiiSettings& settings,
                                                      const transport::SerialSettings& serial_preset);

}  // namespace meterd::e450_cii
