// apexctl dnssec enable|disable|status|ds. Enabling and disabling are changes of the zone:
// its serial moves (secondaries must fetch the signed or unsigned zone, RFC 1996 §4.7) and
// the change log names the zone, so a running apexd rebuilds it at once. Private keys are
// never printed.
#include "admin/dnssec_commands.hpp"

#include <chrono>
#include <optional>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/iso_time.hpp"
#include "admin/serial_policy.hpp"
#include "storage/served_zone.hpp"
#include "zones/ds_record.hpp"
#include "zones/json_text.hpp"
#include "zones/rdata.hpp"
#include "zones/signing_key.hpp"
#include "zones/soa_serial.hpp"

namespace apex::admin {

const char* const kDnssecUsage =
    "Usage: apexctl [--db FILE] dnssec COMMAND ZONE [ARGS...]\n"
    "\n"
    "DNSSEC signing of a zone: apexd signs a zone with an active key whenever it loads it\n"
    "(RRSIGs, DNSKEY and an NSEC or NSEC3 chain), and serves and transfers it signed.\n"
    "\n"
    "Commands:\n"
    "  enable ZONE [--algorithm ALG] [--nsec3 [--opt-out]]\n"
    "                              generate a key and sign the zone from now on\n"
    "  disable ZONE                stop signing (remove the DS at the parent first)\n"
    "  status ZONE [--json]        the key, denial of existence and signature settings\n"
    "  ds ZONE                     the DS record for the parent, and the DNSKEY\n"
    "\n"
    "Run 'apexctl dnssec COMMAND --help' for details.\n";

const char* const kDnssecEnableUsage =
    "Usage: apexctl [--db FILE] dnssec enable ZONE [--algorithm ALG] [--nsec3 [--opt-out]]\n"
    "\n"
    "Generates a combined signing key (CSK: flags 257, RFC 6781 §3.1.4) for ZONE, stores it\n"
    "and moves the zone's serial; apexd then serves the zone signed. Hand the DS that\n"
    "'apexctl dnssec ds ZONE' prints to the parent zone's operator (the registrar) to make\n"
    "the zone secure.\n"
    "  --algorithm ALG   ecdsap256sha256 (13, default; RFC 6605) or ed25519 (15; RFC 8080)\n"
    "  --nsec3           deny with NSEC3 (RFC 5155: SHA-1, no extra iterations, no salt, as\n"
    "                    RFC 9276 advises) instead of NSEC\n"
    "  --opt-out         with --nsec3: leave unsigned delegations out of the chain (RFC 5155\n"
    "                    §6), for large zones of delegations\n"
    "Refused for a zone that is signed already, and for a zone holding ALIAS records: ALIAS\n"
    "answers are not signed yet, and an unsigned answer in a signed zone is bogus.\n";

const char* const kDnssecDisableUsage =
    "Usage: apexctl [--db FILE] dnssec disable ZONE\n"
    "\n"
    "Stops signing ZONE: its key is retired (kept, unused), its serial moves, and apexd serves\n"
    "it without RRSIG, NSEC and DNSKEY records. Remove the DS record at the parent first, and\n"
    "wait for the DS TTL to pass: while the parent still has a DS, validating resolvers\n"
    "reject the unsigned zone. (Publishing CDS/CDNSKEY delete records, RFC 8078, so a parent\n"
    "that scans for them removes the DS itself, is a later step.)\n";

const char* const kDnssecStatusUsage =
    "Usage: apexctl [--db FILE] dnssec status ZONE [--json]\n"
    "\n"
    "Whether ZONE is signed; its key (algorithm, key tag, flags, creation time), its denial\n"
    "of existence (NSEC or NSEC3 and its parameters), and the signatures apexd makes as\n"
    "its [dnssec] settings say (validity, and how soon they are made anew).\n"
    "  --json   one JSON object: \"zone\", \"signed\", \"algorithm\", \"algorithm_number\",\n"
    "           \"key_tag\", \"flags\", \"created\", \"denial\", \"nsec3_opt_out\",\n"
    "           \"nsec3_iterations\", \"nsec3_salt\", \"signature_validity_s\",\n"
    "           \"signature_refresh_s\", \"inception_backdate_s\", \"retired_keys\"\n";

const char* const kDnssecDsUsage =
    "Usage: apexctl [--db FILE] dnssec ds ZONE\n"
    "\n"
    "Prints the DS record of ZONE's key (digest type 2, SHA-256: RFC 4509; SHA-1 DS records\n"
    "must not be published, RFC 8624 §3.3) and its DNSKEY record, as master-file lines: the\n"
    "DS goes to the parent zone. Refused when the zone is not signed.\n";

namespace {

constexpr OptionSpec kEnableOptions[] = {
    {"--algorithm", true}, {"--nsec3", false}, {"--opt-out", false}};
constexpr OptionSpec kJsonOption[] = {{"--json", false}};
constexpr std::uint32_t kDnskeyTtl = ZoneSigningOptions{}.dnskey_ttl;

struct EnableRequest {
  Name apex;
  DnssecAlgorithm algorithm = DnssecAlgorithm::kEcdsaP256Sha256;
  storage::DnssecSettings settings;
};

Result<EnableRequest> enable_request(const CommandLine& line) {
  auto apex = name_argument(line.positional[0]);
  if (!apex) return Error{apex.error()};
  EnableRequest request{apex->lowercased(), DnssecAlgorithm::kEcdsaP256Sha256, {}};
  if (auto text = line.value("--algorithm")) {
    auto algorithm = dnssec_algorithm_from_text(*text);
    if (!algorithm)
      return Error{"unknown DNSSEC algorithm '" + *text +
                   "' (supported: ecdsap256sha256, ed25519)"};
    request.algorithm = *algorithm;
  }
  if (line.has("--nsec3")) request.settings.denial = DenialOfExistence::kNsec3;
  request.settings.nsec3_opt_out = line.has("--opt-out");
  return request;
}

std::int64_t unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The zone's records; refused when it is not stored.
Result<std::vector<Record>> stored_records(storage::Database& db, const Name& apex,
                                           Failure& failure) {
  auto records = db.zone_records(apex);
  if (!records) return Error{records.error()};
  if (!*records) return failure.refuse("zone " + apex.to_text() + " is not in the database");
  return std::move(**records);
}

// Moves the serial as any change of the zone does ([serial] policy) and logs the change,
// so a running apexd rebuilds the zone and secondaries are told. The journal is forgotten:
// signing adds or removes records no version step of stored records describes, so a
// secondary asking for IXFR gets the whole zone (RFC 1995 §4).
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

std::string denial_text(const storage::DnssecSettings& settings) {
  if (settings.denial == DenialOfExistence::kNsec) return "NSEC";
  return settings.nsec3_opt_out ? "NSEC3 with opt-out" : "NSEC3";
}

std::string key_text(const storage::DnssecKeyRow& key) {
  auto algorithm = dnssec_algorithm_from_number(key.algorithm);
  const std::string name =
      algorithm ? std::string(dnssec_algorithm_to_text(*algorithm)) : "algorithm";
  return name + " key " + std::to_string(key.key_tag);
}

// The zone's DNSSEC data; refused when the zone is not stored.
Result<storage::ZoneDnssec> zone_dnssec(storage::Database& db, const Name& apex) {
  auto found = db.zone_dnssec(apex);
  if (!found) return Error{found.error()};
  if (!*found) return Error{"zone " + apex.to_text() + " is not in the database"};
  return std::move(**found);
}

}  // namespace

int run_dnssec_enable(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kEnableOptions);
  if (!line) return ctx.usage_error(line.error(), "dnssec enable");
  if (line->positional.size() != 1) return ctx.usage_error("expected one ZONE", "dnssec enable");
  if (line->has("--opt-out") && !line->has("--nsec3"))
    return ctx.usage_error("--opt-out needs --nsec3 (opt-out is an NSEC3 property)",
                           "dnssec enable");
  auto request = enable_request(*line);
  if (!request) return ctx.fail(ExitCode::kRefused, request.error());
  const Name& apex = request->apex;
  return run_in_transaction(ctx, [&](storage::Database& db, Failure& failure) -> Result<Report> {
    auto records = stored_records(db, apex, failure);
    if (!records) return Error{records.error()};
    auto dnssec = zone_dnssec(db, apex);
    if (!dnssec) return Error{dnssec.error()};
    if (const auto* active = dnssec->active_key())
      return failure.refuse("zone " + apex.to_text() + " is signed already (" + key_text(*active) +
                            ")");
    auto key = SigningKey::generate(request->algorithm);
    if (!key) return Error{"cannot generate a DNSSEC key: " + key.error()};
    const storage::DnssecKeyRow row{key->key_tag(),
                                    static_cast<std::uint8_t>(key->algorithm()),
                                    key->flags(),
                                    key->to_pkcs8(),
                                    {key->dnskey_rdata().begin(), key->dnskey_rdata().end()},
                                    storage::DnssecKeyState::kActive,
                                    unix_seconds()};
    if (auto added = db.add_dnssec_key(apex, row); !added) return Error{added.error()};
    if (auto set = db.set_dnssec_settings(apex, request->settings); !set) return Error{set.error()};
    auto summary =
        log_zone_change(db, ctx, apex, *records, "dnssec enable",
                        "signed with " + key_text(row) + ", " + denial_text(request->settings));
    if (!summary) return Error{summary.error()};
    return Report{*summary, "apexctl: note: give the parent zone the DS of 'apexctl dnssec ds " +
                                apex.to_text() + "' to make the zone secure\n"};
  });
}

