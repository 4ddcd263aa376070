// apexctl dnssec status: a zone's keys with their states and times (RFC 7583 §3), where the
// zone is (signed, rolling, going insecure), the next key events, and how soon its
// signatures expire. It only reads; private keys are never printed.
#include <algorithm>
#include <string>
#include <vector>

#include "admin/command_line.hpp"
#include "admin/dnssec_commands.hpp"
#include "admin/dnssec_zone_change.hpp"
#include "storage/dnssec_key_timing.hpp"
#include "storage/served_zone.hpp"
#include "zones/json_text.hpp"
#include "zones/zone_signature.hpp"

namespace apex::admin {

const char* const kDnssecStatusUsage =
    "Usage: apexctl [--db FILE] dnssec status ZONE [--json]\n"
    "\n"
    "Whether ZONE is signed, rolling its key (step N of 3) or going insecure; its newest key\n"
    "(algorithm, key tag, flags, creation time); every key with its state (published,\n"
    "active, retired, removed) and times; the next key events; its denial of existence;\n"
    "the signatures apexd makes as its [dnssec] settings say; and those it stored: how\n"
    "many, the earliest expiration and when apexd renews it.\n"
    "  --json   one JSON object: \"zone\", \"signed\", \"phase\" (unsigned, signed, rolling,\n"
    "           going-insecure), \"step\", \"steps\", \"phase_text\", \"algorithm\",\n"
    "           \"algorithm_number\", \"key_tag\", \"flags\", \"created\", \"denial\",\n"
    "           \"nsec3_opt_out\", \"nsec3_iterations\", \"nsec3_salt\",\n"
    "           \"signature_validity_s\", \"signature_refresh_s\", \"inception_backdate_s\",\n"
    "           \"stored_signatures\", \"earliest_signature_expiration\", \"next_renewal\"\n"
    "           (null before apexd stored any), \"retired_keys\", \"keys\" (each \"key_tag\",\n"
    "           \"algorithm\", \"role\", \"state\", \"publish\", \"active\", \"retire\", "
    "\"remove\";\n"
    "           times null when not scheduled), \"next_events\" (each \"at\", \"event\"),\n"
    "           \"insecure_after\" (going insecure: when --ds-removed may be run)\n";

namespace {

constexpr OptionSpec kJsonOption[] = {{"--json", false}};

const char* phase_name(storage::DnssecPhase phase) {
  switch (phase) {
    case storage::DnssecPhase::kUnsigned:
      return "unsigned";
    case storage::DnssecPhase::kSigned:
      return "signed";
    case storage::DnssecPhase::kRolling:
      return "rolling";
    case storage::DnssecPhase::kGoingInsecure:
      return "going-insecure";
  }
  return "unsigned";
}

// RFC 7583 §3.1's states, reduced to what an operator acts on.
std::string key_state(const storage::DnssecKeyRow& key, std::int64_t now) {
  if (key.state == storage::DnssecKeyState::kRetired) return "removed";
  if (key.is_signing(now)) return "active";
  if (key.is_published(now))
    return key.times.active_s && *key.times.active_s <= now ? "retired" : "published";
  if (key.times.remove_s && *key.times.remove_s <= now) return "removed";
  return "generated";
}

struct Event {
  std::int64_t at;
  std::string what;
};

std::vector<Event> next_events(const storage::ZoneDnssec& dnssec, std::int64_t now) {
  std::vector<Event> events;
  for (const storage::DnssecKeyRow& key : dnssec.keys) {
    if (key.state != storage::DnssecKeyState::kActive) continue;
    const std::string tag = "key " + std::to_string(key.key_tag);
    const auto add = [&](const std::optional<std::int64_t>& at, const char* what) {
      if (at && *at > now) events.push_back(Event{*at, tag + " " + what});
    };
    add(key.times.publish_s, "published");
    add(key.times.active_s, "starts signing; CDS/CDNSKEY name it");
    add(key.times.retire_s, "stops signing");
    add(key.times.remove_s, "removed");
  }
  if (auto after = storage::insecure_after(dnssec.settings); after && *after > now)
    events.push_back(Event{*after, "'dnssec disable --ds-removed' allowed"});
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.at < b.at; });
  return events;
}

