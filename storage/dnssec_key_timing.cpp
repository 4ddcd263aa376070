// Key roles from key times, and the times of a CSK rollover (RFC 7583 §3.3.1).
#include "storage/dnssec_key_timing.hpp"

#include <algorithm>

namespace apex::storage {
namespace {

constexpr std::uint32_t kMaxDnskeyTtl = 3600;

bool has_signed(const DnssecKeyRow& key, std::int64_t now_s) {
  return key.times.active_s && *key.times.active_s <= now_s;
}

// The rollover under way: the newest key (the successor) and a key scheduled for removal
// (the predecessor); none when there is no such pair.
struct Roll {
  const DnssecKeyRow* successor = nullptr;
  const DnssecKeyRow* predecessor = nullptr;
};

Roll roll_at(const ZoneDnssec& dnssec, std::int64_t now_s) {
  Roll roll;
  for (const DnssecKeyRow& key : dnssec.keys) {
    if (key.state != DnssecKeyState::kActive) continue;
    if (key.times.remove_s && now_s < *key.times.remove_s) roll.predecessor = &key;
    roll.successor = &key;
  }
  if (roll.predecessor == roll.successor) return Roll{};
  return roll.predecessor != nullptr ? roll : Roll{};
}

}  // namespace

KeySetAt key_set_at(const ZoneDnssec& dnssec, std::int64_t now_s) {
  KeySetAt set;
  for (const DnssecKeyRow& key : dnssec.keys) {
    if (!key.is_published(now_s)) continue;
    set.published.push_back(&key);
    if (key.is_signing(now_s))
      set.signing.push_back(&key);
    else if (has_signed(key, now_s))
      set.dnskey_only.push_back(&key);
  }
  // RFC 7344 §4: the CDS set names the keys the parent should point at. A key that signs
  // has been published for Ipub already (rollover_times), so a DS for it validates at once.
  set.delete_ds = dnssec.settings.delete_since_s.has_value() && set.is_signed();
  if (!set.delete_ds) set.parent_ds = set.signing;
  return set;
}

std::optional<std::int64_t> next_key_event(const ZoneDnssec& dnssec, std::int64_t now_s) {
  std::optional<std::int64_t> next;
  for (const DnssecKeyRow& key : dnssec.keys) {
    if (key.state != DnssecKeyState::kActive) continue;
    for (const auto& at :
         {key.times.publish_s, key.times.active_s, key.times.retire_s, key.times.remove_s})
      if (at && *at > now_s && (!next || *at < *next)) next = *at;
  }
  return next;
}

std::uint32_t dnskey_ttl(std::uint32_t soa_ttl) {
  return std::min(kMaxDnskeyTtl, soa_ttl);
}

Result<ZoneTtls> zone_ttls(const Name& apex, const std::vector<Record>& records) {
  ZoneTtls ttls;
  bool soa = false;
  for (const Record& r : records) {
    ttls.max_ttl = std::max(ttls.max_ttl, r.ttl);
    if (r.type == RRType::SOA && r.owner == apex) {
      ttls.dnskey_ttl = dnskey_ttl(r.ttl);
      soa = true;
    }
  }
  if (!soa) return Error{"zone " + apex.to_text() + " has no SOA record"};
  ttls.max_ttl = std::max(ttls.max_ttl, ttls.dnskey_ttl);
  return ttls;
}

RolloverTimes rollover_times(std::int64_t start_s, const ZoneTtls& ttls,
                             const DnssecSettings& settings) {
  const std::int64_t dprp = settings.propagation_delay_s;
  const std::int64_t dreg = settings.registration_delay_s;
  RolloverTimes times;
  times.new_publish_s = start_s;
  times.new_active_s = start_s + dprp + ttls.dnskey_ttl;  // Ipub (RFC 7583 §3.3.1)
  times.ds_swapped_by_s = times.new_active_s + dreg;
  // Iret: the old key's signatures (TTLsig) and its DS at the parent (TTLds) must have left
  // every cache before its DNSKEY goes.
  times.old_remove_s = times.new_active_s + std::max(dprp + std::int64_t{ttls.max_ttl},
                                                     dreg + dprp + settings.parent_ds_ttl_s);
  return times;
}

std::optional<std::int64_t> insecure_after(const DnssecSettings& settings) {
  if (!settings.delete_since_s) return std::nullopt;
  return *settings.delete_since_s + settings.propagation_delay_s + settings.parent_ds_ttl_s;
}

PhaseAt phase_at(const ZoneDnssec& dnssec, std::int64_t now_s) {
  const KeySetAt set = key_set_at(dnssec, now_s);
  if (!set.is_signed()) return PhaseAt{DnssecPhase::kUnsigned, 0, 0, "not signed"};
  if (set.delete_ds)
    return PhaseAt{DnssecPhase::kGoingInsecure, 1, 2,
                   "going insecure, step 1 of 2: CDS/CDNSKEY delete records ask the parent to "
                   "remove the DS; 'dnssec disable --ds-removed' stops signing once it is gone"};
  const Roll roll = roll_at(dnssec, now_s);
  if (roll.successor == nullptr) return PhaseAt{DnssecPhase::kSigned, 0, 0, "signed"};
  const std::int64_t active = roll.successor->times.active_s.value_or(now_s);
  const std::string tag = std::to_string(roll.successor->key_tag);
  if (now_s < active)
    return PhaseAt{DnssecPhase::kRolling, 1, 3,
                   "rolling, step 1 of 3: key " + tag + " published, not signing yet"};
  if (now_s < active + dnssec.settings.registration_delay_s)
    return PhaseAt{DnssecPhase::kRolling, 2, 3,
                   "rolling, step 2 of 3: key " + tag +
                       " signs and CDS/CDNSKEY name it: the parent must replace the DS"};
  return PhaseAt{DnssecPhase::kRolling, 3, 3,
                 "rolling, step 3 of 3: waiting for the DS and signatures of key " +
                     std::to_string(roll.predecessor->key_tag) + " to leave caches"};
}

}  // namespace apex::storage
