#pragma once
// Cuts a byte stream into complete lines. A line counts only once its newline has arrived, so
// a writer that is half-way through a line is never parsed early; the unfinished tail waits
// for the next feed. Strips a UTF-8 byte-order mark at the very start and the CR of CRLF.
#include <cstdint>
#include <string>
#include <string_view>

namespace meterd::csv_table {

struct LinePosition {
  std::uint64_t number = 0;      // 1-based line number in the file
  std::uint64_t end_offset = 0;  // byte offset just after this line's newline
};

class LineSplitter {
 public:
  // Continue from a known place: `offset` is where the next byte fed sits in the file and
  // `lines_before` how many complete lines precede it.
  void reset(std::uint64_t offset = 0, std::uint64_t lines_before = 0);

  // Calls on_line(std::string_view line, const LinePosition&) for every line completed by
  // `bytes`. The view is valid only during the call. Lines inside `bytes` are not copied.
  template <class OnLine>
  void feed(std::string_view bytes, OnLine&& on_line);

  // Bytes received after the last newline (an unfinished line).
  std::string_view pending() const { return carry_; }
  std::uint64_t consumed_offset() const { return consumed_offset_; }  // after the last full line
  std::uint64_t lines() const { return lines_; }

 private:
  std::string_view clean(std::string_view line) const;
  std::string carry_;
  std::uint64_t consumed_offset_ = 0;
  std::uint64_t lines_ = 0;
};

template <class OnLine>
void LineSplitter::feed(std::string_view bytes, OnLine&& on_line) {
  std::size_t start = 0;
  while (start < bytes.size()) {
    const std::size_t nl = bytes.find('\n', start);
    if (nl == std::string_view::npos) {
      carry_.append(bytes.substr(start));
      return;
    }
    std::string_view line = bytes.substr(start, nl - start);
    const std::uint64_t line_bytes = carry_.size() + line.size() + 1;
    LinePosition pos{lines_ + 1, consumed_offset_ + line_bytes};
    if (!carry_.empty()) {
      carry_.append(line);
      on_line(clean(carry_), pos);
      carry_.clear();
    } else {
      on_line(clean(line), pos);
    }
    lines_ = pos.number;
    consumed_offset_ = pos.end_offset;
    start = nl + 1;
  }
}

}  // namespace meterd::csv_table
