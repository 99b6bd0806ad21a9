#pragma once
// Opens the byte stream an instance is configured for. Kept apart from the source loop so the
// loop only deals with streams, whatever is behind them.
#include <memory>

#include "meterd/meter_source/line_settings.hpp"
#include "meterd/transport/byte_stream.hpp"

namespace meterd::meter_source {

// Opens serial (with `serial_preset`), tcp or replay. Throws transport::TransportError.
std::unique_ptr<transport::ByteStream> open_transport(const LineSettings& settings,
                                                      const transport::SerialSettings& serial_preset);

}  // namespace meterd::meter_source
