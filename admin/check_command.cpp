// apexctl check [ZONE]: the zone rules and the cross-zone rules over stored zones.
#include "admin/check_command.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <vector>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/stored_zones.hpp"
#include "admin/zone_validation.hpp"
#include "zones/json_text.hpp"
#include "zones/master_file.hpp"

namespace apex::admin {

const char* const kCheckUsage =
    "Usage: apexctl [--db FILE] check [ZONE] [--verbose] [--json]\n"
    "       apexctl check --file PATH [--json]\n"
    "\n"
    "Validates ZONE, or every stored zone, with the rules every change passes: those the\n"
    "server applies when it loads a zone (RFC 1034/1035/2181: one SOA at the apex, NS at\n"
    "the apex, CNAME alone, one TTL per RRset, below a zone cut only glue addresses, ...),\n"
    "and ALIAS loops through the stored zones. Warns about what is legal but probably a\n"
    "mistake: NS, MX or SRV targets that are a CNAME or have no address in the zone, missing\n"
    "or unused glue, data a stored child zone hides. Prints each finding (FAILED or\n"
    "warning, with its rule), then a summary. Exit status 1 when any zone fails, or when a\n"
    "table or index of the schema is missing (each is named; 'apexctl init' recreates them).\n"
    "  --file PATH  check a master file (read as 'zone import' reads it) instead of the\n"
    "             database, before importing it; no database is needed, so the rules across\n"
    "             zones are left out\n"
    "  --verbose  also list every zone that passes, with its glue records (the default\n"
    "             when ZONE is given)\n"
    "  --json     print {\"checked\", \"failed\", \"zones\": [{\"zone\", \"ok\", \"records\",\n"
    "             \"error\", \"warnings\", \"glue\": [{\"name\", \"type\", \"delegation\"}],\n"
    "             \"findings\": [{\"owner\", \"type\", \"rule\", \"message\", \"severity\"}]}]}\n";

namespace {

constexpr OptionSpec kOptions[] = {{"--file", true}, {"--json", false}, {"--verbose", false}};

struct ZoneResult {
  Name apex;
  std::size_t records = 0;
  std::vector<Finding> findings;  // errors first, then warnings
  std::vector<GlueRecord> glue;

  const Finding* error() const {
    return !findings.empty() && findings.front().severity == Severity::kError ? &findings.front()
                                                                              : nullptr;
  }
  std::size_t warnings() const {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(),
                      [](const Finding& f) { return f.severity == Severity::kWarning; }));
  }
};

// The zone's own rules on the records as stored (their messages cover what grouping into
// RRsets would hide: differing TTLs within an RRset), then the rules across zones.
Result<ZoneResult> check_records(ZoneSource* zones, const Name& apex, std::vector<Record> records) {
  ZoneResult result;
  result.apex = apex;
  result.records = records.size();
  auto grouped = WorkingZone::from_records(apex, records);
  ZoneVerdict verdict = validate_records(apex, std::move(records));
  if (verdict.zone) result.glue = zone_glue(*verdict.zone);
  std::vector<Finding> across;
  if (grouped && zones) {
    auto found = stored_zone_findings(*zones, *grouped);
    if (!found) return Error{found.error()};
    across = std::move(found).value();
  }
  const auto is_error = [](const Finding& f) { return f.severity == Severity::kError; };
  result.findings = std::move(verdict.errors);
  std::copy_if(across.begin(), across.end(), std::back_inserter(result.findings), is_error);
  for (Finding& f : verdict.warnings) result.findings.push_back(std::move(f));
  std::copy_if(across.begin(), across.end(), std::back_inserter(result.findings),
               [&](const Finding& f) { return !is_error(f); });
  return result;
}

std::string json_finding(const Finding& f) {
  return JsonObject()
      .add("owner", f.owner.to_text())
      .add("type", rrtype_to_text(f.type))
      .add("rule", f.rule)
      .add("message", f.message)
      .add("severity", std::string(severity_text(f.severity)))
      .str();
}

