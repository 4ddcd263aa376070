// apexctl zone status ZONE: the zone's serial and, per secondary that gets it, the last
// NOTIFY sent and acknowledged and the last serial transferred. Reads only.
#include "admin/zone_status.hpp"
#include "admin/zone_reading.hpp"

#include <algorithm>
#include <optional>
#include <sstream>
#include <vector>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/iso_time.hpp"
#include "zones/json_text.hpp"
#include "admin/soa_fields.hpp"

namespace apex::admin {

const char* const kZoneStatusUsage =
    "Usage: apexctl [--db FILE] zone status ZONE [--json]\n"
    "\n"
    "Shows ZONE's serial and, for each secondary that gets it (see 'apexctl secondary\n"
    "list'), what apexd last recorded: the NOTIFY sent (time, serial announced), its\n"
    "acknowledgement, and the last transfer (time, serial). A secondary is behind when the\n"
    "serial it last transferred is not the zone's serial (or it never transferred the\n"
    "zone). apexd records these at most a second after they happen; transfers are matched\n"
    "to secondaries by source address.\n"
    "  --json   print one JSON object: {\"zone\", \"serial\", \"secondaries\": [{\"address\",\n"
    "           \"port\", \"key\", \"notify\": {\"sent\", \"serial\", \"acknowledged\"},\n"
    "           \"transfer\": {\"time\", \"serial\"}, \"behind\"}]}; what never happened is\n"
    "           null\n";

namespace {

constexpr OptionSpec kOptions[] = {{"--json", false}};

struct SecondaryStatus {
  const storage::Secondary* secondary;
  storage::SecondaryState state;  // all zero when nothing was recorded
};

struct ZoneStatus {
  Name apex;
  std::optional<std::uint32_t> serial;  // none: the stored zone has no valid SOA
  std::vector<SecondaryStatus> secondaries;
};

std::optional<std::uint32_t> stored_serial(const Name& apex, const std::vector<Record>& records) {
  for (const Record& r : records) {
    if (r.type != RRType::SOA || !(r.owner == apex)) continue;
    if (auto fields = soa_fields(r.rdata)) return fields->serial;
  }
  return std::nullopt;
}

bool behind(const ZoneStatus& zone, const storage::SecondaryState& state) {
  return state.transfer_serial != zone.serial;
}

std::string time_json(std::int64_t ms) {
  return ms == 0 ? "null" : json_string(iso8601_utc(ms));
}

std::string serial_json(const std::optional<std::uint32_t>& serial) {
  return serial ? std::to_string(*serial) : "null";
}

std::string json_status(const ZoneStatus& zone) {
  std::vector<std::string> elements;
  for (const auto& [secondary, state] : zone.secondaries) {
    const std::string notify = JsonObject()
                                   .add_raw("sent", time_json(state.notify_sent_ms))
                                   .add_raw("serial", serial_json(state.notify_serial))
                                   .add_raw("acknowledged", time_json(state.notify_acked_ms))
                                   .str();
    const std::string transfer = JsonObject()
                                     .add_raw("time", time_json(state.transfer_ms))
                                     .add_raw("serial", serial_json(state.transfer_serial))
                                     .str();
    elements.push_back(
        JsonObject()
            .add("address", secondary->address)
            .add("port", secondary->port)
            .add_raw("key", secondary->key ? json_string(secondary->key->to_text()) : "null")
            .add_raw("notify", notify)
            .add_raw("transfer", transfer)
            .add("behind", behind(zone, state))
            .str());
  }
  return JsonObject()
             .add("zone", zone.apex.to_text())
             .add_raw("serial", serial_json(zone.serial))
             .add_raw("secondaries", json_array(elements, false))
             .str() +
         "\n";
}

std::string notify_text(const storage::SecondaryState& s) {
  if (s.notify_sent_ms == 0) return "never";
  return iso8601_utc(s.notify_sent_ms) + "  serial " + serial_json(s.notify_serial);
}

// RFC 1996 §4.7: an acknowledgement older than the last NOTIFY answered an earlier one.
std::string acknowledged_text(const storage::SecondaryState& s) {
  if (s.notify_acked_ms == 0) return s.notify_sent_ms == 0 ? "never" : "not yet";
  if (s.notify_acked_ms < s.notify_sent_ms)
    return iso8601_utc(s.notify_acked_ms) + "  (the NOTIFY sent since is not yet acknowledged)";
  return iso8601_utc(s.notify_acked_ms);
}

std::string transfer_text(const storage::SecondaryState& s) {
  if (s.transfer_ms == 0) return "never";
  return iso8601_utc(s.transfer_ms) + "  serial " + serial_json(s.transfer_serial);
}

std::string state_text(const ZoneStatus& zone, const storage::SecondaryState& s) {
  if (!behind(zone, s)) return "current";
  if (!s.transfer_serial) return "behind (never transferred the zone)";
  return "behind (has serial " + std::to_string(*s.transfer_serial) + ")";
}

std::string text_status(const ZoneStatus& zone) {
  std::ostringstream out;
  out << "zone    " << zone.apex.to_text() << '\n';
  out << "serial  " << (zone.serial ? std::to_string(*zone.serial) : "none (no valid SOA record)")
      << '\n';
  if (zone.secondaries.empty()) out << "no secondary gets this zone\n";
  for (const auto& [secondary, state] : zone.secondaries) {
    out << '\n'
        << secondary->endpoint() << "  key "
        << (secondary->key ? secondary->key->to_text() : "none") << '\n';
    out << "  notify sent   " << notify_text(state) << '\n';
    out << "  acknowledged  " << acknowledged_text(state) << '\n';
    out << "  transferred   " << transfer_text(state) << '\n';
    out << "  status        " << state_text(zone, state) << '\n';
  }
  return out.str();
}

// The secondaries that get the zone, each with its recorded state (or none yet).
std::vector<SecondaryStatus> match(const storage::TransferSettings& settings, const Name& apex,
                                   const std::vector<storage::SecondaryState>& states) {
  std::vector<SecondaryStatus> out;
  for (const storage::Secondary& s : settings.secondaries) {
    if (!s.gets_zone(apex)) continue;
    auto it = std::find_if(states.begin(), states.end(), [&](const storage::SecondaryState& st) {
      return st.address == s.address && st.port == s.port;
    });
    storage::SecondaryState nothing_yet;
    nothing_yet.address = s.address;
    nothing_yet.port = s.port;
    out.push_back({&s, it != states.end() ? *it : nothing_yet});
  }
  return out;
}

}  // namespace

int run_zone_status(std::span<const std::string> args, const CommandContext& ctx) {
  int failed = 0;
  auto read = read_zone_argument(args, kOptions, "zone status", ctx, failed);
  if (!read) return failed;
  auto settings = read->db->load_transfer_settings();
  if (!settings) return ctx.fail(ExitCode::kDatabase, settings.error());
  auto states = read->db->secondary_states(read->apex);
  if (!states) return ctx.fail(ExitCode::kDatabase, states.error());
  ZoneStatus zone{read->apex.lowercased(), stored_serial(read->apex, read->records), {}};
  zone.secondaries = match(*settings, zone.apex, *states);
  ctx.out << (read->line.has("--json") ? json_status(zone) : text_status(zone));
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
