// apexctl alias status: the flattener's saved results (alias_state) joined to the aliases.
// apexd saves a target's row whenever its result changes, so the state word is the one of
// that moment; the times say how current it is.
#include "admin/alias_status.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "admin/alias_inventory.hpp"
#include "admin/alias_results.hpp"
#include "admin/alias_settings.hpp"
#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/iso_time.hpp"
#include "zones/json_text.hpp"

namespace apex::admin {

const char* const kAliasStatusUsage =
    "Usage: apexctl [--db FILE] alias status [ZONE|NAME] [--json]\n"
    "\n"
    "Shows, for every alias (or those of ZONE, or the one at NAME; a stored zone's apex\n"
    "means the zone), what apexd's flattener last found for its target, per address family\n"
    "(A, AAAA): the state, what is served (the addresses with the TTL served: the smaller of\n"
    "the ALIAS TTL and the result's TTL, or of apexd's stale TTL while stale or for fallback\n"
    "addresses; NODATA; SERVFAIL), how it was resolved (local: from a provider-owned zone of\n"
    "this server, at least one link of the chain; upstream: by the recursive resolvers), the\n"
    "CNAME chain followed, the last success, since when\n"
    "it fails, the last error (when, and how many attempts failed in a row) and the next\n"
    "refresh (UTC). States:\n"
    "  fresh     addresses as resolved, within their TTL\n"
    "  stale     last-known-good addresses, served while the target fails to resolve (up to\n"
    "            max-stale), or a negative answer is within its grace period\n"
    "  negative  the target has no such records (NXDOMAIN or NODATA): NODATA is served\n"
    "  failed    nothing left to serve: fallback addresses if configured, else SERVFAIL\n"
    "  pending   no result yet (a new alias, or apexd has not resolved it): fallback\n"
    "            addresses if configured, else SERVFAIL\n"
    "The alias's own word is the most serious of its families' (a negative family gives way to\n"
    "the other: a target without AAAA records is normal). The state is the one apexd saved\n"
    "with its last result; reads only.\n"
    "  --json   print a JSON array of {\"owner\", \"zone\", \"target\", \"ttl\", \"fallback\",\n"
    "           \"health\", \"state\", \"a\": FAMILY, \"aaaa\": FAMILY}, FAMILY being {\"state\",\n"
    "           \"serving\" (addresses, fallback, nodata, servfail), \"addresses\" (saved),\n"
    "           \"served_addresses\", \"ttl\" (served, or null), \"result_ttl\", \"source\"\n"
    "           (\"local\", \"upstream\", or null before a result), \"chain\",\n"
    "           \"last_success\", \"last_attempt\", \"failing_since\", \"negative_since\",\n"
    "           \"next_refresh\", \"last_error_at\" (ISO 8601 UTC, or null), \"last_error\"\n"
    "           (or null), \"consecutive_failures\"}\n";

namespace {

constexpr OptionSpec kJsonOption[] = {{"--json", false}};
constexpr RRType kFamilies[] = {RRType::A, RRType::AAAA};

struct FamilyView {
  RRType family;
  const storage::AliasTargetRow* row;  // nullptr: no result yet
  std::string_view state;
  std::vector<std::string> addresses;  // as saved (kept after max-stale, for the record)
  ServedAnswer served;
  std::vector<std::string> chain;
};

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find(' ', pos), text.size());
    if (end > pos) words.emplace_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return words;
}

FamilyView view_of(const AliasEntry& alias, RRType family, const AliasResults& results,
                   const flatten::FlattenPolicy& policy) {
  FamilyView view{family, results.find(alias.target, family), {}, {}, {}, {}};
  view.state = state_word(view.row);
  view.served = served_answer(alias, family, results, policy);
  if (view.row == nullptr) return view;
  view.addresses = split_list(view.row->addresses);
  view.chain = split_words(view.row->chain);
  return view;
}

std::string time_text(std::int64_t ms) {
  return ms == 0 ? "never" : iso8601_utc(ms);
}

std::string time_json(std::int64_t ms) {
  return ms == 0 ? "null" : json_string(iso8601_utc(ms));
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : std::string(separator)) + item;
  return text;
}

