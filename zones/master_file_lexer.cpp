// RFC 1035 §5.1 master-file lexical rules: entries, fields, quotes, parentheses, comments.
#include "zones/master_file_lexer.hpp"

namespace apex {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

// Characters that end an unquoted field.
bool ends_field(char c) {
  return is_blank(c) || c == '\n' || c == ';' || c == '(' || c == ')';
}

}  // namespace

Result<std::optional<MasterEntry>> MasterLexer::next() {
  for (;;) {
    if (pos_ >= text_.size()) {
      if (at_end_) return std::optional<MasterEntry>();
      if (auto ok = refill(pos_); !ok) return Error{ok.error()};
      continue;
    }
    // An entry that runs past the buffered text is read again from here with more text.
    const std::size_t start = pos_, line = line_, paren_line = paren_line_;
    const bool line_checked = line_checked_;
    const int depth = depth_;
    MasterEntry entry;
    entry.owner_omitted = is_blank(text_[pos_]);
    auto ok = read_entry(entry);
    if (starved_) {
      starved_ = false;
      pos_ = start;
      line_ = line;
      paren_line_ = paren_line;
      line_checked_ = line_checked;
      depth_ = depth;
      if (auto more = refill(start); !more) return Error{more.error()};
      continue;
    }
    if (!ok) return Error{ok.error()};
    if (!entry.fields.empty()) return std::optional<MasterEntry>(std::move(entry));
  }
}

bool MasterLexer::starved_at(std::size_t at) {
  if (at < text_.size() || at_end_) return false;
  starved_ = true;
  return true;
}

// Drops the text before entry_start and appends the source's next octets: at least as many
// as the entry has so far, so that a long entry is read again a logarithmic number of times.
Status MasterLexer::refill(std::size_t entry_start) {
  buffer_.erase(0, entry_start);
  pos_ -= entry_start;
  const std::size_t wanted = buffer_.size() * 2;
  do {
    auto n = source_->read_more(buffer_);
    if (!n) return Error{n.error()};
    if (*n == 0) at_end_ = true;
  } while (!at_end_ && buffer_.size() < wanted);
  text_ = buffer_;
  return Ok{};
}

// The line starting at pos_ ends within the limit: only limit + 1 octets are looked at.
Status MasterLexer::check_line_length() {
  const std::size_t limit = options_.max_line_octets;
  const std::string_view rest = text_.substr(pos_);
  if (limit == 0) return Ok{};
  if (rest.substr(0, limit + 1).find('\n') != std::string_view::npos) return Ok{};
  if (rest.size() <= limit) {
    starved_at(text_.size());  // the line may go on in text not read yet
    return Ok{};
  }
  return Error{"line longer than " + std::to_string(limit) + " octets"};
}

// Reads up to the end of the logical line: a newline outside parentheses, or the end.
Result<bool> MasterLexer::read_entry(MasterEntry& entry) {
  while (pos_ < text_.size()) {
    if (!line_checked_) {
      if (auto ok = check_line_length(); !ok) return Error{ok.error()};
      if (starved_) return false;
      line_checked_ = true;
    }
    char c = text_[pos_];
    if (c == '\n') {
      ++pos_;
      ++line_;
      line_checked_ = false;
      if (depth_ == 0) return true;
    } else if (is_blank(c)) {
      ++pos_;
    } else if (c == ';') {
      if (options_.refuse_comments)
        return Error{"';' starts a comment here; quote the text or escape it as \\;"};
      while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    } else if (c == '(') {
      if (depth_++ == 0) paren_line_ = line_;
      ++pos_;
    } else if (c == ')') {
      if (depth_ == 0) return Error{"')' without an opening '('"};
      --depth_;
      ++pos_;
    } else {
      std::size_t line = line_;
      auto field = read_field();
      if (starved_) return false;
      if (!field) return Error{field.error()};
      if (entry.fields.empty()) entry.line = line;
      entry.fields.push_back(std::move(*field));
    }
  }
  if (starved_at(pos_)) return false;
  if (depth_ > 0) {
    line_ = paren_line_;
    return Error{"'(' is never closed"};
  }
  return true;
}

Result<std::string> MasterLexer::read_field() {
  std::size_t start = pos_;
  while (pos_ < text_.size() && !ends_field(text_[pos_])) {
    Result<bool> ok = true;
    if (text_[pos_] == '\\')
      ok = skip_escape();
    else if (text_[pos_] == '"')
      ok = skip_quoted();
    else
      ++pos_;
    if (starved_) return std::string();
    if (!ok) return Error{ok.error()};
  }
  if (starved_at(pos_)) return std::string();  // the field may go on
  return std::string(text_.substr(start, pos_ - start));
}

// A backslash escapes the next character, whatever it is, except a line end (RFC 1035 §5.1).
Result<bool> MasterLexer::skip_escape() {
  if (starved_at(pos_ + 1)) return false;
  if (pos_ + 1 >= text_.size() || text_[pos_ + 1] == '\n' || text_[pos_ + 1] == '\r')
    return Error{"backslash at the end of a line"};
  pos_ += 2;
  return true;
}

// A quoted part runs to the next unescaped '"' on the same line; inside it blank space, ';'
// and parentheses are ordinary characters.
Result<bool> MasterLexer::skip_quoted() {
  ++pos_;
  while (pos_ < text_.size() && text_[pos_] != '\n') {
    if (text_[pos_] == '"') {
      ++pos_;
      return true;
    }
    if (text_[pos_] == '\\') {
      auto ok = skip_escape();
      if (!ok || starved_) return ok;
    } else {
      ++pos_;
    }
  }
  if (starved_at(pos_)) return false;
  return Error{"quoted string without a closing quote"};
}

}  // namespace apex
