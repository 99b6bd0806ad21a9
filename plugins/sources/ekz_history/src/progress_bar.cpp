#include "progress_bar.hpp"

#include <unistd.h>

#include <cstdio>

namespace meterd::csv_plugins {

ProgressBar::ProgressBar(const std::string& mode)
    : enabled_(mode == "always" || (mode == "auto" && ::isatty(STDERR_FILENO))) {}

void ProgressBar::start(std::string label, std::uint64_t total_bytes) {
  label_ = std::move(label);
  total_ = total_bytes;
  started_ = last_draw_ = std::chrono::steady_clock::now();
  drawn_ = false;
}

void ProgressBar::update(std::uint64_t bytes_done, std::uint64_t rows) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  draw(bytes_done, rows);
}

void ProgressBar::draw(std::uint64_t bytes_done, std::uint64_t rows) {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const double fraction = total_ ? static_cast<double>(bytes_done) / static_cast<double>(total_) : 1.0;
  const double rate = seconds > 0 ? static_cast<double>(rows) / seconds : 0;
  const double eta = fraction > 0 && fraction < 1 ? seconds * (1 - fraction) / fraction : 0;
  constexpr int kWidth = 24;
  char bar[kWidth + 1];
  const int filled = static_cast<int>(fraction * kWidth);
  for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '-';
  bar[kWidth] = '\0';
  std::fprintf(stderr, "\r%s [%s] %3d%% %llu rows %.0f rows/s ETA %.0fs  ", label_.c_str(), bar,
               static_cast<int>(fraction * 100), static_cast<unsigned long long>(rows), rate, eta);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (!enabled_ || !drawn_) return;
  std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace meterd::csv_plugins