int run_dnssec_disable(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, {});
  if (!line) return ctx.usage_error(line.error(), "dnssec disable");
  if (line->positional.size() != 1) return ctx.usage_error("expected one ZONE", "dnssec disable");
  auto apex = name_argument(line->positional[0]);
  if (!apex) return ctx.fail(ExitCode::kRefused, apex.error());
  *apex = apex->lowercased();
  return run_in_transaction(ctx, [&](storage::Database& db, Failure& failure) -> Result<Report> {
    auto records = stored_records(db, *apex, failure);
    if (!records) return Error{records.error()};
    auto dnssec = zone_dnssec(db, *apex);
    if (!dnssec) return Error{dnssec.error()};
    const auto* active = dnssec->active_key();
    if (active == nullptr) return failure.refuse("zone " + apex->to_text() + " is not signed");
    const std::string retired = key_text(*active);
    if (auto done = db.retire_dnssec_keys(*apex); !done) return Error{done.error()};
    auto summary = log_zone_change(db, ctx, *apex, *records, "dnssec disable",
                                   "unsigned, " + retired + " retired");
    if (!summary) return Error{summary.error()};
    return Report{*summary,
                  "apexctl: note: the zone is served unsigned: its DS must be gone from the "
                  "parent zone (and the DS TTL passed), or validating resolvers reject it\n"};
  });
}

