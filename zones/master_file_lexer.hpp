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

// Where a lexer reading a file gets its text: a piece at a time, so that a file is never held
// whole in memory.
class MasterSource {
 public:
  virtual ~MasterSource() = default;
  // Appends the next octets of the text to text; 0 at the end.
  virtual Result<std::size_t> read_more(std::string& text) = 0;
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
  // Pulls the text from source as entries need it. The buffer holds the entry being read (and
  // up to the line limit beyond it), not the file: memory is bounded by the longest entry.
  MasterLexer(MasterSource& source, Options options) : options_(options), source_(&source) {
    at_end_ = false;
  }

  // The next entry with at least one field, or nullopt at the end of the text. Parentheses
  // join lines (RFC 1035 §5.1); blank and comment-only lines are skipped; CR is blank space.
  Result<std::optional<MasterEntry>> next();
  // The line an error from next() refers to.
  std::size_t error_line() const { return line_; }
  // Octets of text held now: with a source, about the entry being read (what bounds memory).
  std::size_t buffered_octets() const { return text_.size(); }

 private:
  Status check_line_length();
  Result<bool> read_entry(MasterEntry& entry);
  Result<std::string> read_field();
  Result<bool> skip_escape();
  Result<bool> skip_quoted();
  // The text ends at offset at for now, but the source may have more: the entry being read
  // is given up and read again from its start once more text is buffered.
  bool starved_at(std::size_t at);
  Status refill(std::size_t entry_start);

  std::string_view text_;
  Options options_;
  MasterSource* source_ = nullptr;
  std::string buffer_;  // with a source: the text from the current entry on
  bool at_end_ = true;  // the text holds everything (no source, or the source is exhausted)
  bool starved_ = false;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  bool line_checked_ = false;   // check_line_length() passed for the line at pos_
  int depth_ = 0;               // open parentheses
  std::size_t paren_line_ = 0;  // where the outermost open parenthesis is
};

}  // namespace apex
