#pragma once
// A-XDR nodes as text for people: the type's name and the value it holds, for
// `meterd decode --explain` and diagnostics.
#include <cstddef>
#include <string>
#include <vector>

#include "meterd/dlms/axdr_reader.hpp"

namespace meterd::dlms {

const char* axdr_type_name(AxdrType t);
// The value of node i: numbers in decimal, printable strings quoted, other strings in hex with
// what they look like (an OBIS code, a COSEM date-time), containers as their element count.
std::string axdr_value_text(const AxdrTree& tree, std::size_t i);
// Nesting depth of every node (root 0), in node order.
std::vector<int> axdr_depths(const AxdrTree& tree);

}  // namespace meterd::dlms
