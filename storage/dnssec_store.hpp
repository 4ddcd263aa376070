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
  kActive,   // signs the zone
  kRetired,  // kept for the record after `dnssec disable`; signs nothing
};

struct DnssecKeyRow {
  std::uint16_t key_tag = 0;  // RFC 4034 Appendix B
  std::uint8_t algorithm = 0;
  std::uint16_t flags = 0;
  std::vector<std::uint8_t> private_key;   // PKCS#8 PrivateKeyInfo, DER (RFC 5958 §2)
  std::vector<std::uint8_t> dnskey_rdata;  // as published (RFC 4034 §2.1)
  DnssecKeyState state = DnssecKeyState::kActive;
  std::int64_t created_s = 0;  // seconds since 1970
};

struct DnssecSettings {
  DenialOfExistence denial = DenialOfExistence::kNsec;
  bool nsec3_opt_out = false;  // RFC 5155 §6; only with NSEC3
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
