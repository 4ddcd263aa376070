// apexctl check [ZONE]: build_zone and the delegation rules over stored zones.
#include "admin/check_command.hpp"

#include <optional>
#include <vector>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "zones/json_text.hpp"
#include "admin/zone_validation.hpp"
#include "zones/zone_builder.hpp"

namespace apex::admin {

const char* const kCheckUsage =
    "Usage: apexctl [--db FILE] check [ZONE] [--verbose] [--json]\n"
    "\n"
    "Validates ZONE, or every stored zone, with the rules every change passes: those the\n"
    "server applies when it loads a zone (RFC 1034/1035/2181: one SOA at the apex, NS at\n"
    "the apex, CNAME alone, one TTL per RRset, ...) and the delegation rules (below a zone\n"
    "cut only glue addresses; other data there is occluded). Prints each failing zone and\n"
    "each warning (in-zone name servers without addresses, glue no NS names), then a\n"
    "summary. Exit status 1 when any zone fails, or when a table or index of the schema is\n"
    "missing (each is named; 'apexctl init' recreates them).\n"
    "  --verbose  also list every zone that passes, with its glue records (the default\n"
    "             when ZONE is given)\n"
    "  --json     print {\"checked\", \"failed\", \"zones\": [{\"zone\", \"ok\", \"records\",\n"
    "             \"error\", \"warnings\", \"glue\": [{\"name\", \"type\", \"delegation\"}]}]}\n";

namespace {

constexpr OptionSpec kOptions[] = {{"--json", false}, {"--verbose", false}};

struct ZoneResult {
  Name apex;
  std::size_t records = 0;
  std::optional<std::string> error;
  DelegationReport delegations;
};

ZoneResult check_records(const Name& apex, std::vector<Record> records) {
  ZoneResult result;
  result.apex = apex;
  result.records = records.size();
  // build_zone on the records as stored: its messages cover what grouping into RRsets would
  // hide (differing TTLs within an RRset).
  if (auto built = build_zone(apex, records); !built) {
    result.error = built.error();
    return result;
  }
  auto zone = WorkingZone::from_records(apex, records);
  if (!zone) {
    result.error = zone.error();
    return result;
  }
  const ZoneVerdict verdict = validate_zone(*zone);
  if (verdict.error) result.error = verdict.error->message;
  result.delegations = verdict.delegations;
  return result;
}

std::string json_result(const ZoneResult& r) {
  std::vector<std::string> warnings, glue;
  for (const RuleFinding& w : r.delegations.warnings) warnings.push_back(w.message);
  for (const GlueRecord& g : r.delegations.glue) {
    glue.push_back(JsonObject()
                       .add("name", g.owner.to_text())
                       .add("type", rrtype_to_text(g.type))
                       .add("delegation", g.cut.to_text())
                       .str());
  }
  JsonObject out;
  out.add("zone", r.apex.to_text()).add("ok", !r.error).add("records", r.records);
  out.add_raw("error", r.error ? json_string(*r.error) : "null");
  out.add_raw("warnings", json_string_array(warnings)).add_raw("glue", json_array(glue, false));
  return out.str();
}

std::string text_result(const ZoneResult& r, bool verbose) {
  const std::string zone = r.apex.to_text();
  if (r.error) return zone + ": FAILED: " + *r.error + "\n";
  std::string text;
  if (verbose) {
    text += zone + ": ok, " + std::to_string(r.records) + " records, " +
            std::to_string(r.delegations.glue.size()) + " glue\n";
    for (const GlueRecord& g : r.delegations.glue) {
      text += zone + ": glue " + g.owner.to_text() + " " + rrtype_to_text(g.type) +
              " for the delegation " + g.cut.to_text() + "\n";
    }
  }
  for (const RuleFinding& w : r.delegations.warnings)
    text += zone + ": warning: " + w.message + "\n";
  return text;
}

struct Tally {
  std::size_t checked = 0;
  std::size_t failed = 0;
  std::size_t warnings = 0;
  std::vector<std::string> json;
};

void record(const ZoneResult& r, bool json, bool verbose, Tally& tally, std::ostream& out) {
  ++tally.checked;
  if (r.error) ++tally.failed;
  tally.warnings += r.delegations.warnings.size();
  if (json) {
    tally.json.push_back(json_result(r));
  } else {
    out << text_result(r, verbose);
  }
}

// Zones are not checked on a damaged schema: their tables may be the ones missing.
int report_missing(const std::vector<std::string>& missing, bool json, const CommandContext& ctx) {
  if (json) {
    ctx.out << JsonObject()
                   .add("checked", std::size_t{0})
                   .add("failed", std::size_t{0})
                   .add_raw("zones", "[]")
                   .add_raw("missing", json_string_array(missing))
                   .str()
            << '\n';
  } else {
    for (const std::string& object : missing)
      ctx.out << "database: " << object << " is missing (run 'apexctl init' to recreate it)\n";
  }
  return ctx.fail(ExitCode::kRefused,
                  "the database schema is incomplete: " + std::to_string(missing.size()) +
                      " table(s) or index(es) missing");
}

}  // namespace

int run_check_command(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kOptions);
  if (!line) return ctx.usage_error(line.error(), "check");
  if (line->positional.size() > 1) return ctx.usage_error("expected at most one ZONE", "check");
  auto given = optional_name_argument(line->positional);
  if (!given) return ctx.fail(ExitCode::kRefused, given.error());
  std::optional<Name> only = std::move(given).value();
  if (only) only = only->lowercased();  // reported as stored
  const bool json = line->has("--json");
  const bool verbose = line->has("--verbose") || only.has_value();
  auto db = ctx.open_database(storage::OpenMode::kReadOnly);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto missing = (*db)->missing_schema();
  if (!missing) return ctx.fail(ExitCode::kDatabase, missing.error());
  if (!missing->empty()) return report_missing(*missing, json, ctx);
  Tally tally;
  if (only) {
    auto records = (*db)->zone_records(*only);
    if (!records) return ctx.fail(ExitCode::kDatabase, records.error());
    if (!*records) {
      return ctx.fail(ExitCode::kRefused, "zone " + only->to_text() + " is not in the database");
    }
    record(check_records(*only, std::move(**records)), json, verbose, tally, ctx.out);
  } else {
    // Streamed zone by zone: memory stays bounded by the largest zone.
    auto done = (*db)->for_each_zone([&](const Name& apex, std::vector<Record>&& records) {
      record(check_records(apex, std::move(records)), json, verbose, tally, ctx.out);
    });
    if (!done) return ctx.fail(ExitCode::kDatabase, done.error());
  }
  if (json) {
    ctx.out << JsonObject()
                   .add("checked", tally.checked)
                   .add("failed", tally.failed)
                   .add_raw("zones", json_array(tally.json, true))
                   .add_raw("missing", "[]")
                   .str()
            << '\n';
  } else {
    ctx.out << "checked " << tally.checked << " zones: " << tally.failed << " failed, "
            << tally.warnings << " warnings\n";
  }
  return to_int(tally.failed == 0 ? ExitCode::kOk : ExitCode::kRefused);
}

}  // namespace apex::admin
