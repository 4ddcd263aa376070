// The text "apexctl apply" reads: one change command per line, written as on the command line
// without "apexctl" and the global options.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "zones/result.hpp"

namespace apex::admin {

struct ScriptLine {
  std::size_t number = 0;  // 1-based
  std::vector<std::string> words;
};

// Splits each line into words at spaces and tabs, much as a shell would, so that a command
// line copied from a script works here too:
// - a single-quoted string is part of its word without its quotes, spaces and all
//   (--rdata '10 mail', TXT '"v=spf1 -all"');
// - a double-quoted string is part of its word WITH its quotes: double quotes belong to the
//   master-file RDATA (TXT "v=spf1 -all" is one string, as in a zone file);
// - a backslash keeps the next character in the word, backslash included (RDATA escapes);
// - a word starting with '#' begins a comment to the end of the line.
// Blank and comment-only lines are skipped. Errors read "SOURCE:LINE: message".
Result<std::vector<ScriptLine>> read_apply_script(std::istream& in, std::string_view source);

}  // namespace apex::admin
