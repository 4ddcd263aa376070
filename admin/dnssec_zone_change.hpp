// What the apexctl dnssec commands share: reading a zone's records and DNSSEC data, naming
// keys, and writing a DNSSEC change as a change of the zone (serial moved, change logged).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "admin/command_context.hpp"
#include "storage/dnssec_store.hpp"
#include "zones/record.hpp"
#include "zones/signing_key.hpp"

namespace apex::admin {

// Now, in seconds since 1970: the clock key times are read against.
std::int64_t unix_seconds();

// The zone's records; refused when it is not stored.
Result<std::vector<Record>> stored_records(storage::Database& db, const Name& apex,
                                           Failure& failure);
// The zone's DNSSEC data; an error when the zone is not stored.
Result<storage::ZoneDnssec> zone_dnssec(storage::Database& db, const Name& apex);
// What a dnssec change works on, read in its transaction: the zone's stored records, its
// DNSSEC data, and the time its key times are read against.
struct DnssecZone {
  const Name& apex;
  std::vector<Record> records;
  storage::ZoneDnssec dnssec;
  std::int64_t now = 0;
};
using DnssecChange = std::function<Result<Report>(storage::Database&, Failure&, DnssecZone& zone)>;
// Runs change in one transaction on the zone at apex (lower-cased), refused when the zone is
// not stored; the exit status.
int run_dnssec_change(const CommandContext& ctx, const Name& apex, const DnssecChange& change);
// The same outside a transaction, for the commands that only read; code says why it failed.
Result<storage::ZoneDnssec> read_dnssec(const CommandContext& ctx, const std::string& zone,
                                        ExitCode& code);

// Moves the serial as any change of the zone does ([serial] policy) and logs the change,
// so a running apexd rebuilds the zone and secondaries are told. The journal is forgotten:
// signing adds or removes records no version step of stored records describes, so a
// secondary asking for IXFR gets the whole zone (RFC 1995 §4). The summary line to print.
Result<std::string> log_zone_change(storage::Database& db, const CommandContext& ctx,
                                    const Name& apex, const std::vector<Record>& records,
                                    const std::string& operation, const std::string& what);

// The row that stores key with its times.
storage::DnssecKeyRow key_row(const SigningKey& key, const storage::KeyTimes& times,
                              std::int64_t created_s);

// "ECDSAP256SHA256 key 12345".
std::string key_text(const storage::DnssecKeyRow& key);
// "NSEC", "NSEC3", "NSEC3 with opt-out".
std::string denial_text(const storage::DnssecSettings& settings);
// "2026-12-05T06:25:15Z" of seconds since 1970.
std::string time_text(std::int64_t unix_s);

}  // namespace apex::admin
