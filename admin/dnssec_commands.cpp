// apexctl dnssec enable|disable|ds. Enabling and each step of disabling are changes of the
// zone: its serial moves (secondaries must fetch the signed or unsigned zone, RFC 1996 §4.7)
// and the change log names the zone, so a running apexd rebuilds it at once.
#include "admin/dnssec_commands.hpp"

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/dnssec_zone_change.hpp"
#include "storage/dnssec_key_timing.hpp"
#include "zones/ds_record.hpp"
#include "zones/rdata.hpp"
#include "zones/signing_key.hpp"

namespace apex::admin {

const char* const kDnssecUsage =
    "Usage: apexctl [--db FILE] dnssec COMMAND ZONE [ARGS...]\n"
    "\n"
    "DNSSEC signing of a zone: apexd signs a zone with its keys whenever it builds it\n"
    "(RRSIGs, DNSKEY, CDS/CDNSKEY and an NSEC or NSEC3 chain), and serves and transfers it\n"
    "signed.\n"
    "\n"
    "Commands:\n"
    "  enable ZONE [--algorithm ALG] [--nsec3 [--opt-out]]\n"
    "                              generate a key and sign the zone from now on\n"
    "  rollover ZONE [OPTIONS]     replace the zone's key (RFC 7583 CSK rollover)\n"
    "  disable ZONE [--ds-removed | --now]\n"
    "                              go insecure: ask the parent to remove the DS, then stop\n"
    "  status ZONE [--json]        keys, their states and times, the next key events\n"
    "  ds ZONE                     the DS records for the parent, and the DNSKEYs\n"
    "  export-key ZONE [--key TAG] [--out FILE]\n"
    "                              the private key, PKCS#8 PEM\n"
    "\n"
    "Run 'apexctl dnssec COMMAND --help' for details.\n";

const char* const kDnssecEnableUsage =
    "Usage: apexctl [--db FILE] dnssec enable ZONE [--algorithm ALG] [--nsec3 [--opt-out]]\n"
    "\n"
    "Generates a combined signing key (CSK: flags 257, RFC 6781 §3.1.4) for ZONE, stores it\n"
    "and moves the zone's serial; apexd then serves the zone signed. Hand the DS that\n"
    "'apexctl dnssec ds ZONE' prints to the parent zone's operator (the registrar) to make\n"
    "the zone secure; the zone also publishes it as CDS/CDNSKEY (RFC 7344).\n"
    "  --algorithm ALG   ecdsap256sha256 (13, default; RFC 6605) or ed25519 (15; RFC 8080)\n"
    "  --nsec3           deny with NSEC3 (RFC 5155: SHA-1, no extra iterations, no salt, as\n"
    "                    RFC 9276 advises) instead of NSEC\n"
    "  --opt-out         with --nsec3: leave unsigned delegations out of the chain (RFC 5155\n"
    "                    §6), for large zones of delegations\n"
    "During the first step of 'dnssec disable' it cancels the disable instead (the delete\n"
    "records go, the key stays). Refused for a zone that is signed already. ALIAS records\n"
    "are fine: apexd signs the addresses each one serves as they are published.\n";

const char* const kDnssecDisableUsage =
    "Usage: apexctl [--db FILE] dnssec disable ZONE [--ds-removed | --now]\n"
    "\n"
    "Takes ZONE to insecure without a moment where validating resolvers reject it (RFC 8078\n"
    "§4, RFC 6781 §4.2.5):\n"
    "  1. 'dnssec disable ZONE' publishes CDS and CDNSKEY delete records (\"0 0 0 00\",\n"
    "     \"0 3 0 AA==\") and keeps signing. Have the parent remove the zone's DS (a parent\n"
    "     that scans CDS does so itself).\n"
    "  2. 'dnssec disable ZONE --ds-removed', once the DS has been gone from the parent for\n"
    "     its TTL, stops signing: the keys are retired and apexd serves the zone without\n"
    "     RRSIG, NSEC and DNSKEY records. Refused before the parent's DS TTL and the\n"
    "     propagation delay have passed since step 1 (the message says when).\n"
    "  --now          stop signing at once, for a zone whose parent never had its DS\n"
    "'dnssec enable' during step 1 cancels it.\n";

const char* const kDnssecDsUsage =
    "Usage: apexctl [--db FILE] dnssec ds ZONE\n"
    "\n"
    "Prints the DS records the parent should hold for ZONE (digest type 2, SHA-256: RFC 4509;\n"
    "SHA-1 DS records must not be published, RFC 8624 §3.3) and their DNSKEY records, as\n"
    "master-file lines: the keys the zone's CDS records name now (during a rollover, the new\n"
    "key once it signs). Refused when the zone is not signed.\n";

namespace {

constexpr OptionSpec kEnableOptions[] = {
    {"--algorithm", true}, {"--nsec3", false}, {"--opt-out", false}};
constexpr OptionSpec kDisableOptions[] = {{"--ds-removed", false}, {"--now", false}};
constexpr std::uint32_t kDnskeyTtl = ZoneSigningOptions{}.dnskey_ttl;

struct EnableRequest {
  Name apex;
  DnssecAlgorithm algorithm = DnssecAlgorithm::kEcdsaP256Sha256;
  DenialOfExistence denial = DenialOfExistence::kNsec;
  bool nsec3_opt_out = false;
};

Result<EnableRequest> enable_request(const CommandLine& line) {
  auto apex = name_argument(line.positional[0]);
  if (!apex) return Error{apex.error()};
  EnableRequest request{apex->lowercased()};
  if (auto text = line.value("--algorithm")) {
    auto algorithm = dnssec_algorithm_from_text(*text);
    if (!algorithm)
      return Error{"unknown DNSSEC algorithm '" + *text +
                   "' (supported: ecdsap256sha256, ed25519)"};
    request.algorithm = *algorithm;
  }
  if (line.has("--nsec3")) request.denial = DenialOfExistence::kNsec3;
  request.nsec3_opt_out = line.has("--opt-out");
  return request;
}

// `dnssec enable` during the first step of a disable: the delete records go, the keys stay.
Result<Report> cancel_disable(storage::Database& db, const CommandContext& ctx, const Name& apex,
                              const std::vector<Record>& records,
                              storage::DnssecSettings settings) {
  settings.delete_since_s.reset();
  if (auto set = db.set_dnssec_settings(apex, settings); !set) return Error{set.error()};
  auto summary = log_zone_change(db, ctx, apex, records, "dnssec enable",
                                 "disable cancelled: CDS/CDNSKEY delete records withdrawn");
  if (!summary) return Error{summary.error()};
  return Report{*summary, ""};
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
  return run_dnssec_change(
      ctx, apex, [&](storage::Database& db, Failure& failure, DnssecZone& z) -> Result<Report> {
        const std::int64_t now = z.now;
        if (z.dnssec.settings.delete_since_s && storage::key_set_at(z.dnssec, now).is_signed())
          return cancel_disable(db, ctx, apex, z.records, z.dnssec.settings);
        if (const auto* active = z.dnssec.active_key())
          return failure.refuse("zone " + apex.to_text() + " is signed already (" +
                                key_text(*active) + ")");
        auto key = SigningKey::generate(request->algorithm);
        if (!key) return Error{"cannot generate a DNSSEC key: " + key.error()};
        const storage::DnssecKeyRow row = key_row(*key, storage::KeyTimes{now, now, {}, {}}, now);
        if (auto added = db.add_dnssec_key(apex, row); !added) return Error{added.error()};
        storage::DnssecSettings settings = z.dnssec.settings;
        settings.denial = request->denial;
        settings.nsec3_opt_out = request->nsec3_opt_out;
        settings.delete_since_s.reset();
        if (auto set = db.set_dnssec_settings(apex, settings); !set) return Error{set.error()};
        auto summary =
            log_zone_change(db, ctx, apex, z.records, "dnssec enable",
                            "signed with " + key_text(row) + ", " + denial_text(settings));
        if (!summary) return Error{summary.error()};
        return Report{*summary,
                      "apexctl: note: give the parent zone the DS of 'apexctl dnssec ds " +
                          apex.to_text() + "' to make the zone secure\n"};
      });
}

namespace {

// Step 1 of going insecure: the delete records ask the parent to remove the DS.
Result<Report> publish_delete(storage::Database& db, const CommandContext& ctx, const Name& apex,
                              const std::vector<Record>& records, storage::DnssecSettings settings,
                              std::int64_t now) {
  settings.delete_since_s = now;
  if (auto set = db.set_dnssec_settings(apex, settings); !set) return Error{set.error()};
  auto summary = log_zone_change(db, ctx, apex, records, "dnssec disable",
                                 "CDS/CDNSKEY delete records published, still signed");
  if (!summary) return Error{summary.error()};
  const std::string zone = apex.to_text();
  return Report{*summary,
                "apexctl: note: step 1 of 2: remove the DS of " + zone +
                    " at the parent zone (a parent that follows CDS/CDNSKEY, RFC 8078, does so "
                    "itself); the zone stays signed meanwhile\n"
                    "apexctl: note: then, once the DS has been gone from the parent for its TTL "
                    "(not before " +
                    time_text(*storage::insecure_after(settings)) + "), run 'apexctl dnssec " +
                    "disable " + zone + " --ds-removed' to stop signing\n"};
}

// The last step: the keys retired, the zone served unsigned.
Result<Report> stop_signing(storage::Database& db, const CommandContext& ctx, const Name& apex,
                            const std::vector<Record>& records, storage::DnssecSettings settings) {
  auto retired = db.retire_dnssec_keys(apex);
  if (!retired) return Error{retired.error()};
  settings.delete_since_s.reset();
  if (auto set = db.set_dnssec_settings(apex, settings); !set) return Error{set.error()};
  auto summary = log_zone_change(db, ctx, apex, records, "dnssec disable",
                                 "unsigned, " + std::to_string(*retired) + " key(s) retired");
  if (!summary) return Error{summary.error()};
  return Report{*summary, ""};
}

}  // namespace

int run_dnssec_disable(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kDisableOptions);
  if (!line) return ctx.usage_error(line.error(), "dnssec disable");
  if (line->positional.size() != 1) return ctx.usage_error("expected one ZONE", "dnssec disable");
  if (line->has("--ds-removed") && line->has("--now"))
    return ctx.usage_error("--ds-removed and --now exclude each other", "dnssec disable");
  auto apex = name_argument(line->positional[0]);
  if (!apex) return ctx.fail(ExitCode::kRefused, apex.error());
  *apex = apex->lowercased();
  return run_dnssec_change(
      ctx, *apex, [&](storage::Database& db, Failure& failure, DnssecZone& z) -> Result<Report> {
        const std::int64_t now = z.now;
        const std::string zone = apex->to_text();
        if (!storage::key_set_at(z.dnssec, now).is_signed())
          return failure.refuse("zone " + zone + " is not signed");
        const auto& settings = z.dnssec.settings;
        if (line->has("--now")) return stop_signing(db, ctx, *apex, z.records, settings);
        const auto after = storage::insecure_after(settings);
        if (!line->has("--ds-removed")) {
          if (after)
            return failure.refuse("zone " + zone + " publishes CDS/CDNSKEY delete records since " +
                                  time_text(*settings.delete_since_s) + "; once its DS is gone " +
                                  "from the parent, run 'apexctl dnssec disable " + zone +
                                  " --ds-removed' (not before " + time_text(*after) + ")");
          return publish_delete(db, ctx, *apex, z.records, settings, now);
        }
        if (!after)
          return failure.refuse("zone " + zone +
                                " has not asked its parent to remove the DS: run " +
                                "'apexctl dnssec disable " + zone + "' first (or --now when the " +
                                "parent has no DS for it)");
        if (now < *after)
          return failure.refuse("too early: the parent's DS may still be cached until " +
                                time_text(*after) + " (DS TTL " +
                                std::to_string(settings.parent_ds_ttl_s) + " s and propagation " +
                                "delay " + std::to_string(settings.propagation_delay_s) +
                                " s after the delete records were published); run it again then");
        return stop_signing(db, ctx, *apex, z.records, settings);
      });
}

int run_dnssec_ds(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, {});
  if (!line) return ctx.usage_error(line.error(), "dnssec ds");
  if (line->positional.size() != 1) return ctx.usage_error("expected one ZONE", "dnssec ds");
  ExitCode code = ExitCode::kOk;
  auto dnssec = read_dnssec(ctx, line->positional[0], code);
  if (!dnssec) return ctx.fail(code, dnssec.error());
  const storage::KeySetAt at = storage::key_set_at(*dnssec, unix_seconds());
  if (!at.is_signed())
    return ctx.fail(ExitCode::kRefused, "zone " + dnssec->apex.to_text() + " is not signed");
  if (at.delete_ds)
    return ctx.fail(ExitCode::kRefused, "zone " + dnssec->apex.to_text() +
                                            " is going insecure: the parent should hold no DS");
  for (const storage::DnssecKeyRow* key : at.parent_ds) {
    auto ds = ds_rdata(dnssec->apex, key->dnskey_rdata);
    if (!ds) return ctx.fail(ExitCode::kDatabase, ds.error());
    ctx.out << ds_master_line(dnssec->apex, kDnskeyTtl, *ds) << dnssec->apex.to_text() << ' '
            << kDnskeyTtl << " IN DNSKEY " << rdata_to_text(RRType::DNSKEY, key->dnskey_rdata)
            << '\n';
  }
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