std::string json_result(const ZoneResult& r) {
  std::vector<std::string> warnings, glue, findings;
  for (const Finding& f : r.findings) {
    if (f.severity == Severity::kWarning) warnings.push_back(f.message);
    findings.push_back(json_finding(f));
  }
  for (const GlueRecord& g : r.glue) {
    glue.push_back(JsonObject()
                       .add("name", g.owner.to_text())
                       .add("type", rrtype_to_text(g.type))
                       .add("delegation", g.cut.to_text())
                       .str());
  }
  JsonObject out;
  out.add("zone", r.apex.to_text()).add("ok", r.error() == nullptr).add("records", r.records);
  out.add_raw("error", r.error() ? json_string(r.error()->message) : "null");
  out.add_raw("warnings", json_string_array(warnings)).add_raw("glue", json_array(glue, false));
  out.add_raw("findings", json_array(findings, false));
  return out.str();
}

std::string text_result(const ZoneResult& r, bool verbose) {
  const std::string zone = r.apex.to_text();
  std::string text;
  if (verbose && !r.error()) {
    text += zone + ": ok, " + std::to_string(r.records) + " records, " +
            std::to_string(r.glue.size()) + " glue\n";
    for (const GlueRecord& g : r.glue) {
      text += zone + ": glue " + g.owner.to_text() + " " + rrtype_to_text(g.type) +
              " for the delegation " + g.cut.to_text() + "\n";
    }
  }
  for (const Finding& f : r.findings) {
    const char* kind = f.severity == Severity::kError ? ": FAILED: " : ": warning: ";
    text += zone + kind + f.message + " [" + f.rule + "]\n";
  }
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
  if (r.error()) ++tally.failed;
  tally.warnings += r.warnings();
  if (json) {
    tally.json.push_back(json_result(r));
  } else {
    out << text_result(r, verbose);
  }
}

int summarize(const Tally& tally, bool json, const CommandContext& ctx) {
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

// A master file checked before it is imported: the zone's own rules, without the database
// (so without the rules across zones). The file is read as zone import reads it.
int check_file(const std::string& path, bool json, const CommandContext& ctx) {
  MasterFileOptions options;
  options.limits = ctx.config.import_limits;
  options.include_hint = "zone import --allow-include DIR allows files inside DIR";
  auto file = read_master_file(path, std::nullopt, options);
  if (!file) return ctx.fail(ExitCode::kRefused, file.error());
  const Name apex = file->origin.lowercased();
  auto result = check_records(nullptr, apex, std::move(file->records));
  if (!result) return ctx.fail(ExitCode::kRefused, result.error());
  Tally tally;
  record(*result, json, true, tally, ctx.out);
  return summarize(tally, json, ctx);
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
  if (auto file = line->value("--file")) {
    if (only) return ctx.usage_error("--file PATH checks the file, without a ZONE", "check");
    return check_file(*file, json, ctx);
  }
  const bool verbose = line->has("--verbose") || only.has_value();
  auto db = ctx.open_database(storage::OpenMode::kReadOnly);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto missing = (*db)->missing_schema();
  if (!missing) return ctx.fail(ExitCode::kDatabase, missing.error());
  if (!missing->empty()) return report_missing(*missing, json, ctx);
  Tally tally;
  StoredZones zones(**db);
  if (only) {
    auto records = (*db)->zone_records(*only);
    if (!records) return ctx.fail(ExitCode::kDatabase, records.error());
    if (!*records) {
      return ctx.fail(ExitCode::kRefused, "zone " + only->to_text() + " is not in the database");
    }
    auto result = check_records(&zones, *only, std::move(**records));
    if (!result) return ctx.fail(ExitCode::kDatabase, result.error());
    record(*result, json, verbose, tally, ctx.out);
  } else {
    // Streamed zone by zone: memory stays bounded by the largest zone (and the zones the
    // cross-zone rules keep, StoredZones).
    std::optional<std::string> failed;
    auto done = (*db)->for_each_zone([&](const Name& apex, std::vector<Record>&& records) {
      if (failed) return;
      auto result = check_records(&zones, apex, std::move(records));
      if (!result) {
        failed = result.error();
        return;
      }
      record(*result, json, verbose, tally, ctx.out);
    });
    if (!done) return ctx.fail(ExitCode::kDatabase, done.error());
    if (failed) return ctx.fail(ExitCode::kDatabase, *failed);
  }
  return summarize(tally, json, ctx);
}

}  // namespace apex::admin
