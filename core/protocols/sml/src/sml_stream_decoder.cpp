#include "meterd/sml/sml_stream_decoder.hpp"

#include <algorithm>
#include <stdexcept>

#include "sml_list_parser.hpp"
#include "sml_message_parser.hpp"
#include "sml_transport_reader.hpp"

namespace meterd::sml {
namespace {

const char* problem_code(FrameProblem p) {
  switch (p) {
    case FrameProblem::crc_error: return "crc_error";
    case FrameProblem::bad_escape: return "bad_escape";
    case FrameProblem::bad_padding: return "bad_padding";
    case FrameProblem::oversize: return "oversize";
    case FrameProblem::cut: return "truncated";
    case FrameProblem::truncated: return "truncated";
  }
  return "bad_frame";
}

std::string problem_text(FrameProblem p, std::size_t bytes, std::size_t limit) {
  const std::string n = std::to_string(bytes);
  switch (p) {
    case FrameProblem::crc_error: return "SML frame of " + n + " bytes fails its CRC-16/X-25; dropped";
    case FrameProblem::bad_escape: return "invalid escape sequence after " + n + " bytes; frame dropped";
    case FrameProblem::bad_padding: return "SML end sequence states more padding than possible; frame dropped";
    case FrameProblem::oversize:
      return "SML frame longer than " + std::to_string(limit) + " bytes without an end sequence; dropped";
    case FrameProblem::cut: return "SML frame cut off by the next start sequence after " + n + " bytes; dropped";
    case FrameProblem::truncated: return "input ended inside an SML frame after " + n + " bytes; dropped";
  }
  return "bad frame";
}

}  // namespace

class SmlStreamDecoder::Impl final : public SmlTransportReader::Listener {
 public:
  Impl(SmlStreamDecoder& owner, SmlDecoderConfig config)
      : owner_(owner), config_(std::move(config)), reader_(*this, config_.max_frame_bytes) {
    if (config_.max_frame_bytes < 16) throw std::invalid_argument("max_frame_bytes must be at least 16");
    zone_ = TimeZone::load(config_.time_zone);
  }

  void feed(std::span<const std::uint8_t> bytes) { reader_.push(bytes); }
  void finish() { reader_.finish(); }

  void on_file(std::span<const std::uint8_t> payload, std::size_t wire_bytes) override {
    ++counters().frames_ok;
    bytes_without_frame_ = 0;
    no_frame_reported_ = false;
    auto content = parse_sml_file(payload);
    for (auto& d : content.diagnostics) owner_.report(std::move(d));
    if (!content.structure_ok) ++counters().errors;
    const ListOptions options{zone_.get(), config_.reinterpret_negative_power_as_unsigned};
    std::string open_server_id;
    bool any_list = false;
    for (const auto& msg : content.messages) {
      if (msg.tag == kOpenResponse && msg.body.is_list(6) && msg.body.children[3].type == SmlNode::Type::octets)
        open_server_id = octets_as_text(msg.body.children[3].octets);
      if (msg.tag != kGetListResponse) continue;
      any_list = true;
      std::vector<DecoderDiagnostic> diagnostics;
      auto decoded = decode_get_list_response(msg.body, options, diagnostics);
      for (auto& d : diagnostics) owner_.report(std::move(d));
      if (!decoded) {
        ++counters().errors;
        continue;
      }
      if (decoded->meter_id.empty()) decoded->meter_id = open_server_id;
      ++counters().messages;
      owner_.emit(std::move(*decoded));
    }
    if (!any_list && content.structure_ok)
      report(Severity::info, "no_values", "SML file of " + std::to_string(wire_bytes) + " bytes without a GetList.Res");
  }

  void on_bad_frame(FrameProblem problem, std::size_t bytes) override {
    ++counters().frames_bad;
    report(problem == FrameProblem::cut || problem == FrameProblem::truncated ? Severity::warning : Severity::error,
           problem_code(problem), problem_text(problem, bytes, config_.max_frame_bytes));
    count_without_frame(bytes);
  }

  void on_garbage(std::size_t bytes) override {
    counters().garbage_bytes += bytes;
    count_without_frame(bytes);
  }

 private:
  DecoderCounters& counters() { return owner_.counters_; }

  void report(Severity s, std::string code, std::string message) {
    owner_.report(DecoderDiagnostic{s, std::move(code), std::move(message)});
  }

  // Bytes but no SML start: wrong serial settings or a misaligned optical head. Said once
  // until a frame passes its CRC again.
  void count_without_frame(std::size_t bytes) {
    bytes_without_frame_ += bytes;
    if (no_frame_reported_ || bytes_without_frame_ < config_.no_frame_report_bytes) return;
    no_frame_reported_ = true;
    report(Severity::warning, "no_frame",
           std::to_string(bytes_without_frame_) +
               " bytes received without a valid SML frame: check the serial settings (9600 8N1; a few meters "
               "use 9600 7E1) and the position of the optical reading head");
  }

  SmlStreamDecoder& owner_;
  SmlDecoderConfig config_;
  SmlTransportReader reader_;
  std::shared_ptr<const TimeZone> zone_;
  std::size_t bytes_without_frame_ = 0;
  bool no_frame_reported_ = false;
};

SmlStreamDecoder::SmlStreamDecoder(SmlDecoderConfig config)
    : impl_(std::make_unique<Impl>(*this, std::move(config))) {}

SmlStreamDecoder::~SmlStreamDecoder() = default;

void SmlStreamDecoder::feed(std::span<const std::uint8_t> bytes) {
  counters_.bytes += bytes.size();
  impl_->feed(bytes);
}

void SmlStreamDecoder::finish() { impl_->finish(); }

bool SmlStreamDecoder::looks_like(std::span<const std::uint8_t> head) {
  static constexpr std::uint8_t kStart[] = {0x1B, 0x1B, 0x1B, 0x1B, 0x01, 0x01, 0x01, 0x01};
  return std::search(head.begin(), head.end(), std::begin(kStart), std::end(kStart)) != head.end();
}

}  // namespace meterd::sml
