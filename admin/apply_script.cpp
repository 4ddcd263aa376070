// The text "apexctl apply" reads, split into lines of words.
#include "admin/apply_script.hpp"

namespace apex::admin {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

// Appends the quoted string starting at line[i] (the opening quote) to word, quotes and
// escapes included; returns the position after the closing quote, or npos when unclosed.
std::size_t take_quoted(std::string_view line, std::size_t i, std::string& word) {
  word += line[i++];
  while (i < line.size()) {
    const char c = line[i];
    word += c;
    if (c == '\\' && i + 1 < line.size()) {
      word += line[i + 1];
      i += 2;
      continue;
    }
    ++i;
    if (c == '"') return i;
  }
  return std::string_view::npos;
}

Result<std::vector<std::string>> split_words(std::string_view line) {
  std::vector<std::string> words;
  std::size_t i = 0;
  for (;;) {
    while (i < line.size() && is_blank(line[i])) ++i;
    if (i == line.size() || line[i] == '#') return words;
    std::string word;
    while (i < line.size() && !is_blank(line[i])) {
      if (line[i] == '"') {
        i = take_quoted(line, i, word);
        if (i == std::string_view::npos) return Error{"unterminated quoted string"};
      } else if (line[i] == '\'') {
        // As in the shell: everything up to the next single quote, quotes removed.
        const std::size_t close = line.find('\'', i + 1);
        if (close == std::string_view::npos) return Error{"unterminated quoted string"};
        word += line.substr(i + 1, close - i - 1);
        i = close + 1;
      } else if (line[i] == '\\' && i + 1 < line.size()) {
        word += line.substr(i, 2);
        i += 2;
      } else {
        word += line[i++];
      }
    }
    words.push_back(std::move(word));
  }
}

}  // namespace

Result<std::vector<ScriptLine>> read_apply_script(std::istream& in, std::string_view source) {
  std::vector<ScriptLine> lines;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    // A UTF-8 byte order mark, as some editors write it, is not part of the first word.
    if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    auto words = split_words(line);
    if (!words) {
      return Error{std::string(source) + ":" + std::to_string(number) + ": " + words.error()};
    }
    if (!words->empty()) lines.push_back(ScriptLine{number, std::move(words).value()});
  }
  if (in.bad()) return Error{std::string(source) + ": read error"};
  return lines;
}

}  // namespace apex::admin