namespace {

std::string status_json(const storage::ZoneDnssec& dnssec, const AdminConfig& config) {
  const auto* key = dnssec.active_key();
  std::size_t retired = dnssec.keys.size() - (key != nullptr ? 1 : 0);
  JsonObject out;
  out.add("zone", dnssec.apex.to_text()).add("signed", key != nullptr);
  if (key != nullptr) {
    auto algorithm = dnssec_algorithm_from_number(key->algorithm);
    out.add("algorithm", algorithm ? dnssec_algorithm_to_text(*algorithm) : "")
        .add("algorithm_number", unsigned{key->algorithm})
        .add("key_tag", unsigned{key->key_tag})
        .add("flags", unsigned{key->flags})
        .add("created", iso8601_utc(key->created_s * 1000))
        .add("denial", dnssec.settings.denial == DenialOfExistence::kNsec3 ? "nsec3" : "nsec");
    if (dnssec.settings.denial == DenialOfExistence::kNsec3)
      out.add("nsec3_opt_out", dnssec.settings.nsec3_opt_out)
          .add("nsec3_iterations", 0u)
          .add("nsec3_salt", "");
    out.add("signature_validity_s", config.signature_validity_s)
        .add("signature_refresh_s", config.signature_refresh_s)
        .add("inception_backdate_s", storage::SigningPolicy{}.inception_backdate_s);
  }
  out.add("retired_keys", retired);
  return out.str();
}

std::string status_text(const storage::ZoneDnssec& dnssec, const AdminConfig& config) {
  const auto* key = dnssec.active_key();
  const std::size_t retired = dnssec.keys.size() - (key != nullptr ? 1 : 0);
  std::string out = "zone " + dnssec.apex.to_text() + ": " + (key ? "signed" : "not signed") + "\n";
  if (key != nullptr) {
    auto algorithm = dnssec_algorithm_from_number(key->algorithm);
    out += "  algorithm   " +
           std::string(algorithm ? dnssec_algorithm_to_text(*algorithm) : "unknown") + " (" +
           std::to_string(key->algorithm) + ")\n";
    out += "  key tag     " + std::to_string(key->key_tag) + " (flags " +
           std::to_string(key->flags) + ", CSK)\n";
    out += "  created     " + iso8601_utc(key->created_s * 1000) + "\n";
    out += "  denial      " + denial_text(dnssec.settings) +
           (dnssec.settings.denial == DenialOfExistence::kNsec3
                ? " (SHA-1, 0 extra iterations, no salt)\n"
                : "\n");
    out += "  signatures  valid " + std::to_string(config.signature_validity_s) +
           " s from signing (inception " +
           std::to_string(storage::SigningPolicy{}.inception_backdate_s) +
           " s before), made anew by apexd every " + std::to_string(config.signature_refresh_s) +
           " s\n";
  }
  if (retired > 0) out += "  retired     " + std::to_string(retired) + " key(s)\n";
  return out;
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

}  // namespace

int run_dnssec_status(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kJsonOption);
  if (!line) return ctx.usage_error(line.error(), "dnssec status");
  if (line->positional.size() != 1) return ctx.usage_error("expected one ZONE", "dnssec status");
  ExitCode code = ExitCode::kOk;
  auto dnssec = read_dnssec(ctx, line->positional[0], code);
  if (!dnssec) return ctx.fail(code, dnssec.error());
  ctx.out << (line->has("--json") ? status_json(*dnssec, ctx.config) + "\n"
                                  : status_text(*dnssec, ctx.config));
  return to_int(ExitCode::kOk);
}

int run_dnssec_ds(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, {});
  if (!line) return ctx.usage_error(line.error(), "dnssec ds");
  if (line->positional.size() != 1) return ctx.usage_error("expected one ZONE", "dnssec ds");
  ExitCode code = ExitCode::kOk;
  auto dnssec = read_dnssec(ctx, line->positional[0], code);
  if (!dnssec) return ctx.fail(code, dnssec.error());
  const auto* key = dnssec->active_key();
  if (key == nullptr)
    return ctx.fail(ExitCode::kRefused, "zone " + dnssec->apex.to_text() + " is not signed");
  auto ds = ds_rdata(dnssec->apex, key->dnskey_rdata);
  if (!ds) return ctx.fail(ExitCode::kDatabase, ds.error());
  ctx.out << ds_master_line(dnssec->apex, kDnskeyTtl, *ds) << dnssec->apex.to_text() << ' '
          << kDnskeyTtl << " IN DNSKEY " << rdata_to_text(RRType::DNSKEY, key->dnskey_rdata)
          << '\n';
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
