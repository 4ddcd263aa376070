// apexctl zone show ZONE: SOA fields, serial, name servers, counts, the last change.
#include "admin/zone_show.hpp"
#include "admin/zone_reading.hpp"

#include <optional>
#include <sstream>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/iso_time.hpp"
#include "zones/json_text.hpp"
#include "admin/soa_fields.hpp"
#include "admin/working_zone.hpp"

namespace apex::admin {

const char* const kZoneShowUsage =
    "Usage: apexctl [--db FILE] zone show ZONE [--json]\n"
    "\n"
    "Shows ZONE's SOA fields and serial, its name servers, how many records and RRsets it\n"
    "holds, whether it is provider-owned (ALIAS targets in it resolve from this server's\n"
    "data), and its last change (time, actor, operation).\n"
    "  --json   print one JSON object: {\"zone\", \"serial\", \"soa\": {\"ttl\", \"mname\",\n"
    "           \"rname\", \"serial\", \"refresh\", \"retry\", \"expire\", \"minimum\"}, \"ns\",\n"
    "           \"records\", \"rrsets\", \"names\", \"provider\", \"last_change\": {\"id\",\n"
    "           \"time\", "
    "\"actor\",\n"
    "           \"operation\"} or null}\n";

namespace {

constexpr OptionSpec kOptions[] = {{"--json", false}};

struct ZoneFacts {
  Name apex;
  std::optional<SoaFields> soa;
  std::uint32_t soa_ttl = 0;
  std::vector<std::string> ns;
  std::size_t records = 0;
  std::size_t rrsets = 0;
  std::size_t names = 0;
  bool provider = false;
  std::optional<storage::LoggedChange> last_change;
};

ZoneFacts gather(const WorkingZone& zone) {
  ZoneFacts facts;
  facts.apex = zone.apex();
  if (const RRsetData* soa = zone.find(zone.apex(), RRType::SOA); soa && !soa->rdatas.empty()) {
    if (auto fields = soa_fields(soa->rdatas.front())) facts.soa = *fields;
    facts.soa_ttl = soa->ttl;
  }
  if (const RRsetData* ns = zone.find(zone.apex(), RRType::NS)) {
    for (const Rdata& rdata : ns->rdatas) {
      if (auto name = Name::from_wire(rdata)) facts.ns.push_back(name->to_text());
    }
  }
  facts.records = zone.record_count();
  facts.rrsets = zone.rrsets().size();
  const Name* previous = nullptr;
  for (const auto& [key, rrset] : zone.rrsets()) {
    if (previous == nullptr || !(*previous == key.owner)) ++facts.names;
    previous = &key.owner;
  }
  return facts;
}

std::string json_facts(const ZoneFacts& f) {
  JsonObject out;
  out.add("zone", f.apex.to_text());
  if (f.soa) {
    out.add("serial", f.soa->serial);
    out.add_raw("soa", JsonObject()
                           .add("ttl", f.soa_ttl)
                           .add("mname", f.soa->mname.to_text())
                           .add("rname", f.soa->rname.to_text())
                           .add("serial", f.soa->serial)
                           .add("refresh", f.soa->refresh)
                           .add("retry", f.soa->retry)
                           .add("expire", f.soa->expire)
                           .add("minimum", f.soa->minimum)
                           .str());
  } else {
    out.add_raw("serial", "null").add_raw("soa", "null");
  }
  out.add_raw("ns", json_string_array(f.ns));
  out.add("records", f.records).add("rrsets", f.rrsets).add("names", f.names);
  out.add("provider", f.provider);
  if (f.last_change) {
    const auto& c = *f.last_change;
    out.add_raw("last_change", JsonObject()
                                   .add("id", c.id)
                                   .add("time", iso8601_utc(c.at_ms))
                                   .add("actor", c.entry.actor)
                                   .add("operation", c.entry.operation)
                                   .str());
  } else {
    out.add_raw("last_change", "null");
  }
  return out.str() + "\n";
}

std::string text_facts(const ZoneFacts& f) {
  std::ostringstream out;
  auto row = [&](const char* key, const std::string& value) {
    out << std::string(key) << std::string(13 - std::string_view(key).size(), ' ') << value << '\n';
  };
  row("zone", f.apex.to_text());
  if (f.soa) {
    row("serial", std::to_string(f.soa->serial));
    row("mname", f.soa->mname.to_text() + "  (primary name server)");
    row("rname", f.soa->rname.to_text() + "  (contact mailbox)");
    row("refresh", std::to_string(f.soa->refresh));
    row("retry", std::to_string(f.soa->retry));
    row("expire", std::to_string(f.soa->expire));
    row("minimum", std::to_string(f.soa->minimum) + "  (negative caching, RFC 2308)");
    row("soa ttl", std::to_string(f.soa_ttl));
  } else {
    row("serial", "none (the zone has no valid SOA record: run 'apexctl check')");
  }
  std::string ns;
  for (const std::string& n : f.ns) ns += (ns.empty() ? "" : " ") + n;
  row("nameservers", ns.empty() ? "none" : ns);
  row("records", std::to_string(f.records) + " in " + std::to_string(f.rrsets) + " RRsets at " +
                     std::to_string(f.names) + " names");
  row("provider", f.provider ? "yes  (ALIAS targets in this zone resolve locally)"
                             : "no  (ALIAS targets in this zone resolve upstream)");
  if (f.last_change) {
    const auto& c = *f.last_change;
    row("last change", iso8601_utc(c.at_ms) + " by " + c.entry.actor + ": " + c.entry.operation +
                           " (#" + std::to_string(c.id) + ")");
  } else {
    row("last change", "none logged");
  }
  return out.str();
}

}  // namespace

int run_zone_show(std::span<const std::string> args, const CommandContext& ctx) {
  int failed = 0;
  auto read = read_zone_argument(args, kOptions, "zone show", ctx, failed);
  if (!read) return failed;
  const Name& apex = read->apex;
  auto zone = WorkingZone::from_records(apex.lowercased(), read->records);
  if (!zone) return ctx.fail(ExitCode::kRefused, "zone " + apex.to_text() + ": " + zone.error());
  ZoneFacts facts = gather(*zone);
  auto provider = read->db->zone_provider(apex);
  if (!provider) return ctx.fail(ExitCode::kDatabase, provider.error());
  facts.provider = provider->value_or(false);
  auto history = read->db->change_history(apex, 1);
  if (!history) return ctx.fail(ExitCode::kDatabase, history.error());
  if (!history->empty()) facts.last_change = history->front();
  ctx.out << (read->line.has("--json") ? json_facts(facts) : text_facts(facts));
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
