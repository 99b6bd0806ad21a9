#include "gzip.hpp"

#include <zlib.h>

#include <stdexcept>

namespace meterd::influx {

std::string gzip_compress(std::string_view data) {
  z_stream stream{};
  // windowBits 15 + 16 selects the gzip wrapper instead of raw zlib.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&stream, Z_FINISH);
  const auto written = stream.total_out;
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) throw std::runtime_error("zlib deflate failed");
  out.resize(written);
  return out;
}

}  // namespace meterd::influx
