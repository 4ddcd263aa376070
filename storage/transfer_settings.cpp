// Look-ups over the transfer settings that apexd and apexctl both need.
#include "storage/transfer_settings.hpp"

#include <algorithm>

namespace apex::storage {

bool Secondary::gets_zone(const Name& apex) const {
  return all_zones || std::find(zones.begin(), zones.end(), apex) != zones.end();
}

const TsigKey* TransferSettings::find_key(const Name& name) const {
  auto it =
      std::find_if(keys.begin(), keys.end(), [&](const TsigKey& k) { return k.name == name; });
  return it == keys.end() ? nullptr : &*it;
}

const Secondary* TransferSettings::find_secondary(const std::string& address,
                                                  std::uint16_t port) const {
  auto it = std::find_if(secondaries.begin(), secondaries.end(), [&](const Secondary& s) {
    return s.address == address && s.port == port;
  });
  return it == secondaries.end() ? nullptr : &*it;
}

std::vector<std::string> TransferSettings::users_of(const Name& key) const {
  std::vector<std::string> users;
  for (const Secondary& s : secondaries)
    if (s.key && *s.key == key) users.push_back(s.endpoint());
  return users;
}

}  // namespace apex::storage
