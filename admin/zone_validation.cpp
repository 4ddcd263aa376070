// build_zone followed by the delegation rules: the whole check before a zone is written.
#include "admin/zone_validation.hpp"

#include "zones/zone_builder.hpp"

namespace apex::admin {
namespace {

// Words of a message, without the punctuation that follows or encloses names in it.
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find(' ', pos), text.size());
    std::string_view word = text.substr(pos, end - pos);
    while (!word.empty() && (word.back() == ':' || word.back() == ',' || word.back() == ')')) {
      word.remove_suffix(1);
    }
    while (!word.empty() && word.front() == '(') word.remove_prefix(1);
    if (!word.empty()) out.push_back(word);
    pos = end + 1;
  }
  return out;
}

}  // namespace

std::vector<Name> names_in_message(std::string_view message, const Name& apex) {
  std::vector<Name> names;
  for (std::string_view word : words(message)) {
    // Messages write names absolute, with the trailing dot; other words don't end in one.
    if (word.size() < 2 || word.back() != '.') continue;
    auto name = Name::from_text(word);
    if (name && name->is_subdomain_of(apex)) names.push_back(name->lowercased());
  }
  return names;
}

ZoneVerdict validate_zone(const WorkingZone& zone, bool built) {
  ZoneVerdict verdict;
  // The records one at a time: a large zone is not copied into a vector for the check.
  auto index =
      built ? Result<ZonePtr>(ZonePtr()) : build_zone(zone.apex(), [&](const RecordSink& each) {
        return zone.for_each_record(each);
      });
  if (!index) {
    verdict.error = RuleFinding{index.error(), names_in_message(index.error(), zone.apex())};
    return verdict;
  }
  verdict.delegations = check_delegations(zone);
  if (!verdict.delegations.errors.empty()) verdict.error = verdict.delegations.errors.front();
  return verdict;
}

}  // namespace apex::admin
