#include "meterd/dsmr/dsmr_stream_decoder.hpp"

#include <stdexcept>

#include "dsmr_key.hpp"
#include "dsmr_telegram_parser.hpp"
#include "dsmr_telegram_reader.hpp"
#include "smarty_envelope.hpp"

namespace meterd::dsmr {

class DsmrStreamDecoder::Impl final : public DsmrTelegramReader::Listener {
 public:
  Impl(DsmrStreamDecoder& owner, DsmrDecoderConfig config)
      : owner_(owner), config_(std::move(config)), reader_(*this, config_.max_telegram_bytes) {
    if (config_.max_telegram_bytes < 16) throw std::invalid_argument("max_telegram_bytes must be at least 16");
    zone_ = TimeZone::load(config_.time_zone);
    keys_.encryption = parse_aes128_key(config_.encryption_key, "DSMR encryption key");
    const auto ak = parse_aes128_key(config_.authentication_key, "DSMR authentication key");
    if (!ak) throw std::invalid_argument("DSMR authentication key must not be empty");
    keys_.authentication = *ak;
  }

  void feed(std::span<const std::uint8_t> bytes) { reader_.push(bytes); }
  void finish() { reader_.finish(); }

  void on_telegram(std::span<const std::uint8_t> telegram) override {
    deliver(parse_telegram(telegram, options(false)), telegram.size(), std::nullopt);
  }

  void on_envelope(std::span<const std::uint8_t> envelope) override {
    auto opened = open_smarty_envelope(envelope, keys_);
    if (opened.status == EnvelopeStatus::authenticated || opened.status == EnvelopeStatus::decrypted) {
      envelope_problem_reported_ = false;
      if (opened.status == EnvelopeStatus::decrypted && !unauthenticated_reported_) {
        unauthenticated_reported_ = true;
        report(Severity::info, "not_authenticated", "envelope without GCM tag: decrypted, not authenticated");
      }
      auto parsed = parse_telegram(opened.plaintext, options(opened.status == EnvelopeStatus::authenticated));
      deliver(std::move(parsed), envelope.size(), opened.frame_counter);
      return;
    }
    ++counters().errors;
    count_without_telegram(envelope.size());
    if (envelope_problem_reported_ && opened.status != EnvelopeStatus::malformed) return;  // once per run
    envelope_problem_reported_ = true;
    report_envelope_problem(opened);
  }

  void on_dropped(DropReason reason, std::size_t bytes) override {
    ++counters().frames_bad;
    count_without_telegram(bytes);
    switch (reason) {
      case DropReason::oversize:
        return report(Severity::error, "oversize",
                      "telegram longer than " + std::to_string(config_.max_telegram_bytes) +
                          " bytes without an end line; dropped, resynchronising on the next '/'");
      case DropReason::cut:
        return report(Severity::warning, "truncated",
                      "telegram cut off by the start of the next one after " + std::to_string(bytes) + " bytes; dropped");
      case DropReason::truncated:
        return report(Severity::warning, "truncated",
                      "input ended inside a telegram after " + std::to_string(bytes) + " bytes; dropped");
    }
  }

  void on_garbage(std::uint8_t byte) override {
    ++counters().garbage_bytes;
    if (byte & 0x80) ++high_bit_bytes_;
    count_without_telegram(1);
  }

 private:
  DecoderCounters& counters() { return owner_.counters_; }

  TelegramParseOptions options(bool authenticated) const {
    return TelegramParseOptions{zone_.get(), config_.hex_decode_ids, authenticated};
  }

  void report(Severity s, std::string code, std::string message) {
    owner_.report(DecoderDiagnostic{s, std::move(code), std::move(message)});
  }

  void deliver(ParsedTelegram parsed, std::size_t wire_bytes, std::optional<std::uint32_t> frame_counter) {
    for (auto& d : parsed.diagnostics) owner_.report(std::move(d));
    if (!parsed.message) {
      ++counters().frames_bad;
      count_without_telegram(wire_bytes);
      return;
    }
    ++counters().frames_ok;
    ++counters().messages;
    bytes_without_telegram_ = 0;
    high_bit_bytes_ = 0;
    no_telegram_reported_ = false;
    parsed.message->frame_counter = frame_counter;
    owner_.emit(std::move(*parsed.message));
  }

