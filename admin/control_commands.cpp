// The control socket commands of apexctl (see control_commands.hpp).
#include "admin/control_commands.hpp"

#include <optional>
#include <vector>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/control_client.hpp"
#include "admin/json_value.hpp"
#include "storage/file_locations.hpp"

namespace apex::admin {

const char* const kStatusUsage =
    "Usage: apexctl status [--json] [--control PATH]\n"
    "\n"
    "Asks the running apexd how it is: serving, loading its zones or draining\n"
    "connections to stop; its version, pid, uptime, database, listen addresses and\n"
    "number of zones, and per secondary the zones whose last transferred serial is not\n"
    "the served one. Exit status 0 when apexd serves, 1 when it is loading or draining\n"
    "(or fails to answer), 3 when it is not running.\n"
    "  --json          print apexd's reply, one JSON object\n"
    "  --control PATH  apexd's control socket (default: [control] socket of the\n"
    "                  configuration, else the database path + .sock)\n";

const char* const kStatsUsage =
    "Usage: apexctl stats [--zone ZONE] [--json]\n"
    "\n"
    "Prints apexd's counters: responses, stale ALIAS answers, zone transfers, NOTIFY,\n"
    "the flattener's refreshes and failures, per upstream resolver queries and health.\n"
    "With --zone, one zone instead: the serial served, its record count, each alias with\n"
    "the state and addresses of its target, and each secondary's last serials.\n"
    "  --zone ZONE  one served zone (an error if apexd does not serve it)\n"
    "  --json       print apexd's reply, one JSON object\n";

const char* const kReloadUsage =
    "Usage: apexctl reload\n"
    "\n"
    "Makes apexd read its configuration again, as SIGHUP does. The log level changes at\n"
    "once; other changed settings are listed as waiting for a restart. A configuration\n"
    "with an error is refused (exit status 1) and the running one stays in force.\n";

const char* const kZoneReloadUsage =
    "Usage: apexctl zone reload ZONE\n"
    "\n"
    "Makes apexd read ZONE from the database now and serve it (it follows every change\n"
    "on its own within milliseconds; this is for when it should be forced). Exit status 1\n"
    "when the zone is not in the database or fails validation (the previous data keeps\n"
    "serving).\n";

const char* const kAliasRefreshUsage =
    "Usage: apexctl alias refresh NAME\n"
    "\n"
    "Makes apexd resolve the target of the alias at NAME again now, whatever its TTL (for\n"
    "when the target is known to have moved). The answer changes once the resolution\n"
    "completes; see 'apexctl alias status NAME'.\n";

namespace {

constexpr OptionSpec kJsonOnly[] = {{"--json", false}};
constexpr OptionSpec kStatsOptions[] = {{"--json", false}, {"--zone", true}};
constexpr std::span<const OptionSpec> kNoOptions{};

// apexd's reply to request, parsed, with ok checked; otherwise the exit status to return
// (the message printed).
struct Asked {
  std::optional<JsonValue> reply;
  std::string text;  // as received
  int status = 0;
};

Asked ask(const CommandContext& ctx, const std::string& request, bool json) {
  const ControlExchange exchange =
      exchange_control(control_socket_of(ctx), request, kControlTimeout);
  if (exchange.outcome == ControlExchange::Outcome::kNotRunning)
    return {std::nullopt, "", ctx.fail(ExitCode::kNotRunning, exchange.text)};
  if (exchange.outcome == ControlExchange::Outcome::kFailed)
    return {std::nullopt, "", ctx.fail(ExitCode::kRefused, exchange.text)};
  auto reply = JsonValue::parse(exchange.text);
  if (!reply || reply->kind() != JsonValue::Kind::kObject)
    return {std::nullopt, "",
            ctx.fail(ExitCode::kRefused,
                     "apexd's reply is not a JSON object: " + (reply ? "" : reply.error()))};
  if (json) ctx.out << exchange.text;
  if (!(*reply)["ok"].truthy()) {
    const std::string error = (*reply)["error"].text();
    return {std::nullopt, "",
            ctx.fail(ExitCode::kRefused, error.empty() ? "apexd refused" : error)};
  }
  return {std::move(*reply), exchange.text, 0};
}

// A scalar as text: strings without quotes, null as "-".
std::string scalar(const JsonValue& v) {
  if (v.is_null()) return "-";
  if (v.kind() == JsonValue::Kind::kArray) {
    std::string out;
    for (const auto& e : v.elements()) out += (out.empty() ? "" : ", ") + scalar(e);
    return out.empty() ? "none" : out;
  }
  if (v.kind() == JsonValue::Kind::kObject) {
    std::string out;
    for (const auto& [key, value] : v.members())
      out += (out.empty() ? "" : ", ") + key + " " + scalar(value);
    return out;
  }
  return v.text();
}

// Every leaf of a counters object as "path: value", nested objects joined with dots and
// array elements shown one per line; any shape of stats reads this way.
void print_leaves(std::ostream& out, const std::string& path, const JsonValue& v) {
  if (v.kind() == JsonValue::Kind::kObject) {
    for (const auto& [key, value] : v.members())
      print_leaves(out, path.empty() ? key : path + "." + key, value);
    return;
  }
  if (v.kind() == JsonValue::Kind::kArray) {
    for (const auto& e : v.elements()) out << path << ": " << scalar(e) << "\n";
    if (v.elements().empty()) out << path << ": none\n";
    return;
  }
  out << path << ": " << scalar(v) << "\n";
}

std::string uptime_text(std::int64_t s) {
  const std::int64_t d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60;
  std::string out;
  if (d > 0) out += std::to_string(d) + "d ";
  if (d > 0 || h > 0) out += std::to_string(h) + "h ";
  if (d > 0 || h > 0 || m > 0) out += std::to_string(m) + "m ";
  return out + std::to_string(s % 60) + "s";
}

void print_status(std::ostream& out, const JsonValue& r) {
  out << "state: " << r["state"].text() << "\n"
      << "version: " << r["version"].text() << "\n"
      << "pid: " << scalar(r["pid"]) << "\n"
      << "uptime: " << uptime_text(r["uptime_s"].integer().value_or(0)) << "\n"
      << "database: " << r["database"].text() << "\n"
      << "listen: " << scalar(r["listen"]) << "\n";
  if (!r["zones"].is_null()) out << "zones: " << scalar(r["zones"]) << "\n";
  if (!r["serials_behind_error"].is_null())
    out << "serials behind: unknown (" << r["serials_behind_error"].text() << ")\n";
  for (const auto& s : r["serials_behind"].elements()) {
    out << "secondary " << s["secondary"].text() << ": ";
    const auto count = s["zones"].integer().value_or(0);
    if (count == 0) {
      out << "every zone current\n";
      continue;
    }
    out << count << " zone(s) behind (" << scalar(s["examples"])
        << (count > static_cast<std::int64_t>(s["examples"].elements().size()) ? ", ..." : "")
        << ")\n";
  }
}

std::string family_text(const JsonValue& f) {
  if (f.is_null()) return "not resolved yet";
  std::string out = f["state"].text();
  if (!f["addresses"].elements().empty())
    out += " " + scalar(f["addresses"]) + " (TTL " + scalar(f["ttl"]) + ")";
  if (f["state"].text() == "failed" && !f["last_error"].text().empty())
    out += " (" + f["last_error"].text() + ")";
  return out;
}

void print_zone_stats(std::ostream& out, const JsonValue& r) {
  out << "zone: " << r["zone"].text() << "\n"
      << "serial: " << scalar(r["serial"]) << "\n"
      << "records: " << scalar(r["records"]) << "\n";
  for (const auto& a : r["aliases"].elements())
    out << "alias " << a["owner"].text() << " -> " << a["target"].text() << ": A "
        << family_text(a["a"]) << "; AAAA " << family_text(a["aaaa"]) << "\n";
  if (!r["secondaries_error"].is_null())
    out << "secondaries: unknown (" << r["secondaries_error"].text() << ")\n";
  for (const auto& s : r["secondaries"].elements())
    out << "secondary " << s["secondary"].text() << ": notified serial "
        << scalar(s["notify_serial"]) << ", transferred serial " << scalar(s["transfer_serial"])
        << (s["behind"].truthy() ? ", behind" : ", current") << "\n";
}

// Parses args with options and at most `names` positional arguments (exactly, when
// exact); the usage error already printed when nullopt.
std::optional<CommandLine> parse(std::span<const std::string> args,
                                 std::span<const OptionSpec> options, std::size_t names,
                                 std::string_view command, const CommandContext& ctx, int& status) {
  auto line = parse_command_line(args, options);
  if (!line) {
    status = ctx.usage_error(line.error(), command);
    return std::nullopt;
  }
  if (line->positional.size() != names) {
    status = ctx.usage_error(names == 0 ? std::string(command) + " takes no arguments"
                                        : std::string(command) + " takes one name",
                             command);
    return std::nullopt;
  }
  return std::move(*line);
}

// "zone-reload NAME"-style requests: the name checked here first, for a clear usage error.
int run_name_action(std::span<const std::string> args, const CommandContext& ctx,
                    std::string_view command, std::string_view verb) {
  int status = 0;
  auto line = parse(args, kNoOptions, 1, command, ctx, status);
  if (!line) return status;
  auto name = name_argument(line->positional[0]);
  if (!name) return ctx.fail(ExitCode::kRefused, name.error());
  Asked asked = ask(ctx, std::string(verb) + " " + name->to_text(), false);
  if (!asked.reply) return asked.status;
  const JsonValue& r = *asked.reply;
  if (!r["serial"].is_null())
    ctx.out << "zone " << r["zone"].text() << " reloaded: serial " << scalar(r["serial"]) << "\n";
  else
    ctx.out << "alias " << r["alias"].text() << ": resolving its target " << r["target"].text()
            << " now\n";
  return to_int(ExitCode::kOk);
}

}  // namespace

std::filesystem::path control_socket_of(const CommandContext& ctx) {
  // --control first, then [control] socket of the configuration file.
  return storage::control_socket_path(
      ctx.control_socket.empty() ? ctx.config.control_socket : ctx.control_socket, ctx.db_path);
}

int run_status_command(std::span<const std::string> args, const CommandContext& ctx) {
  int status = 0;
  auto line = parse(args, kJsonOnly, 0, "status", ctx, status);
  if (!line) return status;
  Asked asked = ask(ctx, "status", line->has("--json"));
  if (!asked.reply) return asked.status;
  if (!line->has("--json")) print_status(ctx.out, *asked.reply);
  return (*asked.reply)["state"].text() == "serving" ? to_int(ExitCode::kOk)
                                                     : to_int(ExitCode::kRefused);
}

int run_stats_command(std::span<const std::string> args, const CommandContext& ctx) {
  int status = 0;
  auto line = parse(args, kStatsOptions, 0, "stats", ctx, status);
  if (!line) return status;
  std::string request = "stats";
  const auto zone_text = line->value("--zone");
  if (zone_text) {
    auto zone = name_argument(*zone_text);
    if (!zone) return ctx.fail(ExitCode::kRefused, zone.error());
    request += " zone " + zone->to_text();
  }
  const bool json = line->has("--json");
  Asked asked = ask(ctx, request, json);
  if (!asked.reply) return asked.status;
  if (json) return to_int(ExitCode::kOk);
  if (zone_text)
    print_zone_stats(ctx.out, *asked.reply);
  else
    print_leaves(ctx.out, "", (*asked.reply)["stats"]);
  return to_int(ExitCode::kOk);
}

int run_reload_command(std::span<const std::string> args, const CommandContext& ctx) {
  int status = 0;
  if (!parse(args, kNoOptions, 0, "reload", ctx, status)) return status;
  Asked asked = ask(ctx, "reload", false);
  if (!asked.reply) return asked.status;
  const auto& waiting = (*asked.reply)["restart_needed"];
  ctx.out << "configuration reloaded";
  if (!waiting.elements().empty())
    ctx.out << "; these changed settings take effect after a restart: " << scalar(waiting);
  ctx.out << "\n";
  return to_int(ExitCode::kOk);
}

int run_zone_reload_command(std::span<const std::string> args, const CommandContext& ctx) {
  return run_name_action(args, ctx, "zone reload", "zone-reload");
}

int run_alias_refresh_command(std::span<const std::string> args, const CommandContext& ctx) {
  return run_name_action(args, ctx, "alias refresh", "alias-refresh");
}

}  // namespace apex::admin