// What the database holds of the zone's signatures (apexd stores those it serves,
// ARCHITECTURE.md §4): how many, the earliest expiration, and when apexd renews that one
// (refresh_s before it).
struct StoredSignatures {
  std::size_t count = 0;
  std::optional<std::int64_t> earliest_s;
  std::optional<std::int64_t> renewal_s;
};

StoredSignatures stored_signatures(const ZoneSignatures& rows, const AdminConfig& config,
                                   std::int64_t now) {
  StoredSignatures out;
  out.count = rows.size();
  for (const auto& [id, row] : rows) {
    const auto expiration = rrsig_expiration(row.rrsig);
    if (!expiration) continue;
    // RRSIG times are modulo 2^32 (RFC 4034 §3.1.5): taken as the moment nearest to now.
    const std::int64_t at = now + seconds_until(*expiration, static_cast<std::uint32_t>(now));
    if (!out.earliest_s || at < *out.earliest_s) out.earliest_s = at;
  }
  if (out.earliest_s) out.renewal_s = *out.earliest_s - config.signature_refresh_s;
  return out;
}

std::string optional_time_json(const std::optional<std::int64_t>& at) {
  return at ? "\"" + time_text(*at) + "\"" : "null";
}

std::string key_json(const storage::DnssecKeyRow& key, std::int64_t now) {
  JsonObject out;
  out.add("key_tag", unsigned{key.key_tag})
      .add("algorithm", unsigned{key.algorithm})
      .add("role", "CSK")
      .add("state", key_state(key, now))
      .add_raw("publish", optional_time_json(key.times.publish_s))
      .add_raw("active", optional_time_json(key.times.active_s))
      .add_raw("retire", optional_time_json(key.times.retire_s))
      .add_raw("remove", optional_time_json(key.times.remove_s));
  return out.str();
}

std::string status_json(const storage::ZoneDnssec& dnssec, const StoredSignatures& stored,
                        const AdminConfig& config, std::int64_t now) {
  const auto* key = dnssec.active_key();
  const storage::PhaseAt phase = storage::phase_at(dnssec, now);
  const bool is_signed = phase.phase != storage::DnssecPhase::kUnsigned;
  JsonObject out;
  out.add("zone", dnssec.apex.to_text())
      .add("signed", is_signed)
      .add("phase", phase_name(phase.phase))
      .add("step", phase.step)
      .add("steps", phase.steps)
      .add("phase_text", phase.description);
  if (key != nullptr && is_signed) {
    auto algorithm = dnssec_algorithm_from_number(key->algorithm);
    out.add("algorithm", algorithm ? dnssec_algorithm_to_text(*algorithm) : "")
        .add("algorithm_number", unsigned{key->algorithm})
        .add("key_tag", unsigned{key->key_tag})
        .add("flags", unsigned{key->flags})
        .add("created", time_text(key->created_s))
        .add("denial", dnssec.settings.denial == DenialOfExistence::kNsec3 ? "nsec3" : "nsec");
    if (dnssec.settings.denial == DenialOfExistence::kNsec3)
      out.add("nsec3_opt_out", dnssec.settings.nsec3_opt_out)
          .add("nsec3_iterations", 0u)
          .add("nsec3_salt", "");
    out.add("signature_validity_s", config.signature_validity_s)
        .add("signature_refresh_s", config.signature_refresh_s)
        .add("inception_backdate_s", storage::SigningPolicy{}.inception_backdate_s)
        .add("stored_signatures", stored.count)
        .add_raw("earliest_signature_expiration", optional_time_json(stored.earliest_s))
        .add_raw("next_renewal", optional_time_json(stored.renewal_s));
  }
  const auto retired = std::count_if(dnssec.keys.begin(), dnssec.keys.end(),
                                     [&](const auto& k) { return key_state(k, now) == "removed"; });
  std::vector<std::string> keys;
  for (const auto& k : dnssec.keys) keys.push_back(key_json(k, now));
  std::vector<std::string> events;
  for (const Event& e : next_events(dnssec, now))
    events.push_back(JsonObject().add("at", time_text(e.at)).add("event", e.what).str());
  out.add("retired_keys", static_cast<std::size_t>(retired))
      .add_raw("keys", json_array(keys))
      .add_raw("next_events", json_array(events))
      .add_raw("insecure_after", optional_time_json(storage::insecure_after(dnssec.settings)));
  return out.str();
}

