// apexctl tsig add|list|delete: the TSIG keys (RFC 8945) secondaries sign transfers with.
#include "admin/tsig_commands.hpp"

#include <istream>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/text_table.hpp"
#include "admin/tsig_algorithm.hpp"
#include "admin/tsig_key_config.hpp"
#include "admin/tsig_secret.hpp"
#include "zones/json_text.hpp"

namespace apex::admin {

const char* const kTsigUsage =
    "Usage: apexctl [--db FILE] tsig COMMAND [ARGS...]\n"
    "\n"
    "TSIG keys (RFC 8945) sign zone transfers and NOTIFY between apexd and its secondaries\n"
    "(see 'apexctl secondary').\n"
    "\n"
    "Commands:\n"
    "  add NAME [--algorithm ALG] [--secret BASE64|-]\n"
    "                              add a key; without --secret one is generated and printed\n"
    "  list [--json]               the keys, their algorithms and users (never the secrets)\n"
    "  delete NAME                 delete a key no secondary uses\n"
    "\n"
    "Run 'apexctl tsig COMMAND --help' for details.\n";

const char* const kTsigAddUsage =
    "Usage: apexctl [--db FILE] tsig add NAME [--algorithm ALG] [--secret BASE64|-]\n"
    "\n"
    "Adds the TSIG key NAME (a domain name, e.g. xfr.hoster.example; the same name must be\n"
    "configured on the secondaries).\n"
    "  --algorithm ALG   hmac-sha1, hmac-sha224, hmac-sha256 (default), hmac-sha384 or\n"
    "                    hmac-sha512\n"
    "  --secret BASE64   the shared secret, base64, at least 16 octets; '-' reads it from the\n"
    "                    first line of standard input (keeps it out of the process list)\n"
    "Without --secret, a random secret as long as the algorithm's hash output is generated\n"
    "and printed once, as BIND, NSD and Knot configuration: it cannot be shown again.\n";

const char* const kTsigListUsage =
    "Usage: apexctl [--db FILE] tsig list [--json]\n"
    "\n"
    "Lists the TSIG keys by name: algorithm, secret length and the secondaries using each.\n"
    "Secrets are never printed.\n"
    "  --json   print a JSON array of {\"name\", \"algorithm\", \"secret_octets\",\n"
    "           \"secondaries\": [\"ADDR:PORT\", ...]}\n";

const char* const kTsigDeleteUsage =
    "Usage: apexctl [--db FILE] tsig delete NAME\n"
    "\n"
    "Deletes the TSIG key NAME. Refused while a secondary uses it: delete that secondary\n"
    "first (or add it again with another key).\n";

namespace {

constexpr OptionSpec kAddOptions[] = {{"--algorithm", true}, {"--secret", true}};
constexpr OptionSpec kJsonOption[] = {{"--json", false}};

struct KeyRequest {
  storage::TsigKey key;
  bool generated = false;
  std::string notes;
};

Result<std::vector<std::uint8_t>> given_secret(std::string text, const CommandContext& ctx) {
  if (text == "-") {
    std::getline(ctx.in, text);
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.pop_back();
  }
  return tsig_secret_argument(text);
}

// The notes a key deserves: RFC 2104 §3 strongly discourages keys shorter than the hash
// output; RFC 8945 §6 lists hmac-sha1 as NOT RECOMMENDED for use.
std::string key_notes(const TsigAlgorithm& algorithm, std::size_t secret_octets) {
  std::string notes;
  if (secret_octets < algorithm.digest_octets) {
    notes += "apexctl: note: the secret has " + std::to_string(secret_octets) +
             " octets, fewer than " + std::string(algorithm.name) + "'s " +
             std::to_string(algorithm.digest_octets) + "-octet output (RFC 2104 §3 advises " +
             "against it)\n";
  }
  if (algorithm.name == "hmac-sha1")
    notes += "apexctl: note: hmac-sha1 is not recommended (RFC 8945 §6); prefer hmac-sha256\n";
  return notes;
}

Result<KeyRequest> key_request(const CommandLine& line, const CommandContext& ctx) {
  auto name = name_argument(line.positional[0]);
  if (!name) return Error{name.error()};
  const std::string algorithm_text =
      line.value("--algorithm").value_or(std::string(kDefaultTsigAlgorithm));
  auto algorithm = tsig_algorithm(algorithm_text);
  if (!algorithm) {
    return Error{"unknown TSIG algorithm '" + algorithm_text +
                 "' (supported: " + tsig_algorithm_names() + ")"};
  }
  KeyRequest request;
  request.key = {name->lowercased(), std::string(algorithm->name), {}};
  if (auto text = line.value("--secret")) {
    auto secret = given_secret(*text, ctx);
    if (!secret) return Error{secret.error()};
    request.key.secret = std::move(*secret);
  } else {
    auto secret = random_tsig_secret(algorithm->digest_octets);
    if (!secret) return Error{secret.error()};
    request.key.secret = std::move(*secret);
    request.generated = true;
  }
  request.notes = key_notes(*algorithm, request.key.secret.size());
  return request;
}

std::string key_summary(const storage::TsigKey& key) {
  return key.name.to_text() + " (" + key.algorithm + ", " + std::to_string(key.secret.size()) +
         "-octet secret)";
}

}  // namespace

int run_tsig_add(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kAddOptions);
  if (!line) return ctx.usage_error(line.error(), "tsig add");
  if (line->positional.size() != 1) return ctx.usage_error("expected one NAME", "tsig add");
  auto request = key_request(*line, ctx);
  if (!request) return ctx.fail(ExitCode::kRefused, request.error());
  const storage::TsigKey& key = request->key;
  return run_in_transaction(ctx, [&](storage::Database& db, Failure& failure) -> Result<Report> {
    auto settings = db.load_transfer_settings();
    if (!settings) return Error{settings.error()};
    if (settings->find_key(key.name))
      return failure.refuse("TSIG key " + key.name.to_text() + " already exists");
    if (auto added = db.add_tsig_key(key); !added) return Error{added.error()};
    auto logged = db.log_change(storage::transfer_settings_change(
        ctx.actor, "tsig add", "+key " + key_summary(key), ctx.comment));
    if (!logged) return Error{logged.error()};
    Report report{"added TSIG key " + key_summary(key) + "\n", request->notes};
    if (request->generated) {
      report.out +=
          "# The secret is shown only now; paste the key into the secondary's "
          "configuration.\n\n" +
          tsig_key_config(key);
    }
    return report;
  });
}

