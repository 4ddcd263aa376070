// Stored DNSSEC data of a zone: its signing keys and how its denial of existence is proved
// (RFC 4035 §2); apexd signs a zone that has an active key whenever it builds its snapshot.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "zones/name.hpp"
#include "zones/zone_signer.hpp"

namespace apex::storage {

enum class DnssecKeyState : std::uint8_t {
  kActive,   // one of the zone's keys, published and signing as its times say
  kRetired,  // kept for the record after `dnssec disable`; neither published nor signing
};

// A key's timing (RFC 7583 §3.3): its DNSKEY is published from publish_s until remove_s, it
// signs from active_s until retire_s; seconds since 1970, none = not scheduled.
struct KeyTimes {
  std::optional<std::int64_t> publish_s;
  std::optional<std::int64_t> active_s;
  std::optional<std::int64_t> retire_s;
  std::optional<std::int64_t> remove_s;

  friend bool operator==(const KeyTimes&, const KeyTimes&) = default;
};

struct DnssecKeyRow {
  std::uint16_t key_tag = 0;  // RFC 4034 Appendix B
  std::uint8_t algorithm = 0;
  std::uint16_t flags = 0;
  std::vector<std::uint8_t> private_key;   // PKCS#8 PrivateKeyInfo, DER (RFC 5958 §2)
  std::vector<std::uint8_t> dnskey_rdata;  // as published (RFC 4034 §2.1)
  DnssecKeyState state = DnssecKeyState::kActive;
  std::int64_t created_s = 0;  // seconds since 1970
  KeyTimes times;
  std::int64_t id = 0;  // the row's, set when read back

  // In the zone at now_s: its DNSKEY published, and whether it signs.
  bool is_published(std::int64_t now_s) const {
    return state == DnssecKeyState::kActive && times.publish_s && *times.publish_s <= now_s &&
           (!times.remove_s || now_s < *times.remove_s);
  }
  bool is_signing(std::int64_t now_s) const {
    return state == DnssecKeyState::kActive && times.active_s && *times.active_s <= now_s &&
           (!times.retire_s || now_s < *times.retire_s);
  }
};

struct DnssecSettings {
  DenialOfExistence denial = DenialOfExistence::kNsec;
  bool nsec3_opt_out = false;  // RFC 5155 §6; only with NSEC3
  // The delays of RFC 7583 §2 a rollover is timed by: Dprp (a zone change reaching every
  // secondary), the parent's DS TTL, and Dreg (the parent acting on a changed CDS).
  std::uint32_t propagation_delay_s = 3600;
  std::uint32_t parent_ds_ttl_s = 86400;
  std::uint32_t registration_delay_s = 86400;
  // Since when CDS/CDNSKEY delete records ask the parent to remove its DS (RFC 8078 §4):
  // the first step of `dnssec disable`; none otherwise.
  std::optional<std::int64_t> delete_since_s;

  friend bool operator==(const DnssecSettings&, const DnssecSettings&) = default;
};

struct ZoneDnssec {
  Name apex;
  DnssecSettings settings;         // defaults when none were stored
  std::vector<DnssecKeyRow> keys;  // oldest first

  // The newest active key: the one the zone is signed with; none when the zone is unsigned.
  const DnssecKeyRow* active_key() const {
    const DnssecKeyRow* found = nullptr;
    for (const DnssecKeyRow& k : keys)
      if (k.state == DnssecKeyState::kActive) found = &k;
    return found;
  }
};

}  // namespace apex::storage
