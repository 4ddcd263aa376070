// Parsing and matching of the Public Suffix List (format: publicsuffix.org/list/).
#include "admin/public_suffix_list.hpp"

#include <fstream>
#include <sstream>

#include "admin/punycode.hpp"

namespace apex::admin {
namespace {

constexpr std::string_view kBeginPrivate = "// ===BEGIN PRIVATE DOMAINS===";
constexpr std::string_view kEndPrivate = "// ===END PRIVATE DOMAINS===";

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The rule's labels in A-label form, dot-separated, without a final dot.
std::optional<std::string> a_labels(std::string_view rule) {
  std::string out;
  while (!rule.empty()) {
    const std::size_t dot = rule.find('.');
    auto label = to_a_label(rule.substr(0, dot));
    if (!label || label->empty()) return std::nullopt;
    out += (out.empty() ? "" : ".") + lower_ascii(*label);
    rule = dot == std::string_view::npos ? std::string_view() : rule.substr(dot + 1);
  }
  return out;
}

// "a.b.c" -> "b.c"; "" for a single label.
std::string_view parent_of(std::string_view name) {
  const std::size_t dot = name.find('.');
  return dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
}

// A name's presentation text without the final dot, lower-cased ("" for the root).
std::string key_of(const Name& name) {
  std::string text = name.lowercased().to_text();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

std::string_view to_text(PublicSuffixList::Section section) {
  return section == PublicSuffixList::Section::kIcann ? "ICANN" : "PRIVATE";
}

Status PublicSuffixList::add_rule(std::string_view rule, Section section) {
  const bool exception = rule.starts_with('!');
  const bool wildcard = rule.starts_with("*.");
  if (exception) rule.remove_prefix(1);
  if (wildcard) rule.remove_prefix(2);
  auto name = a_labels(rule);
  if (!name) return Error{"rule '" + std::string(rule) + "' is not a domain name"};
  if (exception) {
    exceptions_.insert(*name);
    return Ok{};
  }
  (wildcard ? wildcards_ : rules_).emplace(*name, section);
  const std::string example = wildcard ? "*." + *name : *name;
  std::string_view above = wildcard ? std::string_view(*name) : parent_of(*name);
  for (; !above.empty(); above = parent_of(above))
    above_.emplace(std::string(above), std::make_pair(example, section));
  return Ok{};
}

Result<PublicSuffixList> PublicSuffixList::parse(std::string_view text) {
  PublicSuffixList list;
  Section section = Section::kIcann;
  std::istringstream in{std::string(text)};
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.starts_with(kBeginPrivate)) section = Section::kPrivate;
    if (line.starts_with(kEndPrivate)) section = Section::kIcann;
    const std::size_t end = line.find_first_of(" \t\r");
    const std::string_view rule = std::string_view(line).substr(0, end);
    if (rule.empty() || rule.starts_with("//")) continue;
    if (auto added = list.add_rule(rule, section); !added)
      return Error{"line " + std::to_string(number) + ": " + added.error()};
  }
  if (list.rule_count() == 0) return Error{"no rules"};
  return list;
}

Result<PublicSuffixList> PublicSuffixList::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read " + path.string()};
  std::ostringstream text;
  text << in.rdbuf();
  auto list = parse(text.str());
  if (!list) return Error{path.string() + ": " + list.error()};
  return list;
}

std::optional<PublicSuffixList::Finding> PublicSuffixList::finding(std::string_view suffix,
                                                                   Section section) const {
  auto name = Name::from_text(std::string(suffix) + ".");
  if (!name) return std::nullopt;
  return Finding{*name, section};
}

std::optional<PublicSuffixList::Finding> PublicSuffixList::covered(const Name& apex) const {
  const std::string key = key_of(apex);
  if (key.empty()) return Finding{Name(), Section::kIcann};  // the root
  if (!exceptions_.contains(key)) {
    if (auto it = rules_.find(key); it != rules_.end()) return finding(key, it->second);
    if (auto it = wildcards_.find(parent_of(key)); it != wildcards_.end())
      return finding(key, it->second);
    if (parent_of(key).empty()) return finding(key, Section::kIcann);  // the implicit "*"
  }
  // Above a suffix ("*.ck" is named as it is written: a wildcard is a valid owner name).
  if (auto it = above_.find(key); it != above_.end())
    return finding(it->second.first, it->second.second);
  return std::nullopt;
}

}  // namespace apex::admin
