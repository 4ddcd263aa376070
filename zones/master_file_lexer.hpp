// RFC 1035 §5.1 master-file lexical rules: entries, fields, quotes, parentheses, comments.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zones/result.hpp"

namespace apex {

// One logical line of a master file: a directive or a resource record.
struct MasterEntry {
  std::size_t line = 0;        // line of the entry's first field (1-based)
  bool owner_omitted = false;  // starts with blank space: the previous owner applies
  // Fields exactly as written: quotes and backslash escapes kept, so that the consumer can
  // decode each one by its own rules (names, character-strings, numbers).
  std::vector<std::string> fields;
};

class MasterLexer {
 public:
  struct Options {
    // A ';' outside quotes is an error instead of a comment (for RDATA typed on a command
    // line, where a comment would silently drop the rest of, say, a DKIM key).
    bool refuse_comments = false;
    // A longer line is an error, found before the lexer reads past the limit, so that a
    // file of one endless line costs no more than the limit. 0: no limit.
    std::size_t max_line_octets = 64u << 10;
  };

  explicit MasterLexer(std::string_view text) : MasterLexer(text, Options{}) {}
  MasterLexer(std::string_view text, Options options) : text_(text), options_(options) {}

  // The next entry with at least one field, or nullopt at the end of the text. Parentheses
  // join lines (RFC 1035 §5.1); blank and comment-only lines are skipped; CR is blank space.
  Result<std::optional<MasterEntry>> next();
  // The line an error from next() refers to.
  std::size_t error_line() const { return line_; }

 private:
  Status check_line_length() const;
  Result<bool> read_entry(MasterEntry& entry);
  Result<std::string> read_field();
  Result<bool> skip_escape();
  Result<bool> skip_quoted();

  std::string_view text_;
  Options options_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  bool line_checked_ = false;   // check_line_length() passed for the line at pos_
  int depth_ = 0;               // open parentheses
  std::size_t paren_line_ = 0;  // where the outermost open parenthesis is
};

}  // namespace apex
