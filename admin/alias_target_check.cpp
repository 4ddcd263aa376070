// alias set's check of the new target, through apexd: refresh, then read what it saved.
#include "admin/alias_target_check.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "admin/alias_inventory.hpp"
#include "admin/alias_results.hpp"
#include "admin/alias_status.hpp"
#include "admin/control_client.hpp"
#include "admin/control_commands.hpp"
#include "admin/json_value.hpp"

namespace apex::admin {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// How long alias set waits for apexd's result: a target that answers at all answers well
// within it; a slower one is reported as not resolving yet.
constexpr auto kTargetCheckWait = 2s;
constexpr auto kPoll = 100ms;
constexpr RRType kFamilies[] = {RRType::A, RRType::AAAA};

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Asks apexd to resolve owner's target now. apexd follows the change log within
// milliseconds; until it has, it does not know the alias, so a refusal is retried.
// False when apexd is not running or cannot be asked.
bool ask_refresh(const CommandContext& ctx, const Name& owner, Clock::time_point deadline) {
  const std::string request = "alias-refresh " + owner.to_text();
  for (;;) {
    const ControlExchange exchange = exchange_control(control_socket_of(ctx), request, 1s);
    if (exchange.outcome != ControlExchange::Outcome::kReply) return false;
    auto reply = JsonValue::parse(exchange.text);
    if (reply && (*reply)["ok"].truthy()) return true;
    if (Clock::now() + kPoll >= deadline) return true;  // read what there is
    std::this_thread::sleep_for(kPoll);
  }
}

struct Found {
  std::optional<AliasEntry> alias;
  std::vector<storage::AliasTargetRow> rows;
};

Found read_alias(const CommandContext& ctx, const Name& owner) {
  Found found;
  auto db = ctx.open_database(storage::OpenMode::kReadOnly);
  if (!db) return found;
  auto apex = (*db)->find_enclosing_zone(owner);
  if (!apex || !*apex) return found;
  auto aliases = zone_aliases(**db, **apex);
  if (!aliases || !*aliases) return found;
  for (AliasEntry& a : **aliases)
    if (a.owner == owner) found.alias = std::move(a);
  auto rows = (*db)->alias_targets();
  if (rows) found.rows = std::move(rows).value();
  return found;
}

// Both families have a result from an attempt that completed after since_ms.
bool answered_since(const Found& found, std::int64_t since_ms) {
  if (!found.alias) return false;
  const AliasResults results(found.rows);
  for (RRType family : kFamilies) {
    const storage::AliasTargetRow* row = results.find(found.alias->target, family);
    if (row == nullptr || row->last_attempt_ms < since_ms) return false;
  }
  return true;
}

// Why the target does not resolve, or nullopt when some family has fresh addresses.
std::optional<std::string> not_resolving(const AliasEntry& alias, const AliasResults& results,
                                         bool answered) {
  std::string errors;
  bool negative = true;
  for (RRType family : kFamilies) {
    const storage::AliasTargetRow* row = results.find(alias.target, family);
    const std::string_view state = state_word(row);
    if (state == "fresh") return std::nullopt;
    negative = negative && state == "negative";
    if (row != nullptr && !row->last_error.empty() &&
        errors.find(row->last_error) == std::string::npos)
      errors += (errors.empty() ? "" : "; ") + row->last_error;
  }
  if (!answered) return "no result within " + std::to_string(kTargetCheckWait.count()) + " s";
  if (negative) return std::string("it has no A or AAAA records (NXDOMAIN or NODATA)");
  return errors.empty() ? std::string("it failed to resolve") : errors;
}

std::string served_text(const ServedAnswer& served) {
  switch (served.kind) {
    case ServedAnswer::Kind::kNoData:
      return "NODATA";
    case ServedAnswer::Kind::kServFail:
      return "SERVFAIL";
    case ServedAnswer::Kind::kFallback:
    case ServedAnswer::Kind::kAddresses:
      break;
  }
  std::string text = served.kind == ServedAnswer::Kind::kFallback ? "fallback" : "stale";
  for (const std::string& a : served.addresses) text += " " + a;
  return text;
}

}  // namespace

void check_alias_target(const CommandContext& ctx, const Name& owner) {
  // A target other aliases already follow, with fresh addresses: apexd serves them at once,
  // nothing to ask or wait for.
  Found found = read_alias(ctx, owner);
  if (found.alias && !not_resolving(*found.alias, AliasResults(found.rows), true)) return;
  const auto deadline = Clock::now() + kTargetCheckWait;
  const std::int64_t asked_ms = wall_ms();
  if (!ask_refresh(ctx, owner, deadline)) return;
  found = read_alias(ctx, owner);
  while (!answered_since(found, asked_ms) && Clock::now() < deadline) {
    std::this_thread::sleep_for(kPoll);
    found = read_alias(ctx, owner);
  }
  if (!found.alias) return;
  const AliasResults results(found.rows);
  auto why = not_resolving(*found.alias, results, answered_since(found, asked_ms));
  if (!why) return;
  std::string meanwhile;
  for (RRType family : kFamilies) {
    const ServedAnswer served = served_answer(*found.alias, family, results, ctx.config.flatten);
    meanwhile +=
        (meanwhile.empty() ? "" : ", ") + rrtype_to_text(family) + " " + served_text(served);
  }
  ctx.err << "apexctl: warning: the target " << found.alias->target.to_text() << " of "
          << owner.to_text() << " does not resolve (" << *why << "); the alias is set, and "
          << owner.to_text() << " is answered meanwhile: " << meanwhile << "\n";
  const std::string args[] = {owner.to_text()};
  run_alias_status(args, ctx);
}

}  // namespace apex::admin