std::string time_or_dash(const std::optional<std::int64_t>& at) {
  return at ? time_text(*at) : "-";
}

std::string keys_text(const storage::ZoneDnssec& dnssec, std::int64_t now) {
  std::string out =
      "  keys        (tag, algorithm, role, state: published / active / retired / "
      "removed at)\n";
  for (const auto& k : dnssec.keys)
    out += "    " + std::to_string(k.key_tag) + "  " + std::to_string(k.algorithm) + "  CSK  " +
           key_state(k, now) + ": " + time_or_dash(k.times.publish_s) + " / " +
           time_or_dash(k.times.active_s) + " / " + time_or_dash(k.times.retire_s) + " / " +
           time_or_dash(k.times.remove_s) + "\n";
  return out;
}

std::string status_text(const storage::ZoneDnssec& dnssec, const StoredSignatures& stored,
                        const AdminConfig& config, std::int64_t now) {
  const auto* key = dnssec.active_key();
  const storage::PhaseAt phase = storage::phase_at(dnssec, now);
  std::string out = "zone " + dnssec.apex.to_text() + ": " + phase.description + "\n";
  if (phase.phase != storage::DnssecPhase::kUnsigned && key != nullptr) {
    auto algorithm = dnssec_algorithm_from_number(key->algorithm);
    out += "  algorithm   " +
           std::string(algorithm ? dnssec_algorithm_to_text(*algorithm) : "unknown") + " (" +
           std::to_string(key->algorithm) + ")\n";
    out += "  key tag     " + std::to_string(key->key_tag) + " (flags " +
           std::to_string(key->flags) + ", CSK)\n";
    out += "  created     " + time_text(key->created_s) + "\n";
    out += "  denial      " + denial_text(dnssec.settings) +
           (dnssec.settings.denial == DenialOfExistence::kNsec3
                ? " (SHA-1, 0 extra iterations, no salt)\n"
                : "\n");
    out += "  signatures  valid " + std::to_string(config.signature_validity_s) +
           " s from signing (inception " +
           std::to_string(storage::SigningPolicy{}.inception_backdate_s) +
           " s before), renewed by apexd when less than " +
           std::to_string(config.signature_refresh_s) + " s remain\n";
    out += stored.earliest_s
               ? "  stored      " + std::to_string(stored.count) +
                     " signature(s); the earliest expires " + time_text(*stored.earliest_s) +
                     ", renewed from " + time_text(*stored.renewal_s) + "\n"
               : "  stored      none yet: apexd signs the zone when it loads it\n";
  }
  if (!dnssec.keys.empty()) out += keys_text(dnssec, now);
  const auto events = next_events(dnssec, now);
  if (!events.empty()) out += "  next events\n";
  for (const Event& e : events) out += "    " + time_text(e.at) + "  " + e.what + "\n";
  return out;
}

}  // namespace

int run_dnssec_status(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kJsonOption);
  if (!line) return ctx.usage_error(line.error(), "dnssec status");
  if (line->positional.size() != 1) return ctx.usage_error("expected one ZONE", "dnssec status");
  ExitCode code = ExitCode::kOk;
  auto dnssec = read_dnssec(ctx, line->positional[0], code);
  if (!dnssec) return ctx.fail(code, dnssec.error());
  auto db = ctx.open_database(storage::OpenMode::kReadOnly);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto rows = (*db)->zone_signatures(dnssec->apex);
  if (!rows) return ctx.fail(ExitCode::kDatabase, rows.error());
  const std::int64_t now = unix_seconds();
  const StoredSignatures stored = stored_signatures(*rows, ctx.config, now);
  ctx.out << (line->has("--json") ? status_json(*dnssec, stored, ctx.config, now) + "\n"
                                  : status_text(*dnssec, stored, ctx.config, now));
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
