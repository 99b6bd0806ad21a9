#pragma once
// gzip (RFC 1952) compression of request bodies; line protocol shrinks about tenfold.
#include <string>
#include <string_view>

namespace meterd::influx {

// Throws std::runtime_error if zlib fails (out of memory).
std::string gzip_compress(std::string_view data);

}  // namespace meterd::influx
