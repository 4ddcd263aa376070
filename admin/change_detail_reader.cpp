// Reads back the detail text of a change-log entry.
#include "admin/change_detail_reader.hpp"

#include <charconv>
#include <set>
#include <string>
#include <utility>

#include "admin/alias_settings.hpp"
#include "zones/master_file.hpp"

namespace apex::admin {
namespace {

constexpr std::string_view kSettings = "alias settings ";

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::optional<std::uint32_t> serial_number(std::string_view text, bool& ok) {
  if (text == "none") return std::nullopt;
  std::uint32_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  ok = ok && ec == std::errc() && end == text.data() + text.size();
  return v;
}

// "zone created, serial 1, 3 records", "zone deleted, serial 7, 10 records", "serial 5 -> 6".
bool read_first_line(std::string_view line, LoggedZoneChange& change) {
  bool ok = true;
  for (auto [prefix, fate] :
       {std::pair{std::string_view("zone created, serial "), ZoneFate::kCreated},
        std::pair{std::string_view("zone deleted, serial "), ZoneFate::kDeleted}}) {
    if (!starts_with(line, prefix)) continue;
    line.remove_prefix(prefix.size());
    const auto serial = serial_number(line.substr(0, line.find(',')), ok);
    change.fate = fate;
    (fate == ZoneFate::kCreated ? change.new_serial : change.old_serial) = serial;
    return ok && line.find(',') != std::string_view::npos;
  }
  if (!starts_with(line, "serial ")) return false;
  line.remove_prefix(7);
  const auto arrow = line.find(" -> ");
  if (arrow == std::string_view::npos) return false;
  change.fate = ZoneFate::kUpdated;
  change.old_serial = serial_number(line.substr(0, arrow), ok);
  change.new_serial = serial_number(line.substr(arrow + 4), ok);
  return ok;
}

// "OWNER (fallback 192.0.2.1,2001:db8::1; health tcp:443)", as settings_line() writes it.
Result<storage::AliasSettings> read_settings(std::string_view text) {
  const auto open = text.find(" (");
  if (open == std::string_view::npos || text.empty() || text.back() != ')')
    return Error{"not alias settings"};
  auto owner = Name::from_text(text.substr(0, open));
  if (!owner) return Error{owner.error()};
  storage::AliasSettings settings{std::move(*owner), {}, {}, std::nullopt};
  std::string_view fields = text.substr(open + 2, text.size() - open - 3);
  while (!fields.empty()) {
    const auto end = fields.find("; ");
    const std::string_view field = fields.substr(0, end);
    if (starts_with(field, "fallback ")) {
      const std::string list(field.substr(9));
      if (auto read = set_fallback_argument({&list, 1}, settings); !read)
        return Error{read.error()};
    } else if (starts_with(field, "health ")) {
      auto port = health_argument(field.substr(7));
      if (!port) return Error{port.error()};
      settings.health_tcp_port = *port;
    } else {
      return Error{"unknown alias setting '" + std::string(field) + "'"};
    }
    fields.remove_prefix(end == std::string_view::npos ? fields.size() : end + 2);
  }
  return settings;
}

Result<std::vector<Record>> read_records(const Name& apex, const std::string& text) {
  if (text.empty()) return std::vector<Record>();
  auto file = read_master_text(text, apex, "change log");
  if (!file) return Error{file.error()};
  return std::move(file->records);
}

std::set<std::pair<std::string, std::uint16_t>> rrsets_of(const LoggedZoneChange& c) {
  std::set<std::pair<std::string, std::uint16_t>> keys;
  for (const auto* records : {&c.removed, &c.added})
    for (const Record& r : *records)
      keys.emplace(r.owner.lowercased().to_text(), static_cast<std::uint16_t>(r.type));
  for (const auto* settings : {&c.settings_removed, &c.settings_added})
    for (const auto& s : *settings)
      keys.emplace(s.owner.lowercased().to_text(), static_cast<std::uint16_t>(RRType::ALIAS));
  return keys;
}

}  // namespace

Result<LoggedZoneChange> read_change_detail(const Name& apex, std::string_view detail) {
  LoggedZoneChange change;
  std::string removed, added;
  std::size_t number = 0;
  for (std::size_t start = 0; start <= detail.size();) {
    const auto end = std::min(detail.find('\n', start), detail.size());
    const std::string_view line = detail.substr(start, end - start);
    start = end + 1;
    const auto where = [&] { return "line " + std::to_string(number) + " of the entry: "; };
    if (++number == 1) {
      if (!read_first_line(line, change)) return Error{where() + "not a change of a zone"};
      continue;
    }
    if (line == "provider: on" || line == "provider: off") {
      change.provider = line == "provider: on";
    } else if ((line.starts_with('-') || line.starts_with('+')) &&
               starts_with(line.substr(1), kSettings)) {
      auto settings = read_settings(line.substr(1 + kSettings.size()));
      if (!settings) return Error{where() + settings.error()};
      (line[0] == '-' ? change.settings_removed : change.settings_added).push_back(*settings);
    } else if (line.starts_with('-') || line.starts_with('+')) {
      std::string& into = line[0] == '-' ? removed : added;
      into.append(line.substr(1)).push_back('\n');
    } else {
      return Error{where() + "'" + std::string(line.substr(0, 60)) +
                   "' is not a record (an entry that left records out cannot be read back)"};
    }
  }
  auto r = read_records(apex, removed);
  if (!r) return Error{"the removed records: " + r.error()};
  auto a = read_records(apex, added);
  if (!a) return Error{"the added records: " + a.error()};
  change.removed = std::move(*r);
  change.added = std::move(*a);
  return change;
}

bool changes_overlap(const LoggedZoneChange& a, const LoggedZoneChange& b) {
  if (a.fate != ZoneFate::kUpdated || b.fate != ZoneFate::kUpdated) return true;
  if (a.provider && b.provider) return true;
  const auto left = rrsets_of(a);
  for (const auto& key : rrsets_of(b))
    if (left.contains(key)) return true;
  return false;
}

}  // namespace apex::admin
