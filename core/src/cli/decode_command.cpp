// `meterd decode`: captured meter bytes in, one JSON line per decoded message out. The
// output contract (docs/decode-cli.md) is what scripts and bug reports rely on: stdout holds
// only JSON lines, everything for a person goes to stderr, and the exit status says whether
// anything was decoded (0), nothing was (1), or the command line was wrong (2).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <fstream>
#include <sstream>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "explain_printer.hpp"
#include "meterd/decoded_message.hpp"
#include "meterd/hex.hpp"
#include "meterd/hex_log.hpp"
#include "meterd/stream_decoder.hpp"
#include "protocol_detector.hpp"
#ifdef METERD_HAVE_dlms
#include "meterd/dlms/dlms_keys.hpp"
#include "meterd/dlms/dlms_stream_decoder.hpp"
#include "meterd/dlms/positional_layout.hpp"
#endif
#ifdef METERD_HAVE_dsmr
#include "meterd/dsmr/dsmr_stream_decoder.hpp"
#endif
#ifdef METERD_HAVE_sml
#include "meterd/sml/sml_stream_decoder.hpp"
#endif

namespace po = boost::program_options;

namespace meterd::cli {
namespace {

constexpr int kDecoded = 0, kNothingDecoded = 1, kUsageError = 2;

struct DecodeRequest {
  std::string key, auth_key, profile = "auto", protocol = "auto", time_zone = "Europe/Zurich", input = "-";
  std::string framing = "auto";
  std::string explain;  // empty, "text" or "json"
  std::string layout, layout_text;  // --layout FILE and its content
  bool hex = false;
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Keys are pasted from utility letters and portals: "0x", spaces, colons and dashes are common.
// Returns the 32 hex digits, or throws UsageError saying what is wrong.
std::string normalise_key(const std::string& option, const std::string& text) {
  std::string digits;
  std::string_view rest = text;
  if (rest.size() >= 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X')) rest.remove_prefix(2);
  for (char c : rest) {
    if (c == ' ' || c == ':' || c == '-') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c)))
      throw UsageError("--" + option + ": '" + std::string(1, c) + "' is not a hex digit (give 32 hex digits)");
    digits += c;
  }
  if (digits.size() != 32)
    throw UsageError("--" + option + ": " + std::to_string(digits.size()) + " hex digits given, a key has 32 (16 bytes)");
  return digits;
}

std::vector<std::string> supported_protocols() {
  std::vector<std::string> names{"auto"};
#ifdef METERD_HAVE_dlms
  names.push_back("dlms");
#endif
#ifdef METERD_HAVE_dsmr
  names.push_back("dsmr");
#endif
#ifdef METERD_HAVE_sml
  names.push_back("sml");
#endif
  return names;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

void validate(DecodeRequest& r) {
  if (!r.key.empty()) r.key = normalise_key("key", r.key);
  if (!r.auth_key.empty()) r.auth_key = normalise_key("auth-key", r.auth_key);
  const auto protocols = supported_protocols();
  if (std::find(protocols.begin(), protocols.end(), r.protocol) == protocols.end())
    throw UsageError("--protocol: '" + r.protocol + "' is not one of " + joined(protocols));
#ifdef METERD_HAVE_dlms
  const auto profiles = dlms::dlms_profile_names();
  if (std::find(profiles.begin(), profiles.end(), r.profile) == profiles.end())
    throw UsageError("--profile: unknown profile '" + r.profile + "' (known: " + joined(profiles) + ")");
  if (!r.explain.empty() && r.explain != "text" && r.explain != "json")
    throw UsageError("--explain: '" + r.explain + "' is not text or json (--explain or --explain=json)");
  if (!r.layout.empty()) {
    std::ifstream in(r.layout);
    if (!in) throw UsageError("--layout: cannot open " + r.layout + ": " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    r.layout_text = text.str();
    dlms::DlmsConfig probe;
    try {
      dlms::apply_positional_layout(r.layout_text, probe);
    } catch (const std::invalid_argument& e) {
      throw UsageError("--layout " + r.layout + ": " + e.what());
    }
  }
  if (!dlms::parse_framing(r.framing))
    throw UsageError("--framing: '" + r.framing + "' is not one of auto, hdlc, mbus, llc, apdu");
  // Naming a DLMS layer names the protocol too.
  if (r.framing != "auto" && r.protocol == "auto") r.protocol = "dlms";
  if (r.framing != "auto" && r.protocol != "dlms")
    throw UsageError("--framing " + r.framing + " is a DLMS layer; it does not go with --protocol " + r.protocol);
#endif
}

// Builds the decoder for one protocol. Throws UsageError when the options do not fit it.
std::unique_ptr<StreamDecoder> make_decoder(const std::string& protocol, const DecodeRequest& r) {
  try {
#ifdef METERD_HAVE_dlms
    if (protocol == "dlms") {
      dlms::DlmsConfig config;
      if (!r.key.empty()) config.encryption_key = dlms::parse_aes_key(r.key);
      if (!r.auth_key.empty()) config.authentication_key = dlms::parse_aes_key(r.auth_key);
      config.profile = r.profile;
      config.time_zone = r.time_zone;
      config.framing = *dlms::parse_framing(r.framing);
      if (!r.layout_text.empty()) dlms::apply_positional_layout(r.layout_text, config);
      return std::make_unique<dlms::DlmsStreamDecoder>(std::move(config));
    }
#endif
#ifdef METERD_HAVE_dsmr
    if (protocol == "dsmr") {
      dsmr::DsmrDecoderConfig config;
      config.time_zone = r.time_zone;
      config.encryption_key = r.key;
      if (!r.auth_key.empty()) config.authentication_key = r.auth_key;
      return std::make_unique<dsmr::DsmrStreamDecoder>(std::move(config));
    }
#endif
#ifdef METERD_HAVE_sml
    if (protocol == "sml") {
      sml::SmlDecoderConfig config;
      config.time_zone = r.time_zone;
      return std::make_unique<sml::SmlStreamDecoder>(std::move(config));
    }
#endif
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  throw UsageError("no " + protocol + " decoder in this build");
}

// Runs the input through one decoder, picked up front or after sniffing the head.
class DecodeSession {
 public:
  explicit DecodeSession(const DecodeRequest& r) : request_(r) {
    if (!r.explain.empty())
      explain_.emplace(r.explain == "json" ? ExplainPrinter::Format::json : ExplainPrinter::Format::text, std::cout);
    if (r.protocol != "auto") start(r.protocol);
  }

  void feed(std::span<const std::uint8_t> bytes) {
    if (decoder_) {
      decoder_->feed(bytes);
      return;
    }
    head_.insert(head_.end(), bytes.begin(), bytes.end());
    if (head_.size() >= kDetectionHeadBytes) choose_and_replay_head();
  }

  void finish() {
    if (!decoder_) {
      if (head_.empty()) return;
      choose_and_replay_head();
    }
    decoder_->finish();
    if (explain_) explain_->finish();
  }

  std::uint64_t messages() const { return messages_; }
  const StreamDecoder* decoder() const { return decoder_.get(); }

 private:
  void start(const std::string& protocol) {
    decoder_ = make_decoder(protocol, request_);
    if (explain_) {
      start_explaining(protocol);
      return;
    }
    decoder_->on_message([this](DecodedMessage&& m) {
      ++messages_;
      // One line per message, flushed, so `socat ... | meterd decode | jq` shows each push live.
      std::cout << to_json_line(m) << '\n' << std::flush;
    });
    decoder_->on_diagnostic([](DecoderDiagnostic&& d) {
      std::cerr << "meterd decode: " << severity_name(d.severity) << " " << d.code << ": " << d.message << "\n";
    });
  }

  // --explain: the tree goes to stdout in place of the JSON lines, diagnostics inside it.
  void start_explaining(const std::string& protocol) {
#ifdef METERD_HAVE_dlms
    if (auto* d = dynamic_cast<dlms::DlmsStreamDecoder*>(decoder_.get()))
      d->on_explain([this](dlms::ExplainStep&& s) { explain_->step(s.depth, std::move(s.layer), std::move(s.fields)); });
#endif
    if (protocol != "dlms")
      explain_->step(0, protocol + " input", {{"note", "--explain shows the layers of DLMS input; here only the readings"}});
    decoder_->on_message([this](DecodedMessage&& m) {
      ++messages_;
      explain_->reading(m);
    });
    decoder_->on_diagnostic([this](DecoderDiagnostic&& d) { explain_->diagnostic(d); });
  }

  void choose_and_replay_head() {
    const auto found = detect_protocol(head_);
    std::string protocol;
    if (found) {
      protocol = found->name;
      if (!head_.empty() && head_[0] == 0xDB) protocol = choose_envelope_protocol(protocol);
    } else {
      protocol = supported_protocols().size() > 1 ? supported_protocols()[1] : "dlms";
      std::cerr << "meterd decode: note: nothing in the first " << head_.size()
                << " bytes looks like DLMS, DSMR or SML; decoding as " << protocol
                << " (choose with --protocol)\n";
    }
    start(protocol);
    decoder_->feed(head_);
    head_.clear();
    head_.shrink_to_fit();
  }

  // A bare general-glo-ciphering envelope is a DLMS push or a Smarty telegram: the key decides,
  // else DLMS, and the note says so.
  std::string choose_envelope_protocol(const std::string& detected) const {
    if (const auto inside = protocol_inside_envelope(head_, request_.key)) {
      std::cerr << "meterd decode: note: the ciphered envelope holds " << (*inside == "dlms" ? "a DLMS push" : "a DSMR telegram (Smarty)")
                << "; decoding as " << *inside << "\n";
      return *inside;
    }
    std::cerr << "meterd decode: note: a ciphered envelope (DB 08 ...) is a bare DLMS APDU or a Luxembourg Smarty "
                 "telegram; decoding as "
              << detected << " (give the key to tell them apart, or choose with --protocol)\n";
    return detected;
  }

  const DecodeRequest& request_;
  std::optional<ExplainPrinter> explain_;
  std::unique_ptr<StreamDecoder> decoder_;
  std::vector<std::uint8_t> head_;
  std::uint64_t messages_ = 0;
};

// Binary or hex text: --hex says so; otherwise the head decides (hex pasted from a log is text
// whose lines carry hex, and no DSMR telegram).
class InputText {
 public:
  explicit InputText(bool hex) : mode_(hex ? Mode::hex : Mode::undecided) {}

  void feed(std::span<const std::uint8_t> piece, std::vector<std::uint8_t>& out) {
    if (mode_ == Mode::undecided) {
      head_.insert(head_.end(), piece.begin(), piece.end());
      if (head_.size() < kDetectionHeadBytes) return;
      decide_and_convert_head(out);
      return;
    }
    convert(piece, out);
  }

  void finish(std::vector<std::uint8_t>& out) {
    if (mode_ == Mode::undecided) decide_and_convert_head(out);
    if (mode_ != Mode::hex) return;
    reader_.finish(out);
    if (reader_.dangling_digit())
      std::cerr << "meterd decode: warning: odd number of hex digits; the last one is ignored\n";
    if (reader_.lines_with_hex() == 0)
      std::cerr << "meterd decode: note: no hex found in the input (give binary input without --hex)\n";
    else if (reader_.lines_without_hex() > 0)
      std::cerr << "meterd decode: note: " << reader_.lines_without_hex() << " line(s) without hex bytes ignored\n";
  }

 private:
  enum class Mode { undecided, binary, hex };

  void decide_and_convert_head(std::vector<std::uint8_t>& out) {
    const auto found = detect_protocol(head_);
    const bool hex = looks_like_hex_text(head_) && !(found && found->name == "dsmr");
    mode_ = hex ? Mode::hex : Mode::binary;
    if (hex) std::cerr << "meterd decode: note: the input is hex text; reading it as --hex\n";
    convert(head_, out);
    head_.clear();
    head_.shrink_to_fit();
  }

  void convert(std::span<const std::uint8_t> piece, std::vector<std::uint8_t>& out) {
    if (mode_ == Mode::hex)
      reader_.feed(piece, out);
    else
      out.insert(out.end(), piece.begin(), piece.end());
  }

  Mode mode_;
  std::vector<std::uint8_t> head_;
  HexLogReader reader_;
};

int run(const DecodeRequest& r) {
  int fd = STDIN_FILENO;
  if (r.input != "-") {
    fd = ::open(r.input.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw UsageError("cannot open " + r.input + ": " + std::strerror(errno));
  }
  DecodeSession session(r);
  InputText text(r.hex);
  std::vector<std::uint8_t> chunk(4096), bytes;
  for (;;) {
    const ssize_t n = ::read(fd, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = std::strerror(errno);
      if (fd != STDIN_FILENO) ::close(fd);
      // A directory or unreadable device is a wrong argument, not an empty capture.
      throw UsageError("cannot read " + (r.input == "-" ? std::string("standard input") : r.input) + ": " + why);
    }
    if (n == 0) break;
    bytes.clear();
    text.feed(std::span<const std::uint8_t>(chunk.data(), static_cast<std::size_t>(n)), bytes);
    session.feed(bytes);
  }
  if (fd != STDIN_FILENO) ::close(fd);
  bytes.clear();
  text.finish(bytes);
  session.feed(bytes);
  session.finish();
  if (const StreamDecoder* d = session.decoder()) {
    const auto& c = d->counters();
    std::cerr << "meterd decode: " << d->protocol() << ": " << session.messages() << " messages from " << c.bytes
              << " bytes (" << c.frames_ok << " frames ok, " << c.frames_bad << " bad, " << c.errors
              << " messages rejected, " << c.garbage_bytes << " bytes skipped)\n";
  } else {
    std::cerr << "meterd decode: the input is empty\n";
  }
  return session.messages() > 0 ? kDecoded : kNothingDecoded;
}

}  // namespace

int decode_command(int argc, char** argv) {
  DecodeRequest r;
  po::options_description desc(
      "meterd decode [options] [FILE|-]\n"
      "Decodes captured meter bytes (binary, or hex text as pasted from a log) from FILE or standard input.\n"
      "Prints one JSON object per decoded message on standard output; diagnostics go to standard error.\n"
      "Exit status: 0 at least one message decoded, 1 none, 2 usage error.\n\nOptions");
  desc.add_options()
    ("help,h", "show this help")
    ("key", po::value(&r.key), "encryption key (EK/GUEK) from the grid operator, 32 hex digits")
    ("auth-key", po::value(&r.auth_key), "authentication key (AK), 32 hex digits; GCM tags are then verified")
    ("profile", po::value(&r.profile)->default_value("auto"), "DLMS meter profile (implied scalers, layouts)")
    ("protocol", po::value(&r.protocol)->default_value("auto"), "auto, dlms, dsmr or sml")
    ("framing", po::value(&r.framing)->default_value("auto"),
     "DLMS layer the input starts at: auto, hdlc, mbus, llc (E6 E7 00 + APDU) or apdu (0F, DB, DC, E0)")
    ("layout", po::value(&r.layout),
     "positional table for a DLMS list without OBIS codes: one entry per element (OBIS [scaler], meter_id, time, skip)")
    ("explain", po::value(&r.explain)->implicit_value("text"),
     "print every layer of each frame as a tree instead of JSON lines (--explain=json: the tree as JSON)")
    ("time-zone", po::value(&r.time_zone)->default_value("Europe/Zurich"), "zone of meter clocks without offset")
    ("hex", po::bool_switch(&r.hex),
     "the input is hex text (also detected without this option): spaces, line breaks, 0x, ':' and '-' "
     "separators, and log or dump lines with a timestamp or offset column in front are accepted")
    ("input", po::value(&r.input), "capture file, or - for standard input (default)");
  po::positional_options_description positional;
  positional.add("input", 1);
  po::variables_map vm;
  try {
    // A bare --explain means text; Boost would otherwise take the file name after it as its value.
    std::vector<std::string> args(argv + 1, argv + argc);
    for (auto& a : args)
      if (a == "--explain") a = "--explain=text";
    po::store(po::command_line_parser(args).options(desc).positional(positional).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    validate(r);
    return run(r);
  } catch (const po::error& e) {
    std::cerr << "meterd decode: " << e.what() << " (see meterd decode --help)\n";
    return kUsageError;
  } catch (const UsageError& e) {
    std::cerr << "meterd decode: " << e.what() << "\n";
    return kUsageError;
  }
}

}  // namespace meterd::cli