namespace {

std::string or_dash(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
  return text.empty() ? "-" : text;
}

}  // namespace

int run_tsig_list(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kJsonOption);
  if (!line) return ctx.usage_error(line.error(), "tsig list");
  if (!line->positional.empty()) return ctx.usage_error("expected no arguments", "tsig list");
  auto db = ctx.open_database(storage::OpenMode::kReadOnly);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto settings = (*db)->load_transfer_settings();
  if (!settings) return ctx.fail(ExitCode::kDatabase, settings.error());
  if (line->has("--json")) {
    std::vector<std::string> elements;
    for (const auto& key : settings->keys) {
      elements.push_back(
          JsonObject()
              .add("name", key.name.to_text())
              .add("algorithm", key.algorithm)
              .add("secret_octets", key.secret.size())
              .add_raw("secondaries", json_string_array(settings->users_of(key.name)))
              .str());
    }
    ctx.out << json_array(elements, true) << '\n';
    return to_int(ExitCode::kOk);
  }
  if (settings->keys.empty()) return to_int(ExitCode::kOk);
  std::vector<std::vector<std::string>> rows{{"NAME", "ALGORITHM", "OCTETS", "SECONDARIES"}};
  for (const auto& key : settings->keys) {
    rows.push_back({key.name.to_text(), key.algorithm, std::to_string(key.secret.size()),
                    or_dash(settings->users_of(key.name))});
  }
  ctx.out << text_table(rows);
  return to_int(ExitCode::kOk);
}

int run_tsig_delete(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, {});
  if (!line) return ctx.usage_error(line.error(), "tsig delete");
  if (line->positional.size() != 1) return ctx.usage_error("expected one NAME", "tsig delete");
  auto name = name_argument(line->positional[0]);
  if (!name) return ctx.fail(ExitCode::kRefused, name.error());
  return run_in_transaction(ctx, [&](storage::Database& db, Failure& failure) -> Result<Report> {
    auto settings = db.load_transfer_settings();
    if (!settings) return Error{settings.error()};
    const storage::TsigKey* key = settings->find_key(*name);
    if (!key) return failure.refuse("TSIG key " + name->to_text() + " is not in the database");
    if (auto users = settings->users_of(*name); !users.empty()) {
      return failure.refuse("TSIG key " + key->name.to_text() + " is used by secondary " +
                            or_dash(users) + ": delete " + (users.size() == 1 ? "it" : "them") +
                            " first");
    }
    if (auto deleted = db.delete_tsig_key(*name); !deleted) return Error{deleted.error()};
    auto logged = db.log_change(storage::transfer_settings_change(
        ctx.actor, "tsig delete", "-key " + key_summary(*key), ctx.comment));
    if (!logged) return Error{logged.error()};
    return Report{"deleted TSIG key " + key->name.to_text() + "\n", ""};
  });
}

}  // namespace apex::admin
