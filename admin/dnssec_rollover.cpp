// apexctl dnssec rollover: a CSK rollover (RFC 7583 §3.3.1). The new key and both keys'
// times are stored at once; apexd builds the zone anew at each of those times, so the roll
// proceeds without apexctl (storage/dnssec_key_timing.hpp says what each time means).
#include <string>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/dnssec_commands.hpp"
#include "admin/dnssec_zone_change.hpp"
#include "storage/dnssec_key_timing.hpp"
#include "zones/signing_key.hpp"

namespace apex::admin {

const char* const kDnssecRolloverUsage =
    "Usage: apexctl [--db FILE] dnssec rollover ZONE [--algorithm ALG]\n"
    "                [--propagation-delay TIME] [--parent-ds-ttl TIME]\n"
    "                [--registration-delay TIME]\n"
    "\n"
    "Replaces ZONE's key by a new CSK of the same algorithm, timed as RFC 7583 §3.3.1 says\n"
    "from the zone's TTLs and three delays (TIME: seconds, or 30m, 1h, 1d):\n"
    "  1. now: the new key's DNSKEY is published; the old key keeps signing.\n"
    "  2. after the propagation delay + the DNSKEY TTL: the new key signs instead of the old\n"
    "     one, and CDS/CDNSKEY name it: the parent must replace the DS ('dnssec ds' prints it;\n"
    "     a parent that follows CDS does so itself) within the registration delay.\n"
    "  3. the old key's DNSKEY is removed once its signatures (largest zone TTL) and its DS\n"
    "     (registration delay + parent DS TTL) have left every cache.\n"
    "apexd builds the zone anew at each of these times; 'dnssec status' shows the step.\n"
    "  --algorithm ALG           must be the zone's algorithm: an algorithm rollover (RFC\n"
    "                            6781 §4.1.4) is not done by this command\n"
    "  --propagation-delay TIME  a change reaching every secondary (default 1h)\n"
    "  --parent-ds-ttl TIME      the TTL of the parent's DS records (default 1d)\n"
    "  --registration-delay TIME how long the parent takes to replace the DS (default 1d)\n"
    "The delays given are kept for the zone's later rollovers and 'dnssec disable'.\n"
    "Refused when the zone is not signed, is going insecure, or is rolling already.\n";

namespace {

constexpr OptionSpec kRolloverOptions[] = {{"--algorithm", true},
                                           {"--propagation-delay", true},
                                           {"--parent-ds-ttl", true},
                                           {"--registration-delay", true}};

// The zone's delays with those given on the command line.
Result<storage::DnssecSettings> with_delays(const CommandLine& line,
                                            storage::DnssecSettings settings) {
  struct Delay {
    const char* option;
    std::uint32_t storage::DnssecSettings::*field;
  };
  for (const Delay& d :
       {Delay{"--propagation-delay", &storage::DnssecSettings::propagation_delay_s},
        Delay{"--parent-ds-ttl", &storage::DnssecSettings::parent_ds_ttl_s},
        Delay{"--registration-delay", &storage::DnssecSettings::registration_delay_s}}) {
    auto text = line.value(d.option);
    if (!text) continue;
    auto seconds = ttl_argument(*text);
    if (!seconds) return Error{std::string(d.option) + ": " + seconds.error()};
    settings.*d.field = *seconds;
  }
  return settings;
}

Status same_algorithm(const CommandLine& line, const storage::DnssecKeyRow& key) {
  auto text = line.value("--algorithm");
  if (!text) return Ok{};
  auto algorithm = dnssec_algorithm_from_text(*text);
  if (!algorithm)
    return Error{"unknown DNSSEC algorithm '" + *text + "' (supported: ecdsap256sha256, ed25519)"};
  if (static_cast<std::uint8_t>(*algorithm) == key.algorithm) return Ok{};
  return Error{"the zone is signed with " + key_text(key) +
               ": an algorithm rollover (RFC 6781 §4.1.4) is not supported; disable and enable "
               "signing to change the algorithm"};
}

std::string summary(const storage::DnssecKeyRow& old_key, const storage::DnssecKeyRow& new_key,
                    const storage::RolloverTimes& times) {
  return "rollover from " + key_text(old_key) + " to " + key_text(new_key) + ": key " +
         std::to_string(new_key.key_tag) + " published, signs from " +
         time_text(times.new_active_s) + "; key " + std::to_string(old_key.key_tag) +
         " removed at " + time_text(times.old_remove_s);
}

}  // namespace

int run_dnssec_rollover(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kRolloverOptions);
  if (!line) return ctx.usage_error(line.error(), "dnssec rollover");
  if (line->positional.size() != 1) return ctx.usage_error("expected one ZONE", "dnssec rollover");
  auto apex = name_argument(line->positional[0]);
  if (!apex) return ctx.fail(ExitCode::kRefused, apex.error());
  *apex = apex->lowercased();
  return run_dnssec_change(
      ctx, *apex, [&](storage::Database& db, Failure& failure, DnssecZone& z) -> Result<Report> {
        const std::int64_t now = z.now;
        const std::string zone = apex->to_text();
        const storage::PhaseAt phase = storage::phase_at(z.dnssec, now);
        if (phase.phase != storage::DnssecPhase::kSigned)
          return failure.refuse("zone " + zone + " cannot start a rollover: " + phase.description);
        const storage::KeySetAt at = storage::key_set_at(z.dnssec, now);
        const storage::DnssecKeyRow& old_key = *at.signing.back();
        if (auto same = same_algorithm(*line, old_key); !same) return failure.refuse(same.error());
        auto settings = with_delays(*line, z.dnssec.settings);
        if (!settings) return failure.usage(settings.error());
        auto ttls = storage::zone_ttls(*apex, z.records);
        if (!ttls) return failure.refuse(ttls.error());
        const storage::RolloverTimes times = storage::rollover_times(now, *ttls, *settings);

        auto key = SigningKey::generate(static_cast<DnssecAlgorithm>(old_key.algorithm));
        if (!key) return Error{"cannot generate a DNSSEC key: " + key.error()};
        const auto new_key =
            key_row(*key, storage::KeyTimes{times.new_publish_s, times.new_active_s, {}, {}}, now);
        if (auto added = db.add_dnssec_key(*apex, new_key); !added) return Error{added.error()};
        for (const storage::DnssecKeyRow* old : at.published) {
          storage::KeyTimes ending = old->times;
          ending.retire_s = times.new_active_s;
          ending.remove_s = times.old_remove_s;
          if (auto set = db.set_dnssec_key_times(*apex, old->id, ending); !set)
            return Error{set.error()};
        }
        if (auto set = db.set_dnssec_settings(*apex, *settings); !set) return Error{set.error()};
        auto logged = log_zone_change(db, ctx, *apex, z.records, "dnssec rollover",
                                      summary(old_key, new_key, times));
        if (!logged) return Error{logged.error()};
        return Report{*logged, "apexctl: note: from " + time_text(times.new_active_s) +
                                   " give the parent the new DS ('apexctl dnssec ds " + zone +
                                   "'), by " + time_text(times.ds_swapped_by_s) + "\n"};
      });
}

}  // namespace apex::admin
