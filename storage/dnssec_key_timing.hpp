// What a zone's keys do at a given time, and the times of a CSK rollover (RFC 7583 §3.3):
// the one account of key timing that apexd (building the zone) and apexctl (rollover,
// disable, status) both read. Pure: times are parameters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/dnssec_store.hpp"
#include "zones/record.hpp"

namespace apex::storage {

// The roles of the zone's keys at one moment.
struct KeySetAt {
  std::vector<const DnssecKeyRow*> published;  // their DNSKEYs form the apex DNSKEY RRset
  std::vector<const DnssecKeyRow*> signing;    // sign every authoritative RRset
  // Sign the DNSKEY RRset besides the signing keys: published keys that signed before and
  // whose DS a validator may still hold (a rolled-out CSK until its removal, RFC 7583
  // §3.3.1), so the chain from either DS to the DNSKEY RRset holds.
  std::vector<const DnssecKeyRow*> dnskey_only;
  // The keys the parent should hold a DS for, announced by CDS/CDNSKEY (RFC 7344 §4).
  std::vector<const DnssecKeyRow*> parent_ds;
  // CDS/CDNSKEY delete records instead (RFC 8078 §4): the first step of `dnssec disable`.
  bool delete_ds = false;

  bool is_signed() const { return !signing.empty(); }
};

KeySetAt key_set_at(const ZoneDnssec& dnssec, std::int64_t now_s);

// The next time after now_s at which a key is published, starts or stops signing, or is
// removed: the zone must be built anew then. None when nothing is scheduled.
std::optional<std::int64_t> next_key_event(const ZoneDnssec& dnssec, std::int64_t now_s);

// The TTL of the DNSKEY, CDS and CDNSKEY RRsets: an hour, or the SOA's TTL when shorter, so
// that a zone with short TTLs also rolls its keys quickly.
std::uint32_t dnskey_ttl(std::uint32_t soa_ttl);

// The TTLs a rollover's times are computed from.
struct ZoneTtls {
  std::uint32_t dnskey_ttl = 3600;  // TTLkey
  std::uint32_t max_ttl = 0;        // the largest TTL of the zone's RRsets: TTLsig
};
// The zone's TTLs from its stored records; an error without an SOA at the apex.
Result<ZoneTtls> zone_ttls(const Name& apex, const std::vector<Record>& records);

// A CSK rollover started at start_s (RFC 7583 §3.3.1, with the delays of settings):
//   new key published at start_s;
//   new key signs, old key stops signing, CDS/CDNSKEY name the new key at
//     new_active_s = start_s + Dprp + TTLkey (its DNSKEY is in every cache: Ipub);
//   the parent is expected to have replaced the DS by new_active_s + Dreg;
//   old key's DNSKEY removed at old_remove_s = new_active_s + max(Dprp + TTLsig,
//     Dreg + Dprp + TTLds): its signatures and its DS have left every cache.
struct RolloverTimes {
  std::int64_t new_publish_s = 0;
  std::int64_t new_active_s = 0;
  std::int64_t ds_swapped_by_s = 0;
  std::int64_t old_remove_s = 0;
};
RolloverTimes rollover_times(std::int64_t start_s, const ZoneTtls& ttls,
                             const DnssecSettings& settings);

// Where a zone is on its way at now_s.
enum class DnssecPhase : std::uint8_t { kUnsigned, kSigned, kRolling, kGoingInsecure };
struct PhaseAt {
  DnssecPhase phase = DnssecPhase::kUnsigned;
  int step = 0;   // with kRolling and kGoingInsecure: 1-based
  int steps = 0;  // how many there are
  std::string description;
};
PhaseAt phase_at(const ZoneDnssec& dnssec, std::int64_t now_s);

// When the parent's DS may be gone from every cache after the first step of `dnssec
// disable`: its start + Dprp + TTLds. None when no disable is under way.
std::optional<std::int64_t> insecure_after(const DnssecSettings& settings);

}  // namespace apex::storage
