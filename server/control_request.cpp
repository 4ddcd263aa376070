// Parsing control socket request lines (see control_request.hpp).
#include "server/control_request.hpp"

#include <string>
#include <vector>

namespace apex::server {
namespace {

bool printable(std::string_view text) {
  for (char c : text)
    if (c < 0x20 || c > 0x7E) return false;
  return true;
}

std::vector<std::string_view> words_of(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t at = 0;
  while (at < line.size()) {
    const std::size_t start = line.find_first_not_of(" \t", at);
    if (start == std::string_view::npos) break;
    const std::size_t end = std::min(line.find_first_of(" \t", start), line.size());
    words.push_back(line.substr(start, end - start));
    at = end;
  }
  return words;
}

Result<Name> name_argument(std::string_view word, std::string_view what) {
  auto name = Name::from_text(word);
  if (!name)
    return Error{std::string(what) + (printable(word) ? " '" + std::string(word) + "'" : "") +
                 ": " + name.error()};
  return name->lowercased();
}

// The command's arguments: none, or one name.
Result<ControlRequest> with_arguments(ControlCommand command, std::string_view verb,
                                      const std::vector<std::string_view>& args,
                                      std::string_view name_kind) {
  const std::size_t wanted = name_kind.empty() ? 0 : 1;
  if (args.size() != wanted)
    return Error{std::string(verb) + " takes " +
                 (wanted == 0 ? std::string("no arguments")
                              : "one argument, the " + std::string(name_kind))};
  ControlRequest request{command, std::nullopt};
  if (wanted == 0) return request;
  auto name = name_argument(args[0], name_kind);
  if (!name) return Error{name.error()};
  request.name = std::move(*name);
  return request;
}

}  // namespace

Result<ControlRequest> parse_control_request(std::string_view line) {
  if (line.size() > kMaxControlRequest)
    return Error{"request longer than " + std::to_string(kMaxControlRequest) + " octets"};
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  for (char c : line)
    if (c != '\t' && (static_cast<unsigned char>(c) < 0x20 || c == 0x7F))
      return Error{"request has control characters"};
  const auto words = words_of(line);
  if (words.empty()) return Error{"empty request"};
  const std::string_view verb = words[0];
  const std::vector<std::string_view> args(words.begin() + 1, words.end());
  if (verb == "status") return with_arguments(ControlCommand::kStatus, verb, args, "");
  if (verb == "reload") return with_arguments(ControlCommand::kReload, verb, args, "");
  if (verb == "zone-reload") return with_arguments(ControlCommand::kZoneReload, verb, args, "zone");
  if (verb == "alias-refresh")
    return with_arguments(ControlCommand::kAliasRefresh, verb, args, "alias name");
  if (verb == "stats") {
    if (args.empty()) return ControlRequest{ControlCommand::kStats, std::nullopt};
    if (args[0] != "zone") return Error{"stats takes no arguments, or 'zone ZONE'"};
    return with_arguments(ControlCommand::kStats, "stats zone", {args.begin() + 1, args.end()},
                          "zone");
  }
  if (!printable(verb) || verb.size() > 64) return Error{"unknown command"};
  return Error{"unknown command '" + std::string(verb) + "'"};
}

}  // namespace apex::server