// What is served: "fresh: 192.0.2.1 192.0.2.2, TTL 60", "stale: 192.0.2.1, TTL 30",
// "failed: fallback 192.0.2.9, TTL 30", "failed: SERVFAIL", "negative: NODATA",
// "pending: no result yet, SERVFAIL", "pending: no result yet, fallback 192.0.2.9, TTL 30".
std::string family_summary(const FamilyView& v) {
  std::string text = std::string(v.state) + ": ";
  if (v.row == nullptr || v.state == "pending") text += "no result yet, ";
  const ServedAnswer& served = v.served;
  switch (served.kind) {
    case ServedAnswer::Kind::kNoData:
      return text + (v.state == "negative" ? "NODATA" : "NODATA (no fallback of this family)");
    case ServedAnswer::Kind::kServFail:
      return text + "SERVFAIL";
    case ServedAnswer::Kind::kFallback:
      text += "fallback ";
      break;
    case ServedAnswer::Kind::kAddresses:
      break;
  }
  text += joined(served.addresses, " ");
  if (served.ttl) text += ", TTL " + std::to_string(*served.ttl);
  return text;
}

// "last error 2024-05-01T11:59:55.000Z: SERVFAIL from 127.0.0.1:53 (3 failed attempts in a
// row)"; the time is unknown for errors saved before schema 4.
std::string error_text(const storage::AliasTargetRow& r) {
  std::string text = "last error";
  if (r.last_error_ms != 0) text += " " + iso8601_utc(r.last_error_ms);
  text += ": " + r.last_error;
  if (r.consecutive_failures == 1) text += " (1 failed attempt)";
  if (r.consecutive_failures > 1)
    text += " (" + std::to_string(r.consecutive_failures) + " failed attempts in a row)";
  return text;
}

std::string source_text(std::string_view source) {
  if (source == "local") return "local (from a provider-owned zone of this server)";
  if (source == "upstream") return "upstream (by the recursive resolvers)";
  return std::string(source);
}

void print_family(const FamilyView& v, std::ostream& out) {
  const std::string family = rrtype_to_text(v.family);
  const std::string indent(8, ' ');
  out << "  " << family << std::string(6 - family.size(), ' ') << family_summary(v) << '\n';
  if (v.row == nullptr) return;
  const storage::AliasTargetRow& r = *v.row;
  if (!r.source.empty()) out << indent << "resolved " << source_text(r.source) << '\n';
  if (!v.chain.empty()) out << indent << "chain " << joined(v.chain, " -> ") << '\n';
  out << indent << "last success " << time_text(r.last_success_ms) << ", last attempt "
      << time_text(r.last_attempt_ms) << ", next refresh " << time_text(r.next_refresh_ms) << '\n';
  if (r.failing_since_ms != 0)
    out << indent << "failing since " << time_text(r.failing_since_ms) << '\n';
  if (r.negative_since_ms != 0) {
    out << indent << "negative since " << time_text(r.negative_since_ms) << '\n';
  }
  if (!r.last_error.empty()) out << indent << error_text(r) << '\n';
}

void print_alias(const AliasEntry& alias, const FamilyView (&views)[2], std::ostream& out) {
  out << alias.owner.to_text() << " ALIAS " << alias.target.to_text() << " TTL " << alias.ttl
      << ": " << overall_state(views[0].state, views[1].state) << '\n';
  if (has_settings(alias.settings)) out << "  " << settings_text(alias.settings) << '\n';
  for (const FamilyView& v : views) print_family(v, out);
}

std::string family_json(const FamilyView& v) {
  JsonObject o;
  o.add("state", v.state)
      .add("serving", to_text(v.served.kind))
      .add_raw("addresses", json_string_array(v.addresses))
      .add_raw("served_addresses", json_string_array(v.served.addresses))
      .add_raw("ttl", v.served.ttl ? std::to_string(*v.served.ttl) : "null")
      .add_raw("result_ttl", v.row ? std::to_string(v.row->ttl) : "null")
      .add_raw("source", v.row && !v.row->source.empty() ? json_string(v.row->source) : "null")
      .add_raw("chain", json_string_array(v.chain));
  const storage::AliasTargetRow none;
  const storage::AliasTargetRow& r = v.row ? *v.row : none;
  o.add_raw("last_success", time_json(r.last_success_ms))
      .add_raw("last_attempt", time_json(r.last_attempt_ms))
      .add_raw("failing_since", time_json(r.failing_since_ms))
      .add_raw("negative_since", time_json(r.negative_since_ms))
      .add_raw("next_refresh", time_json(r.next_refresh_ms))
      .add_raw("last_error_at", time_json(r.last_error_ms))
      .add_raw("last_error", r.last_error.empty() ? "null" : json_string(r.last_error))
      .add("consecutive_failures", r.consecutive_failures);
  return o.str();
}

