// Reading a zone build's inputs and making its snapshot.
#include "server/zone_build.hpp"

#include "server/log.hpp"

namespace apex::server {

void ZoneBuild::run(const storage::SigningPolicy& policy) {
  const storage::ZoneDnssec* keys = dnssec ? &*dnssec : nullptr;
  if (!signs()) {
    zone = storage::build_served_zone(apex, std::move(records), keys, policy, now_s, nullptr,
                                      aliases.get());
    return;
  }
  storage::ZoneSigning signing{&stored, {}};
  zone = storage::build_served_zone(apex, std::move(records), keys, policy, now_s, &signing,
                                    aliases.get());
  report = std::move(signing.report);
}

Result<ZoneBuild> read_zone_build(storage::Database& db, const Name& apex,
                                  std::vector<Record> records, AliasTablePtr aliases,
                                  std::int64_t now_s) {
  auto dnssec = db.zone_dnssec(apex);
  if (!dnssec) return Error{dnssec.error()};
  ZoneBuild build;
  build.apex = apex;
  build.records = std::move(records);
  build.dnssec = std::move(*dnssec);
  build.aliases = std::move(aliases);
  build.now_s = now_s;
  if (!build.signs()) return build;
  auto stored = db.zone_signatures(apex);
  if (stored)
    build.stored = std::move(*stored);
  else  // signed all the same: only the reuse is lost
    log_warning("zone " + apex.to_text() + ": stored signatures not read: " + stored.error());
  return build;
}

}  // namespace apex::server
