// bench_p1: telegrams/s and MB/s of DsmrStreamDecoder and SmlStreamDecoder on one core.
// Inputs are built here (a DSMR 5 telegram with a valid CRC, an SML file with a valid CRC),
// repeated into a stream, and fed in 4 KiB reads like a serial reader would. Prints the
// median of the repetitions.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "meterd/crc16.hpp"
#include "meterd/dsmr/dsmr_stream_decoder.hpp"
#include "meterd/sml/sml_stream_decoder.hpp"

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes dsmr_telegram() {
  std::string t =
      "/ISk5\\2MT382-1000\r\n\r\n1-3:0.2.8(50)\r\n0-0:1.0.0(230315120000W)\r\n"
      "0-0:96.1.1(4B384547303034303436333935353037)\r\n1-0:1.8.1(001234.567*kWh)\r\n"
      "1-0:1.8.2(000002.399*kWh)\r\n1-0:2.8.1(000002.444*kWh)\r\n1-0:2.8.2(000000.000*kWh)\r\n"
      "0-0:96.14.0(0002)\r\n1-0:1.7.0(00.244*kW)\r\n1-0:2.7.0(00.000*kW)\r\n0-0:96.7.21(00013)\r\n"
      "0-0:96.7.9(00000)\r\n1-0:99.97.0(1)(0-0:96.7.19)(101208152415W)(0000000240*s)\r\n"
      "1-0:32.32.0(00000)\r\n1-0:32.36.0(00000)\r\n0-0:96.13.0()\r\n1-0:32.7.0(230.1*V)\r\n"
      "1-0:52.7.0(229.8*V)\r\n1-0:72.7.0(231.0*V)\r\n1-0:31.7.0(001*A)\r\n1-0:51.7.0(002*A)\r\n"
      "1-0:71.7.0(000*A)\r\n1-0:21.7.0(00.070*kW)\r\n1-0:41.7.0(00.032*kW)\r\n1-0:61.7.0(00.142*kW)\r\n"
      "1-0:22.7.0(00.000*kW)\r\n1-0:42.7.0(00.000*kW)\r\n1-0:62.7.0(00.000*kW)\r\n0-1:24.1.0(003)\r\n"
      "0-1:96.1.0(3232323241424344313233343536373839)\r\n0-1:24.2.1(230315115500W)(00042.107*m3)\r\n!";
  char crc[8];
  std::snprintf(crc, sizeof crc, "%04X\r\n", meterd::crc16_arc({reinterpret_cast<const std::uint8_t*>(t.data()), t.size()}));
  t += crc;
  return Bytes(t.begin(), t.end());
}

