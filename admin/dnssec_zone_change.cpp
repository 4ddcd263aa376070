// The shared part of the apexctl dnssec commands (see dnssec_zone_change.hpp).
#include "admin/dnssec_zone_change.hpp"

#include <chrono>

#include "admin/arguments.hpp"
#include "admin/iso_time.hpp"
#include "admin/serial_policy.hpp"
#include "zones/dnssec_algorithm.hpp"
#include "zones/soa_serial.hpp"

namespace apex::admin {

std::int64_t unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::vector<Record>> stored_records(storage::Database& db, const Name& apex,
                                           Failure& failure) {
  auto records = db.zone_records(apex);
  if (!records) return Error{records.error()};
  if (!*records) return failure.refuse("zone " + apex.to_text() + " is not in the database");
  return std::move(**records);
}

Result<storage::ZoneDnssec> zone_dnssec(storage::Database& db, const Name& apex) {
  auto found = db.zone_dnssec(apex);
  if (!found) return Error{found.error()};
  if (!*found) return Error{"zone " + apex.to_text() + " is not in the database"};
  return std::move(**found);
}

int run_dnssec_change(const CommandContext& ctx, const Name& apex, const DnssecChange& change) {
  return run_in_transaction(ctx, [&](storage::Database& db, Failure& failure) -> Result<Report> {
    auto records = stored_records(db, apex, failure);
    if (!records) return Error{records.error()};
    auto dnssec = zone_dnssec(db, apex);
    if (!dnssec) return Error{dnssec.error()};
    DnssecZone zone{apex, std::move(*records), std::move(*dnssec), unix_seconds()};
    return change(db, failure, zone);
  });
}

Result<storage::ZoneDnssec> read_dnssec(const CommandContext& ctx, const std::string& zone,
                                        ExitCode& code) {
  auto apex = name_argument(zone);
  if (!apex) {
    code = ExitCode::kRefused;
    return Error{apex.error()};
  }
  auto db = ctx.open_database(storage::OpenMode::kReadOnly);
  if (!db) {
    code = ExitCode::kDatabase;
    return Error{db.error()};
  }
  auto found = (*db)->zone_dnssec(apex->lowercased());
  if (!found) {
    code = ExitCode::kDatabase;
    return Error{found.error()};
  }
  if (!*found) {
    code = ExitCode::kRefused;
    return Error{"zone " + apex->lowercased().to_text() + " is not in the database"};
  }
  return std::move(**found);
}

Result<std::string> log_zone_change(storage::Database& db, const CommandContext& ctx,
                                    const Name& apex, const std::vector<Record>& records,
                                    const std::string& operation, const std::string& what) {
  for (const Record& r : records) {
    if (r.type != RRType::SOA || !(r.owner == apex)) continue;
    auto serial = soa_serial(r.rdata);
    if (!serial) return Error{"zone " + apex.to_text() + ": SOA " + serial.error()};
    const std::uint32_t next = changed_serial(ctx.config.serial, *serial, *serial, ctx.today);
    auto rdata = with_soa_serial(r.rdata, next);
    if (!rdata) return Error{rdata.error()};
    Record bumped = r;
    bumped.rdata = std::move(*rdata);
    if (auto gone = db.delete_record(apex, r); !gone) return Error{gone.error()};
    if (auto ok = db.add_records(apex, {bumped}); !ok) return Error{ok.error()};
    if (auto ok = db.clear_journal(apex); !ok) return Error{ok.error()};
    const std::string serials = "serial " + std::to_string(*serial) + " -> " + std::to_string(next);
    auto logged = db.log_change(
        storage::ChangeEntry{apex, ctx.actor, operation, serials + "\n" + what, ctx.comment});
    if (!logged) return Error{logged.error()};
    return "zone " + apex.to_text() + ": " + serials + ", " + what + "\n";
  }
  return Error{"zone " + apex.to_text() + " has no SOA record"};
}

storage::DnssecKeyRow key_row(const SigningKey& key, const storage::KeyTimes& times,
                              std::int64_t created_s) {
  storage::DnssecKeyRow row;
  row.key_tag = key.key_tag();
  row.algorithm = static_cast<std::uint8_t>(key.algorithm());
  row.flags = key.flags();
  row.private_key = key.to_pkcs8();
  row.dnskey_rdata.assign(key.dnskey_rdata().begin(), key.dnskey_rdata().end());
  row.state = storage::DnssecKeyState::kActive;
  row.created_s = created_s;
  row.times = times;
  return row;
}

std::string key_text(const storage::DnssecKeyRow& key) {
  auto algorithm = dnssec_algorithm_from_number(key.algorithm);
  const std::string name =
      algorithm ? std::string(dnssec_algorithm_to_text(*algorithm)) : "algorithm";
  return name + " key " + std::to_string(key.key_tag);
}

std::string denial_text(const storage::DnssecSettings& settings) {
  if (settings.denial == DenialOfExistence::kNsec) return "NSEC";
  return settings.nsec3_opt_out ? "NSEC3 with opt-out" : "NSEC3";
}

std::string time_text(std::int64_t unix_s) {
  return iso8601_utc(unix_s * 1000);
}

}  // namespace apex::admin