  // Bytes arrive but nothing decodes: almost always the wrong serial settings or a P1 signal
  // that is not inverted. Said once until a telegram decodes again.
  void count_without_telegram(std::size_t bytes) {
    bytes_without_telegram_ += bytes;
    if (no_telegram_reported_ || bytes_without_telegram_ < config_.no_telegram_report_bytes) return;
    no_telegram_reported_ = true;
    std::string msg = std::to_string(bytes_without_telegram_) +
                      " bytes received without a valid DSMR telegram: check the serial settings (115200 8N1 for "
                      "DSMR 4/5, e-MUCS and Smarty; 9600 7E1 for DSMR 2.2/3) and that the P1 data signal is inverted";
    if (high_bit_bytes_ * 4 >= bytes_without_telegram_)
      msg += "; many bytes have the top bit set, as when 7E1 data is read as 8N1";
    report(Severity::warning, "no_telegram", std::move(msg));
  }

  void report_envelope_problem(const EnvelopeResult& r) {
    const std::string where = " (system title " + r.system_title + ", frame counter " + std::to_string(r.frame_counter) + ")";
    switch (r.status) {
      case EnvelopeStatus::no_key:
        return report(Severity::error, "no_key",
                      "meter sends encrypted telegrams (Smarty envelope)" + where +
                          ": configure the encryption key issued by the grid operator");
      case EnvelopeStatus::wrong_key:
        return report(Severity::error, "wrong_key",
                      "decryption does not yield a telegram: the encryption key is wrong" + where);
      case EnvelopeStatus::authentication_failed:
        return report(Severity::error, "authentication_failed",
                      "telegram decrypted but the GCM tag does not verify: authentication key wrong or data "
                      "corrupted; dropped" + where);
      default:
        return report(Severity::error, "bad_envelope", "encrypted envelope with inconsistent header" + where);
    }
  }

  DsmrStreamDecoder& owner_;
  DsmrDecoderConfig config_;
  DsmrTelegramReader reader_;
  std::shared_ptr<const TimeZone> zone_;
  EnvelopeKeys keys_;
  std::size_t bytes_without_telegram_ = 0;
  std::size_t high_bit_bytes_ = 0;
  bool no_telegram_reported_ = false;
  bool envelope_problem_reported_ = false;
  bool unauthenticated_reported_ = false;
};

DsmrStreamDecoder::DsmrStreamDecoder(DsmrDecoderConfig config)
    : impl_(std::make_unique<Impl>(*this, std::move(config))) {}

DsmrStreamDecoder::~DsmrStreamDecoder() = default;

void DsmrStreamDecoder::feed(std::span<const std::uint8_t> bytes) {
  counters_.bytes += bytes.size();
  impl_->feed(bytes);
}

void DsmrStreamDecoder::finish() { impl_->finish(); }

bool DsmrStreamDecoder::looks_like(std::span<const std::uint8_t> head) {
  // "/" + three-letter manufacturer id + baud-rate digit starts every P1 telegram.
  for (std::size_t i = 0; i + 5 <= head.size(); ++i) {
    const auto* p = head.data() + i;
    const auto alpha = [](std::uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    if (p[0] == '/' && alpha(p[1]) && alpha(p[2]) && alpha(p[3]) && p[4] >= '0' && p[4] <= '9') return true;
  }
  // Smarty: DB 08 <8-byte title> 82 <2-byte length> 30.
  for (std::size_t i = 0; i + 14 <= head.size(); ++i) {
    const auto* p = head.data() + i;
    if (p[0] == 0xDB && p[1] == 0x08 && p[10] == 0x82 && (p[13] == 0x30 || p[13] == 0x20)) return true;
  }
  return false;
}

}  // namespace meterd::dsmr
