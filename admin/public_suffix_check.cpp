// Zone apexes against the Public Suffix List, with messages that say what to do.
#include "admin/public_suffix_check.hpp"

#include <map>

#include "admin/public_suffix_list.hpp"

namespace apex::admin {
namespace {

constexpr const char* kForce = "; use --force if this server really is authoritative for it";

const Result<PublicSuffixList>& list_at(const std::filesystem::path& path) {
  static std::map<std::filesystem::path, Result<PublicSuffixList>> loaded;
  auto it = loaded.find(path);
  if (it == loaded.end()) it = loaded.emplace(path, PublicSuffixList::load(path)).first;
  return it->second;
}

std::string source_of(PublicSuffixList::Section section) {
  return std::string(to_text(section)) + " section of the Public Suffix List";
}

}  // namespace

Status check_public_suffix(const Name& apex, const std::filesystem::path& list_path) {
  const std::string zone = "zone " + apex.to_text();
  const auto& list = list_at(list_path);
  if (!list) {
    return Error{"cannot check " + zone + " against the Public Suffix List: " + list.error() +
                 " (install Debian's publicsuffix package, or set "
                 "APEXCTL_PUBLIC_SUFFIX_LIST); use --force to go ahead unchecked"};
  }
  auto found = list->covered(apex);
  if (!found) return Ok{};
  if (apex.is_root())
    return Error{zone +
                 " is the root, above every public suffix: it would answer for every "
                 "domain" +
                 std::string(kForce)};
  if (found->suffix == apex.lowercased())
    return Error{zone + " is a public suffix (" + source_of(found->section) +
                 "): its names belong to the many registrants below it, not to one customer" +
                 kForce};
  return Error{zone + " is above the public suffix " + found->suffix.to_text() + " (" +
               source_of(found->section) + "): it would hold names that other parties register" +
               kForce};
}

}  // namespace apex::admin
