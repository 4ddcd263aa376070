// Comparing the addresses ALIAS owners serve (see served_addresses.hpp).
#include "server/served_addresses.hpp"

#include <algorithm>

namespace apex::server {
namespace {

bool same_record(const Record& a, const Record& b) {
  return a.type == b.type && a.owner == b.owner && a.rdata == b.rdata;
}

}  // namespace

bool same_addresses(const ServedAddresses& a, const ServedAddresses& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), same_record);
}

std::vector<Record> missing_from(const ServedAddresses& from, const ServedAddresses& to) {
  std::vector<Record> out;
  for (const Record& r : from)
    if (std::none_of(to.begin(), to.end(), [&](const Record& t) { return same_record(r, t); }))
      out.push_back(r);
  return out;
}

}  // namespace apex::server
