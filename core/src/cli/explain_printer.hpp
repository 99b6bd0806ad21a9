#pragma once
// `meterd decode --explain`: the decoder's steps as an indented tree for people, or one JSON
// object per link frame (or unit) with nested "children" for scripts. Diagnostics and decoded
// readings are placed in the tree where they happened, so the text shows where decoding stopped.
#include <iosfwd>
#include <string>
#include <vector>

#include "meterd/decoded_message.hpp"

namespace meterd::cli {

struct ExplainLine {
  int depth = 0;
  std::string layer;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string reading_json;  // a decoded reading: its JSON line
};

class ExplainPrinter {
 public:
  enum class Format { text, json };
  ExplainPrinter(Format format, std::ostream& out) : format_(format), out_(out) {}

  // A step at depth 0 starts a new frame: the previous one is printed.
  void step(int depth, std::string layer, std::vector<std::pair<std::string, std::string>> fields);
  void diagnostic(const DecoderDiagnostic& d);
  void reading(const DecodedMessage& m);
  void finish() { flush(); }

 private:
  void flush();
  void print_text() const;
  void print_json() const;
  // A diagnostic sits beside the step that raised it.
  int current_depth() const { return lines_.empty() ? 0 : lines_.back().depth; }

  Format format_;
  std::ostream& out_;
  std::vector<ExplainLine> lines_;
};

}  // namespace meterd::cli
