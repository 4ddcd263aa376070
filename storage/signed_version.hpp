// What apexd served at a signed zone's serial: the serial and the digest of the one content
// served at it (zones/snapshot_digest.hpp), stored so that a signed zone's IXFR history
// goes on across restarts (journal_snapshots.hpp).
#pragma once

#include <cstdint>

#include "zones/snapshot_digest.hpp"

namespace apex::storage {

struct SignedVersion {
  std::uint32_t serial = 0;
  SnapshotDigest digest{};
  bool operator==(const SignedVersion&) const = default;
};

}  // namespace apex::storage
