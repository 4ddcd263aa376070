// The Public Suffix List (publicsuffix.org): names under which the public registers domains
// ("com", "co.uk", "github.io"). A hosting customer's zone at or above one (or the root)
// would hold names other parties own, so apexctl refuses such zones unless forced.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "zones/name.hpp"
#include "zones/result.hpp"

namespace apex::admin {

class PublicSuffixList {
 public:
  enum class Section { kIcann, kPrivate };

  // The list's format: one rule per line; "//" starts a comment line; "*.ck" makes every
  // label under ck a public suffix, "!www.ck" excepts www.ck from it; a rule is read up to
  // its first white space; Unicode labels are matched in their A-label form (RFC 5890).
  // Rules between "===BEGIN PRIVATE DOMAINS===" and "===END PRIVATE DOMAINS===" are in the
  // PRIVATE section (suffixes companies open to the public, like github.io), all others in
  // the ICANN section; both are honoured.
  static Result<PublicSuffixList> parse(std::string_view text);
  static Result<PublicSuffixList> load(const std::filesystem::path& path);

  struct Finding {
    Name suffix;  // the public suffix at or below the name
    Section section;
  };
  // The public suffix that the zone at apex is, or is above: apex itself when it is a public
  // suffix (a rule, a wildcard's match that no exception excepts, or a top-level label, by
  // the list's implicit "*" rule), else a suffix below it (apex = "amazonaws.com." is above
  // "s3.amazonaws.com."); nullopt when apex is a registrable domain or below one. The root
  // is above every suffix.
  std::optional<Finding> covered(const Name& apex) const;

  std::size_t rule_count() const { return rules_.size() + wildcards_.size(); }

 private:
  using Rules = std::map<std::string, Section, std::less<>>;  // lower-case text, no final dot
  Status add_rule(std::string_view rule, Section section);
  std::optional<Finding> finding(std::string_view suffix, Section section) const;

  Rules rules_;                                    // "co.uk"
  Rules wildcards_;                                // "ck" for "*.ck"
  std::set<std::string, std::less<>> exceptions_;  // "www.ck" for "!www.ck"
  // Proper ancestors of rules and wildcard bases (with a wildcard base itself), each with
  // one suffix below it for the message.
  std::map<std::string, std::pair<std::string, Section>, std::less<>> above_;
};

std::string_view to_text(PublicSuffixList::Section section);  // "ICANN", "PRIVATE"

}  // namespace apex::admin
