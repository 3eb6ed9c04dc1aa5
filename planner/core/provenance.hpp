#pragma once
// Where a number came from. Every figure shipped in a data file carries one.
#include <string>

namespace trainplan {

struct Provenance {
  bool operator==(const Provenance&) const = default;  // lets tests see whether an input changed anything
  std::string kind;    // "measured" or "published" (or "assumption" for stated design assumptions)
  std::string source;  // measured: tool, host, date; published: the document
};

}  // namespace trainplan
