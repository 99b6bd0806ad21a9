#include "meterd/transport/capture_replay.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

#include "meterd/hex_log.hpp"

namespace meterd::transport {

CaptureFormat parse_capture_format(std::string_view text) {
  if (text == "raw") return CaptureFormat::raw;
  if (text == "hex") return CaptureFormat::hex;
  if (text == "auto") return CaptureFormat::detect;
  throw std::invalid_argument("capture format '" + std::string(text) + "': use raw, hex or auto");
}

std::vector<std::uint8_t> load_capture(const std::filesystem::path& file, CaptureFormat format) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw TransportError("open capture " + file.string() + ": " + std::strerror(errno));
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw TransportError("read capture " + file.string() + ": " + std::strerror(errno));
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(content.data()), content.size());
  if (format == CaptureFormat::detect) format = looks_like_hex_text(bytes) ? CaptureFormat::hex : CaptureFormat::raw;
  if (format == CaptureFormat::raw) return {content.begin(), content.end()};
  auto decoded = hex_from_log(content);
  if (decoded.empty() && !content.empty()) throw TransportError("capture " + file.string() + " holds no hex bytes");
  return decoded;
}

CaptureReplay::CaptureReplay(std::vector<std::uint8_t> bytes, double bytes_per_second, std::string name)
    : bytes_(std::move(bytes)), bytes_per_second_(bytes_per_second), name_(std::move(name)) {
  if (!(bytes_per_second_ >= 0) || std::isinf(bytes_per_second_))
    throw std::invalid_argument("replay rate must be 0 (as fast as possible) or a positive number of bytes per second");
}

ReadResult CaptureReplay::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
  if (finished()) return {ReadStatus::closed, 0, "end of capture " + name_};
  std::size_t available = bytes_.size() - position_;
  if (bytes_per_second_ > 0) {
    const auto now = std::chrono::steady_clock::now();
    if (!started_set_) {
      started_ = now;
      started_set_ = true;
    }
    // The byte index due at a given time; the first byte is due immediately.
    auto due_at = [&](std::chrono::steady_clock::time_point t) {
      const double elapsed = std::chrono::duration<double>(t - started_).count();
      return std::min(bytes_.size(), static_cast<std::size_t>(elapsed * bytes_per_second_) + 1);
    };
    std::size_t due = due_at(now);
    if (due <= position_) {
      // Sleep until the next byte is due, but no longer than the caller allows.
      const auto next = started_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                       std::chrono::duration<double>(static_cast<double>(position_) / bytes_per_second_));
      const auto until = std::min(next, now + timeout);
      std::this_thread::sleep_until(until);
      due = due_at(std::chrono::steady_clock::now());
      if (due <= position_) return {ReadStatus::timeout, 0, {}};
    }
    available = due - position_;
  }
  const std::size_t n = std::min(available, buffer.size());
  std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(position_), n, buffer.begin());
  position_ += n;
  return {ReadStatus::data, n, {}};
}

}  // namespace meterd::transport
