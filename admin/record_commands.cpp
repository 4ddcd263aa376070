// apexctl record add|set|delete (changes, see record_edits.cpp) and record list (a read).
#include "admin/record_commands.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/record_text.hpp"
#include "zones/json_text.hpp"
#include "zones/rdata.hpp"

namespace apex::admin {

const char* const kRecordUsage =
    "Usage: apexctl [--db FILE] record COMMAND [ARGS...]\n"
    "\n"
    "Commands:\n"
    "  add NAME TYPE RDATA... [--ttl N]       add a record to the zone that contains NAME\n"
    "  set NAME TYPE [RDATA...] [--rdata RDATA]... [--ttl N]\n"
    "                                         replace the RRset TYPE at NAME\n"
    "  delete NAME [TYPE [RDATA...]]          delete records at NAME\n"
    "  list ZONE [NAME] [--type TYPE] [--json]\n"
    "                                         list a zone's records\n"
    "\n"
    "Run 'apexctl record COMMAND --help' for details.\n";

const char* const kRecordListUsage =
    "Usage: apexctl [--db FILE] record list ZONE [NAME] [--type TYPE] [--json]\n"
    "\n"
    "Lists the records of ZONE, or only those at NAME, or only those of TYPE, in canonical\n"
    "order (RFC 4034 §6).\n"
    "  --json   print a JSON array of {\"name\", \"ttl\", \"class\", \"type\", \"rdata\"}\n";

namespace {

constexpr OptionSpec kListOptions[] = {{"--json", false}, {"--type", true}};

// Canonical order (RFC 4034 §6.1 names, then type, then RDATA octets): stable and diffable.
bool canonical_record_less(const Record& a, const Record& b) {
  if (auto c = a.owner.canonical_compare(b.owner); c != 0) return c < 0;
  if (a.type != b.type) return a.type < b.type;
  return a.rdata < b.rdata;
}

void print_records(const std::vector<Record>& records, bool json, std::ostream& out) {
  if (!json) {
    for (const Record& r : records) out << record_to_text(r) << '\n';
    return;
  }
  std::vector<std::string> elements;
  elements.reserve(records.size());
  for (const Record& r : records) {
    elements.push_back(JsonObject()
                           .add("name", r.owner.to_text())
                           .add("ttl", r.ttl)
                           .add("class", rrclass_to_text(r.rrclass))
                           .add("type", rrtype_to_text(r.type))
                           .add("rdata", rdata_to_text(r.type, r.rdata))
                           .str());
  }
  out << json_array(elements, true) << '\n';
}

struct ListFilter {
  std::optional<Name> owner;
  std::optional<RRType> type;
};

Result<ListFilter> list_filter(const CommandLine& line, const Name& apex) {
  ListFilter filter;
  if (line.positional.size() == 2) {
    auto owner = name_argument(line.positional[1]);
    if (!owner) return Error{owner.error()};
    if (!owner->is_subdomain_of(apex)) {
      return Error{owner->to_text() + " is not inside zone " + apex.to_text()};
    }
    filter.owner = std::move(owner).value();
  }
  if (auto text = line.value("--type")) {
    auto type = rrtype_from_text(*text);
    if (!type) return Error{"unknown record type '" + *text + "'"};
    filter.type = *type;
  }
  return filter;
}

}  // namespace

int run_record_list(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kListOptions);
  if (!line) return ctx.usage_error(line.error(), "record list");
  const auto& pos = line->positional;
  if (pos.empty() || pos.size() > 2) return ctx.usage_error("expected ZONE [NAME]", "record list");
  auto apex = name_argument(pos[0]);
  if (!apex) return ctx.fail(ExitCode::kRefused, apex.error());
  auto filter = list_filter(*line, *apex);
  if (!filter) return ctx.fail(ExitCode::kRefused, filter.error());
  auto db = ctx.open_database(storage::OpenMode::kReadOnly);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto stored = (*db)->zone_records(*apex);
  if (!stored) return ctx.fail(ExitCode::kDatabase, stored.error());
  if (!*stored) {
    return ctx.fail(ExitCode::kRefused, "zone " + apex->to_text() + " is not in the database");
  }
  std::vector<Record> records = std::move(**stored);
  std::erase_if(records, [&](const Record& r) {
    return (filter->owner && !(r.owner == *filter->owner)) ||
           (filter->type && r.type != *filter->type);
  });
  std::sort(records.begin(), records.end(), canonical_record_less);
  print_records(records, line->has("--json"), ctx.out);
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