std::string alias_json(const AliasEntry& alias, const FamilyView (&views)[2]) {
  return JsonObject()
      .add("owner", alias.owner.to_text())
      .add("zone", alias.zone.to_text())
      .add("target", alias.target.to_text())
      .add("ttl", alias.ttl)
      .add_raw("fallback", json_string_array(fallback_texts(alias.settings)))
      .add_raw("health",
               alias.settings.health_tcp_port ? json_string(health_text(alias.settings)) : "null")
      .add("state", overall_state(views[0].state, views[1].state))
      .add_raw("a", family_json(views[0]))
      .add_raw("aaaa", family_json(views[1]))
      .str();
}

// What the argument selects: every alias; a stored zone's; or the alias at NAME, in the
// zone that holds NAME. A refusal is a message with exit status 1.
struct Selection {
  std::vector<AliasEntry> aliases;
  std::string refusal;
};

Result<Selection> select_aliases(storage::Database& db, const std::optional<Name>& name) {
  Selection selection;
  if (!name) {
    auto all = all_aliases(db);
    if (!all) return Error{all.error()};
    selection.aliases = std::move(all).value();
    return selection;
  }
  auto zone = zone_aliases(db, *name);
  if (!zone) return Error{zone.error()};
  if (*zone) {
    selection.aliases = std::move(**zone);
    return selection;
  }
  auto apex = db.find_enclosing_zone(*name);
  if (!apex) return Error{apex.error()};
  if (!*apex) {
    selection.refusal = "no zone in the database contains " + name->to_text();
    return selection;
  }
  auto in_zone = zone_aliases(db, **apex);
  if (!in_zone) return Error{in_zone.error()};
  for (AliasEntry& a : in_zone->value()) {
    if (a.owner == *name) selection.aliases.push_back(std::move(a));
  }
  if (selection.aliases.empty()) {
    selection.refusal = "no ALIAS at " + name->to_text() + " in zone " + apex->value().to_text();
  }
  return selection;
}

}  // namespace

std::string_view overall_state(std::string_view a, std::string_view aaaa) {
  if (a == aaaa) return a;
  if (a == "negative") return aaaa;
  if (aaaa == "negative") return a;
  for (std::string_view word : {"failed", "pending", "stale", "fresh"}) {
    if (a == word || aaaa == word) return word;
  }
  return a;
}

int run_alias_status(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kJsonOption);
  if (!line) return ctx.usage_error(line.error(), "alias status");
  if (line->positional.size() > 1) return ctx.usage_error("expected [ZONE|NAME]", "alias status");
  auto given = optional_name_argument(line->positional);
  if (!given) return ctx.fail(ExitCode::kRefused, given.error());
  std::optional<Name> name = std::move(given).value();
  auto db = ctx.open_database(storage::OpenMode::kReadOnly);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto selection = select_aliases(**db, name);
  if (!selection) return ctx.fail(ExitCode::kDatabase, selection.error());
  if (!selection->refusal.empty()) return ctx.fail(ExitCode::kRefused, selection->refusal);
  auto rows = (*db)->alias_targets();
  if (!rows) return ctx.fail(ExitCode::kDatabase, rows.error());
  const AliasResults results(std::move(rows).value());
  const bool json = line->has("--json");
  std::vector<std::string> elements;
  bool first = true;
  for (const AliasEntry& alias : selection->aliases) {
    const FamilyView views[2] = {view_of(alias, kFamilies[0], results, ctx.config.flatten),
                                 view_of(alias, kFamilies[1], results, ctx.config.flatten)};
    if (json) {
      elements.push_back(alias_json(alias, views));
      continue;
    }
    if (!first) ctx.out << '\n';
    first = false;
    print_alias(alias, views, ctx.out);
  }
  if (json) ctx.out << json_array(elements, true) << '\n';
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
