// Decoder throughput on one core: a stream of E450 CII pushes (VSE 2026 list, GBT over HDLC),
// plain and AES-GCM encrypted with tag verification, built by the library's encoder; the same
// pushes without their link layer (information fields, bare APDUs); and with the --explain
// step sink attached. Prints messages/s and MB/s (input bytes), median of several repetitions.
#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "meterd/dlms/bare_units.hpp"
#include "meterd/dlms/dlms_stream_decoder.hpp"
#include "meterd/dlms/e450_push_encoder.hpp"
#include "meterd/dlms/link_frame_scanner.hpp"
#include "meterd/dlms/reassembly.hpp"

namespace {

// CPU time of this thread: the machine is shared, so wall time would measure the neighbours.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

using meterd::dlms::E450EncoderOptions;
using meterd::dlms::E450Push;
using meterd::dlms::E450PushEncoder;

struct Result {
  double messages_per_s;
  double mb_per_s;
};

std::vector<std::uint8_t> build_stream(const E450EncoderOptions& options, int pushes) {
  E450PushEncoder encoder(options);
  std::vector<std::uint8_t> stream;
  for (int k = 1; k <= pushes; ++k) {
    meterd::dlms::E450Readings r;
    r.clock.year = 2026, r.clock.month = 5, r.clock.day = 4, r.clock.hour = 11, r.clock.minute = k % 60,
    r.clock.second = k % 60;
    r.clock.status = 0x81;
    r.active_energy_import_wh = 482939u + static_cast<std::uint32_t>(k);
    r.active_power_import_w = static_cast<std::uint32_t>(k % 5000);
    r.voltage_v[0] = r.voltage_v[1] = r.voltage_v[2] = 231;
    r.current_centiamp[0] = static_cast<std::uint16_t>(k % 3000);
    E450Push push;
    push.invoke_id = static_cast<std::uint32_t>(k);
    push.frame_counter = static_cast<std::uint32_t>(k);
    push.items = meterd::dlms::vse2026_e450_items(r);
    const auto wire = encoder.encode(push);
    stream.insert(stream.end(), wire.begin(), wire.end());
  }
  return stream;
}

// What a gateway that strips the link layer passes on: every HDLC information field (LLC + GBT
// block), or only the reassembled APDUs (`whole_apdus`).
std::vector<std::uint8_t> without_link_layer(const std::vector<std::uint8_t>& stream, bool whole_apdus) {
  meterd::dlms::LinkFrameScanner scanner;
  scanner.append(stream);
  std::vector<std::uint8_t> out;
  while (auto e = scanner.next(true)) {
    if (e->kind != meterd::dlms::LinkFrameScanner::Kind::hdlc) continue;
    const auto info = e->hdlc.info;
    if (!whole_apdus) {
      out.insert(out.end(), info.begin(), info.end());
      continue;
    }
    // Only the first frame of a block transfer carries the LLC header.
    const auto block = meterd::dlms::parse_gbt_block(meterd::dlms::starts_with_llc(info) ? info.subspan(3) : info);
    if (block) out.insert(out.end(), block->data.begin(), block->data.end());
  }
  return out;
}

Result measure(const meterd::dlms::DlmsConfig& config, const std::vector<std::uint8_t>& stream, int pushes,
               int repetitions, bool explain = false) {
  std::vector<double> seconds;
  for (int rep = 0; rep < repetitions; ++rep) {
    meterd::dlms::DlmsStreamDecoder decoder(config);
    std::size_t messages = 0, explained = 0;
    decoder.on_message([&](meterd::DecodedMessage&&) { ++messages; });
    if (explain) decoder.on_explain([&](meterd::dlms::ExplainStep&& s) { explained += s.fields.size(); });
    // Serial reads deliver small chunks; 256 bytes is generous for 2400 baud yet realistic for files.
    constexpr std::size_t kChunk = 256;
    const double start = thread_cpu_seconds();
    for (std::size_t pos = 0; pos < stream.size(); pos += kChunk)
      decoder.feed(std::span<const std::uint8_t>(stream).subspan(pos, std::min(kChunk, stream.size() - pos)));
    decoder.finish();
    const double stop = thread_cpu_seconds();
    if (messages != static_cast<std::size_t>(pushes) || (explain && explained == 0)) {
      std::fprintf(stderr, "decoded %zu of %d pushes\n", messages, pushes);
      std::exit(1);
    }
    seconds.push_back(stop - start);
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  return {pushes / median, static_cast<double>(stream.size()) / median / 1e6};
}

}  // namespace

int main(int argc, char** argv) {
  const int pushes = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int repetitions = argc > 2 ? std::atoi(argv[2]) : 7;
  const auto ek = meterd::dlms::parse_aes_key("000102030405060708090A0B0C0D0E0F");
  const auto ak = meterd::dlms::parse_aes_key("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");

  E450EncoderOptions plain_options;
  E450EncoderOptions encrypted_options;
  encrypted_options.encryption_key = ek;
  encrypted_options.authentication_key = ak;
  const auto plain = build_stream(plain_options, pushes);
  const auto encrypted = build_stream(encrypted_options, pushes);

  meterd::dlms::DlmsConfig plain_config;
  meterd::dlms::DlmsConfig ctr_config;
  ctr_config.encryption_key = ek;
  meterd::dlms::DlmsConfig gcm_config = ctr_config;
  gcm_config.authentication_key = ak;

  std::printf("%-34s %10s %10s %12s %8s\n", "case", "push bytes", "pushes", "messages/s", "MB/s");
  auto row = [&](const char* name, const meterd::dlms::DlmsConfig& c, const std::vector<std::uint8_t>& s,
                 bool explain = false) {
    const Result r = measure(c, s, pushes, repetitions, explain);
    std::printf("%-34s %10zu %10d %12.0f %8.1f\n", name, s.size() / static_cast<std::size_t>(pushes), pushes,
                r.messages_per_s, r.mb_per_s);
  };
  row("E450 plain (GBT/HDLC)", plain_config, plain);
  row("E450 encrypted, EK only (CTR)", ctr_config, encrypted);
  row("E450 encrypted, EK+AK (GCM tag)", gcm_config, encrypted);
  row("E450 plain, LLC + GBT blocks", plain_config, without_link_layer(plain, false));
  row("E450 plain, bare data-notification", plain_config, without_link_layer(plain, true));
  row("E450 plain (GBT/HDLC), explain steps", plain_config, plain, true);
  row("bare data-notification, explain", plain_config, without_link_layer(plain, true), true);
  std::printf("median of %d repetitions, thread CPU time, one thread, 256-byte feeds\n", repetitions);
  return 0;
}