// An SML file shaped like a DZG household meter push: Open.Res, GetList.Res with five
// entries, Close.Res; message CRCs and transport CRC computed here.
Bytes sml_file() {
  const auto with_msg_crc = [](Bytes m) {
    const std::uint16_t crc = meterd::crc16_x25(m);
    m.insert(m.end(), {0x63, static_cast<std::uint8_t>(crc & 0xFF), static_cast<std::uint8_t>(crc >> 8), 0x00});
    return m;
  };
  const Bytes server = {0x0B, 0x0A, 0x01, 'D', 'Z', 'G', 0x00, 0x02, 0x82, 0x22, 0x5E};
  Bytes open = {0x76, 0x02, 0x01, 0x62, 0x00, 0x62, 0x00, 0x72, 0x63, 0x01, 0x01, 0x76, 0x01, 0x01, 0x02, 0x31};
  open.insert(open.end(), server.begin(), server.end());
  open.insert(open.end(), {0x72, 0x62, 0x01, 0x65, 0x05, 0xE7, 0x48, 0xD7, 0x62, 0x02});
  Bytes list = {0x76, 0x02, 0x02, 0x62, 0x00, 0x62, 0x00, 0x72, 0x63, 0x07, 0x01, 0x77, 0x01};
  list.insert(list.end(), server.begin(), server.end());
  list.insert(list.end(), {0x07, 0x01, 0x00, 0x62, 0x0A, 0xFF, 0xFF, 0x72, 0x62, 0x01, 0x65, 0x05, 0xE7, 0x48, 0xD7, 0x75});
  const Bytes entries[] = {
      {0x77, 0x07, 0x01, 0x00, 0x60, 0x32, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x04, 'D', 'Z', 'G', 0x01},
      {0x77, 0x07, 0x01, 0x00, 0x01, 0x08, 0x00, 0xFF, 0x01, 0x01, 0x62, 0x1E, 0x52, 0xFF, 0x65, 0x03, 0x3C, 0x93, 0x89, 0x01},
      {0x77, 0x07, 0x01, 0x00, 0x02, 0x08, 0x00, 0xFF, 0x01, 0x01, 0x62, 0x1E, 0x52, 0xFF, 0x65, 0x0F, 0xA4, 0x9A, 0x9E, 0x01},
      {0x77, 0x07, 0x01, 0x00, 0x10, 0x07, 0x00, 0xFF, 0x01, 0x01, 0x62, 0x1B, 0x52, 0xFE, 0x53, 0x54, 0x5F, 0x01},
      {0x77, 0x07, 0x01, 0x00, 0x20, 0x07, 0x00, 0xFF, 0x01, 0x01, 0x62, 0x23, 0x52, 0xFF, 0x63, 0x08, 0xFD, 0x01},
  };
  for (const auto& e : entries) list.insert(list.end(), e.begin(), e.end());
  list.insert(list.end(), {0x01, 0x01});
  Bytes close = {0x76, 0x02, 0x03, 0x62, 0x00, 0x62, 0x00, 0x72, 0x63, 0x02, 0x01, 0x71, 0x01};
  Bytes payload;
  for (const auto& m : {with_msg_crc(open), with_msg_crc(list), with_msg_crc(close)}) payload.insert(payload.end(), m.begin(), m.end());
  const std::uint8_t pad = static_cast<std::uint8_t>((4 - payload.size() % 4) % 4);
  payload.insert(payload.end(), pad, 0x00);
  Bytes file = {0x1B, 0x1B, 0x1B, 0x1B, 0x01, 0x01, 0x01, 0x01};
  file.insert(file.end(), payload.begin(), payload.end());
  file.insert(file.end(), {0x1B, 0x1B, 0x1B, 0x1B, 0x1A, pad});
  const std::uint16_t crc = meterd::crc16_x25(file);
  file.insert(file.end(), {static_cast<std::uint8_t>(crc & 0xFF), static_cast<std::uint8_t>(crc >> 8)});
  return file;
}

struct Result {
  double seconds;
  std::uint64_t messages;
};

template <typename Decoder>
Result run_once(const Bytes& stream) {
  Decoder decoder;
  std::uint64_t values = 0;
  decoder.on_message([&](meterd::DecodedMessage&& m) { values += m.values.size(); });
  const auto start = std::chrono::steady_clock::now();
  constexpr std::size_t kRead = 4096;
  for (std::size_t at = 0; at < stream.size(); at += kRead)
    decoder.feed(std::span<const std::uint8_t>(stream).subspan(at, std::min(kRead, stream.size() - at)));
  decoder.finish();
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  if (values == 0) std::fprintf(stderr, "benchmark input did not decode\n");
  return {took.count(), decoder.counters().messages};
}

template <typename Decoder>
void bench(const char* name, const Bytes& unit, std::size_t copies, int repetitions) {
  Bytes stream;
  stream.reserve(unit.size() * copies);
  for (std::size_t i = 0; i < copies; ++i) stream.insert(stream.end(), unit.begin(), unit.end());
  std::vector<double> rates;
  std::uint64_t messages = 0;
  for (int r = 0; r < repetitions; ++r) {
    const Result res = run_once<Decoder>(stream);
    messages = res.messages;
    rates.push_back(res.seconds);
  }
  std::sort(rates.begin(), rates.end());
  const double median = rates[rates.size() / 2];
  std::printf("%-5s %5zu B/message  %8llu messages  median %.3f s  %10.0f messages/s  %7.1f MB/s\n", name, unit.size(),
              static_cast<unsigned long long>(messages), median, static_cast<double>(messages) / median,
              static_cast<double>(stream.size()) / median / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
  const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
  bench<meterd::dsmr::DsmrStreamDecoder>("dsmr", dsmr_telegram(), 20000, repetitions);
  bench<meterd::sml::SmlStreamDecoder>("sml", sml_file(), 50000, repetitions);
  return 0;
}
