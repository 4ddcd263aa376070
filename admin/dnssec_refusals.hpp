// Why ALIAS and DNSSEC signing are kept apart for now: the flattened A/AAAA of an ALIAS are
// published after the zone is signed, so a signed zone would serve them unsigned, and a
// validating resolver takes an unsigned answer in a signed zone as bogus (RFC 4035 §5.5).
// Signing flattened answers as they are published is a later step.
#pragma once

#include <string>

#include "zones/name.hpp"

namespace apex::admin {

// The refusal of an ALIAS at owner in the signed zone apex (alias set, record add, import).
std::string signed_zone_alias_refusal(const Name& apex, const Name& owner);
// The refusal of `dnssec enable` for a zone holding an ALIAS at owner.
std::string alias_zone_signing_refusal(const Name& apex, const Name& owner);

}  // namespace apex::admin
