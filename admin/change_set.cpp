// The changes of one apexctl command, validated, serial-bumped, written and logged per zone.
#include "admin/change_set.hpp"

#include <algorithm>
#include <iterator>
#include <set>

#include "admin/record_text.hpp"
#include "admin/zone_validation.hpp"
#include "storage/journal_writer.hpp"
#include "zones/soa_serial.hpp"
#include "zones/zone_difference.hpp"

namespace apex::admin {
namespace {

// More changed RRsets than this and the zone is rewritten whole: deleting an RRset scans the
// zone's rows (there is no index by owner), so many single deletes cost more than a rewrite.
constexpr std::size_t kRewriteThreshold = 32;

const Rdata* apex_soa(const WorkingZone& zone) {
  const RRsetData* soa = zone.find(zone.apex(), RRType::SOA);
  return soa != nullptr && soa->rdatas.size() == 1 ? &soa->rdatas.front() : nullptr;
}

std::optional<std::uint32_t> serial_of(const WorkingZone* zone) {
  const Rdata* soa = zone ? apex_soa(*zone) : nullptr;
  if (soa == nullptr) return std::nullopt;
  auto serial = soa_serial(*soa);
  if (!serial) return std::nullopt;
  return *serial;
}

// The changes are the apex SOA alone, and only its SERIAL differs.
bool only_serial_differs(const std::vector<RRsetChange>& changes, const Name& apex) {
  if (changes.size() != 1) return false;
  const RRsetChange& c = changes.front();
  if (c.key.type != RRType::SOA || !(c.key.owner == apex) || !c.before || !c.after) return false;
  if (c.before->ttl != c.after->ttl || c.before->rdatas.size() != 1 || c.after->rdatas.size() != 1)
    return false;
  auto serial = soa_serial(c.after->rdatas.front());
  if (!serial) return false;
  auto same = with_soa_serial(c.before->rdatas.front(), *serial);
  return same && *same == c.after->rdatas.front();
}

bool has_alias(const WorkingZone& zone) {
  return std::any_of(zone.rrsets().begin(), zone.rrsets().end(),
                     [](const auto& entry) { return entry.first.type == RRType::ALIAS; });
}

bool same_settings_maps(const AliasSettingsMap& a, const AliasSettingsMap& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](const auto& x, const auto& y) {
           return x.first == y.first && same_settings(x.second, y.second);
         });
}

std::string settings_line(char sign, const storage::AliasSettings& settings) {
  return std::string(1, sign) + "alias settings " + settings.owner.to_text() + " (" +
         settings_text(settings) + ")";
}

// ", alias settings of 2 names changed" (nothing when none did).
std::string settings_summary(std::size_t changed) {
  if (changed == 0) return "";
  return ", alias settings of " + std::to_string(changed) + (changed == 1 ? " name" : " names") +
         " changed";
}

std::string with_prefix(const std::string& label, const std::string& action,
                        const std::string& message) {
  std::string text;
  if (!label.empty()) text += label + ": ";
  if (!action.empty()) text += action + ": ";
  return text + message;
}

}  // namespace

std::string ZoneOutcome::summary() const {
  const std::string zone = "zone " + apex.to_text() + ": ";
  const auto serial = [](std::optional<std::uint32_t> s) {
    return s ? std::to_string(*s) : std::string("none");
  };
  switch (fate) {
    case ZoneFate::kCreated:
      return zone + "created, serial " + serial(new_serial) + ", " + std::to_string(records) +
             " records";
    case ZoneFate::kDeleted:
      return zone + "deleted, " + std::to_string(records) + " records";
    case ZoneFate::kUpdated:
      return zone + "serial " + serial(old_serial) + " -> " + serial(new_serial) + ", +" +
             std::to_string(added) + " -" + std::to_string(removed) + " records" +
             settings_summary(settings_changed);
    case ZoneFate::kUnchanged:
      break;
  }
  return zone + "unchanged";
}

ChangeSet::ChangeSet(storage::Database& db, ChangeSetOptions options)
    : db_(db), options_(std::move(options)) {}

void ChangeSet::begin_edit(std::string label) {
  edits_.push_back(Edit{std::move(label), {}, {}, {}});
}

void ChangeSet::set_action(std::string action) {
  if (!edits_.empty()) edits_.back().action = std::move(action);
}

void ChangeSet::require_serial(std::uint32_t serial) {
  if (!edits_.empty()) edits_.back().if_serial = serial;
}

Status ChangeSet::check_serial_condition(const ZoneEdit& zone, Failure& failure) {
  if (edits_.empty() || !edits_.back().if_serial) return Ok{};
  Edit& edit = edits_.back();
  const std::string wanted = std::to_string(*edit.if_serial);
  if (edit.if_serial_zone) {
    if (*edit.if_serial_zone == zone.apex) return Ok{};
    return failure.refuse("--if-serial " + wanted + " applies to one zone, and this command " +
                          "changes " + edit.if_serial_zone->to_text() + " and " +
                          zone.apex.to_text());
  }
  edit.if_serial_zone = zone.apex;
  // The serial as stored: earlier edits of the same command do not move it before commit.
  auto serial = serial_of(zone.before ? &*zone.before : nullptr);
  if (!serial) {
    return failure.refuse("zone " + zone.apex.to_text() + " is not in the database (--if-serial " +
                          wanted + ")");
  }
  if (*serial != *edit.if_serial) {
    return failure.refuse("zone " + zone.apex.to_text() + " has serial " + std::to_string(*serial) +
                          ", not " + wanted + " (--if-serial): it changed since it was read");
  }
  return Ok{};
}

Result<ChangeSet::ZoneEdit*> ChangeSet::load(const Name& apex, Failure& failure,
                                             std::optional<WorkingZone>* replacement) {
  const Name key = apex.lowercased();
  if (auto it = zones_.find(key); it != zones_.end()) {
    if (auto met = check_serial_condition(it->second, failure); !met) return Error{met.error()};
    return &it->second;
  }
  // Straight from the rows into RRsets: no vector of the stored records on the way.
  WorkingZoneBuilder builder;
  std::optional<std::string> inconsistent;
  auto stored = db_.zone_records(key, [&](Record r) {
    if (auto ok = builder.add(std::move(r)); !ok && !inconsistent) inconsistent = ok.error();
    return Status(Ok{});
  });
  if (!stored) return Error{stored.error()};
  ZoneEdit edit;
  edit.apex = key;
  if (*stored) {
    if (inconsistent)
      return failure.refuse("stored zone " + key.to_text() + " is inconsistent: " + *inconsistent);
    edit.before = builder.finish(key);
    if (replacement != nullptr && *replacement) {
      edit.after = std::move(**replacement);
      replacement->reset();
    } else {
      edit.after = *edit.before;
    }
    auto provider = db_.zone_provider(key);
    if (!provider) return Error{provider.error()};
    edit.provider_before = provider->value_or(false);
    edit.provider_after = edit.provider_before;
  }
  if (auto met = check_serial_condition(edit, failure); !met) return Error{met.error()};
  return &zones_.emplace(key, std::move(edit)).first->second;
}

Result<std::optional<Name>> ChangeSet::enclosing_zone(const Name& name) {
  auto stored = db_.find_enclosing_zone(name);
  if (!stored) return Error{stored.error()};
  for (Name n = name.lowercased();; n = n.parent()) {
    const bool is_stored = *stored && **stored == n;
    if (auto it = zones_.find(n); it != zones_.end()) {
      if (it->second.after) return std::optional<Name>(n);
    } else if (is_stored) {
      return std::optional<Name>(n);
    }
    if (n.is_root()) return std::optional<Name>();
    if (is_stored) {
      // Deleted by an earlier edit: the stored zone above it, if any, takes its names.
      stored = db_.find_enclosing_zone(n.parent());
      if (!stored) return Error{stored.error()};
    }
  }
}

Result<WorkingZone*> ChangeSet::zone(const Name& apex, Failure& failure) {
  auto edit = load(apex, failure);
  if (!edit) return Error{edit.error()};
  return (*edit)->after ? &*(*edit)->after : nullptr;
}

Result<bool> ChangeSet::zone_exists(const Name& apex, Failure& failure) {
  const Name key = apex.lowercased();
  const bool serial_condition = !edits_.empty() && edits_.back().if_serial;
  if (zones_.contains(key) || serial_condition) {
    auto edit = load(key, failure);
    if (!edit) return Error{edit.error()};
    return (*edit)->after.has_value();
  }
  auto provider = db_.zone_provider(key);  // one row: whether the zone is stored
  if (!provider) return Error{provider.error()};
  return provider->has_value();
}

Result<std::optional<Name>> ChangeSet::catalog_name() {
  if (!catalog_name_) {
    auto state = db_.catalog_state();
    if (!state) return Error{state.error()};
    catalog_name_ = state->name;
  }
  return *catalog_name_;
}

Result<ChangeSet::ZoneAt> ChangeSet::zone_containing(const Name& name, Failure& failure) {
  auto catalog = catalog_name();
  if (!catalog) return Error{catalog.error()};
  if (*catalog && name.is_subdomain_of(**catalog)) {
    return failure.refuse(name.to_text() + " is in the catalog zone " + (*catalog)->to_text() +
                          ", which apexd generates from the stored zones: it cannot be edited");
  }
  auto apex = enclosing_zone(name);
  if (!apex) return Error{apex.error()};
  if (!*apex) return failure.refuse("no zone in the database contains " + name.to_text());
  auto zone = this->zone(**apex, failure);
  if (!zone) return Error{zone.error()};
  return ZoneAt{**apex, *zone};
}

Status ChangeSet::load_settings(ZoneEdit& zone) {
  if (zone.settings_before) return Ok{};
  AliasSettingsMap stored;
  if (zone.before) {
    auto rows = db_.alias_settings(zone.apex);
    if (!rows) return Error{rows.error()};
    for (storage::AliasSettings& row : *rows) {
      const Name key = row.owner.lowercased();
      stored.emplace(key, std::move(row));
    }
  }
  zone.settings_after = stored;
  zone.settings_before = std::move(stored);
  return Ok{};
}

Result<AliasSettingsMap*> ChangeSet::alias_settings(const Name& apex, Failure& failure) {
  auto edit = load(apex, failure);
  if (!edit) return Error{edit.error()};
  if (!(*edit)->after) return nullptr;
  if (auto loaded = load_settings(**edit); !loaded) return Error{loaded.error()};
  return &*(*edit)->settings_after;
}

void ChangeSet::touch(const Name& apex, const Name& owner) {
  auto it = zones_.find(apex.lowercased());
  if (it == zones_.end() || edits_.empty()) return;
  it->second.owner_edits[owner.lowercased()] = edits_.size() - 1;
  it->second.last_edit = edits_.size() - 1;
}

void ChangeSet::mark_zone_edit(ZoneEdit& zone) {
  zone.zone_action.clear();
  if (edits_.empty()) return;
  zone.zone_edit = edits_.size() - 1;
  zone.last_edit = zone.zone_edit;
}

Status ChangeSet::set_provider(const Name& apex, bool provider, Failure& failure) {
  auto edit = load(apex, failure);
  if (!edit) return Error{edit.error()};
  if (!(*edit)->after) {
    return failure.refuse("zone " + (*edit)->apex.to_text() + " is not in the database");
  }
  (*edit)->provider_after = provider;
  mark_zone_edit(**edit);
  return Ok{};
}

Result<bool> ChangeSet::provider(const Name& apex, Failure& failure) {
  auto edit = load(apex, failure);
  if (!edit) return Error{edit.error()};
  return (*edit)->after && (*edit)->provider_after;
}

Status ChangeSet::create_zone(WorkingZone zone, Failure& failure) {
  auto edit = load(zone.apex(), failure);
  if (!edit) return Error{edit.error()};
  if ((*edit)->after) return failure.refuse("zone " + (*edit)->apex.to_text() + " already exists");
  (*edit)->after = std::move(zone);
  (*edit)->provider_after = false;
  mark_zone_edit(**edit);
  return Ok{};
}

Status ChangeSet::delete_zone(const Name& apex, Failure& failure) {
  auto edit = load(apex, failure);
  if (!edit) return Error{edit.error()};
  if (!(*edit)->after) {
    return failure.refuse("zone " + (*edit)->apex.to_text() + " is not in the database");
  }
  (*edit)->after.reset();
  (*edit)->provider_after = false;
  // The settings go with the zone: a zone created again in the same command starts without.
  if (auto loaded = load_settings(**edit); !loaded) return Error{loaded.error()};
  (*edit)->settings_after->clear();
  mark_zone_edit(**edit);
  return Ok{};
}

Result<std::optional<ZoneOutcome>> ChangeSet::replace_zone(
    WorkingZone zone, std::string action, Failure& failure, bool mark_provider,
    std::optional<std::vector<Finding>> checked) {
  const Name apex = zone.apex();
  // A stored zone loaded now takes zone as its new content at once, instead of a copy of the
  // stored one that would be dropped here (a large zone would be held three times).
  std::optional<WorkingZone> replacement(std::move(zone));
  auto edit = load(apex, failure, &replacement);
  if (!edit) return Error{edit.error()};
  if (!(*edit)->after) (*edit)->provider_after = false;
  if (mark_provider) (*edit)->provider_after = true;
  if (replacement) (*edit)->after = std::move(*replacement);
  mark_zone_edit(**edit);
  (*edit)->zone_action = std::move(action);
  if (!options_.finish_replaced_zones) return std::optional<ZoneOutcome>();
  (*edit)->after_checked = std::move(checked);
  auto outcome = finish(**edit, failure);
  if (!outcome) return Error{outcome.error()};
  zones_.erase(apex);  // frees the zone's records; the import moves on
  zone_source_.finished(apex, (*outcome).fate != ZoneFate::kDeleted);
  finished_.push_back(*outcome);
  return std::optional<ZoneOutcome>(std::move(outcome).value());
}

Result<std::vector<ZoneOutcome>> ChangeSet::commit(Failure& failure) {
  for (auto& [apex, zone] : zones_) {
    auto outcome = finish(zone, failure);
    if (!outcome) return Error{outcome.error()};
    finished_.push_back(std::move(outcome).value());
  }
  zones_.clear();
  return finished_;
}

bool ChangeSet::unchanged(const ZoneEdit& zone) const {
  if (zone.settings_before && !same_settings_maps(*zone.settings_before, *zone.settings_after)) {
    return false;
  }
  const auto changes = diff_rrsets(&*zone.before, &*zone.after);
  if (changes.empty()) return true;
  if (!only_serial_differs(changes, zone.apex)) return false;
  // A new SOA that only lowers or repeats the serial changes nothing (e.g. re-importing the
  // same file); a higher one is an operator moving the serial on purpose.
  auto old_serial = serial_of(&*zone.before);
  auto proposed = serial_of(&*zone.after);
  return old_serial && proposed && !serial_greater(*proposed, *old_serial);
}

Status ChangeSet::settle_serial(ZoneEdit& zone) {
  auto old_serial = serial_of(&*zone.before);
  auto proposed = serial_of(&*zone.after);
  // Without an SOA on either side validation refuses the zone and says why.
  if (!old_serial || !proposed) return Ok{};
  const std::uint32_t serial =
      changed_serial(config().serial, *old_serial, *proposed, options_.today);
  if (*proposed != *old_serial && serial != *proposed) {
    const std::string why = serial_greater(*proposed, *old_serial)
                                ? " is behind today's date-based serial"
                                : " is not above the stored " + std::to_string(*old_serial);
    notes_.push_back(zone.apex.to_text() + ": serial " + std::to_string(*proposed) + why +
                     "; stored as " + std::to_string(serial));
  }
  const RRsetData* soa = zone.after->find(zone.apex, RRType::SOA);
  auto rdata = with_soa_serial(soa->rdatas.front(), serial);
  if (!rdata) return Error{rdata.error()};
  zone.after->set(RRType::SOA, RRsetData{soa->owner, soa->ttl, {std::move(rdata).value()}});
  return Ok{};
}

Error ChangeSet::refusal(const ZoneEdit& zone, const Finding& finding, Failure& failure) const {
  return refusal(zone, finding.message, involved_names(finding), failure);
}

Error ChangeSet::refusal(const ZoneEdit& zone, const std::string& text,
                         const std::vector<Name>& names, Failure& failure) const {
  std::optional<std::size_t> culprit = zone.zone_edit;
  for (const Name& owner : names) {
    auto it = zone.owner_edits.find(owner);
    if (it != zone.owner_edits.end()) culprit = std::max(culprit.value_or(0), it->second);
  }
  std::string message = text;
  if (!culprit && !names.empty()) {
    // No edit of this command touched the names at fault: the stored zone already breaks
    // the rule (data from before the rule existed, or written by other means).
    message = "zone " + zone.apex.to_text() + " already breaks a rule, fix that first: " + message +
              " (see 'apexctl check " + zone.apex.to_text() + "')";
  }
  const std::size_t index = culprit ? *culprit : zone.last_edit.value_or(0);
  const Edit none;
  const Edit& edit = index < edits_.size() ? edits_[index] : none;
  // An edit that replaces many zones (an import) says per zone what it was doing.
  const bool zone_level = culprit && culprit == zone.zone_edit && !zone.zone_action.empty();
  return failure.refuse(
      with_prefix(edit.label, zone_level ? zone.zone_action : edit.action, message));
}

void ChangeSet::note_new_warnings(const ZoneEdit& zone, const std::vector<Finding>& after) {
  if (after.empty()) return;
  std::set<std::string> known;
  if (zone.before) {
    for (const Finding& w : validate_zone(*zone.before).warnings) known.insert(w.message);
  }
  for (const Finding& w : after) {
    if (!known.contains(w.message)) notes_.push_back(w.message);
  }
}

Status ChangeSet::write(const ZoneEdit& zone, const std::vector<RRsetChange>& changes) {
  if (!zone.after) {
    auto deleted = db_.delete_zone(zone.apex);
    if (!deleted) return Error{deleted.error()};
    return Ok{};
  }
  if (!zone.before || changes.size() > kRewriteThreshold) {
    // Inserted as the RRsets are walked: no vector of every record of a large zone.
    auto replaced = db_.replace_zone_from(
        zone.apex, [&](const RecordSink& each) { return zone.after->for_each_record(each); });
    if (!replaced) return Error{replaced.error()};
    return Ok{};
  }
  std::vector<Record> added;
  for (const RRsetChange& c : changes) {
    if (c.before) {
      auto deleted = db_.delete_records(zone.apex, c.before->owner, c.key.type);
      if (!deleted) return Error{deleted.error()};
    }
    if (c.after) {
      auto records = WorkingZone::records_of(c.key.type, *c.after);
      added.insert(added.end(), std::make_move_iterator(records.begin()),
                   std::make_move_iterator(records.end()));
    }
  }
  return added.empty() ? Status(Ok{}) : db_.add_records(zone.apex, added);
}

Status ChangeSet::settle_settings(ZoneEdit& zone) {
  if (!zone.after) return Ok{};  // a deleted zone's settings go with it (ON DELETE CASCADE)
  // Only a zone that had aliases can have settings to drop.
  if (!zone.settings_before && !(zone.before && has_alias(*zone.before))) return Ok{};
  if (auto loaded = load_settings(zone); !loaded) return Error{loaded.error()};
  std::erase_if(*zone.settings_after, [&](const auto& entry) {
    return zone.after->find(entry.first, RRType::ALIAS) == nullptr || !has_settings(entry.second);
  });
  return Ok{};
}

Status ChangeSet::write_settings(const ZoneEdit& zone, std::vector<std::string>& detail_lines,
                                 std::size_t& changed) {
  if (!zone.after || !zone.settings_before) return Ok{};
  const AliasSettingsMap& before = *zone.settings_before;
  const AliasSettingsMap& after = *zone.settings_after;
  for (const auto& [owner, old] : before) {
    auto now = after.find(owner);
    if (now != after.end() && same_settings(old, now->second)) continue;
    ++changed;
    detail_lines.push_back(settings_line('-', old));
    if (now != after.end()) continue;  // replaced below
    auto deleted = db_.delete_alias_settings(zone.apex, owner);
    if (!deleted) return Error{deleted.error()};
  }
  for (const auto& [owner, now] : after) {
    auto old = before.find(owner);
    if (old != before.end() && same_settings(old->second, now)) continue;
    if (old == before.end()) ++changed;
    detail_lines.push_back(settings_line('+', now));
    auto written = db_.set_alias_settings(zone.apex, now);
    if (!written) return Error{written.error()};
  }
  return Ok{};
}

Result<std::vector<std::string>> ChangeSet::deleted_zone_lines(const ZoneEdit& zone) {
  std::vector<std::string> lines;
  if (zone.after || !zone.before) return lines;
  std::vector<storage::AliasSettings> stored;
  if (zone.settings_before) {
    for (const auto& [owner, settings] : *zone.settings_before) stored.push_back(settings);
  } else {
    auto read = db_.alias_settings(zone.apex);
    if (!read) return Error{read.error()};
    stored = std::move(*read);
  }
  for (const auto& settings : stored) lines.push_back(settings_line('-', settings));
  if (zone.provider_before) lines.push_back("provider: off");
  return lines;
}

Status ChangeSet::write_provider(const ZoneEdit& zone, std::vector<std::string>& detail_lines) {
  // A new zone row starts unmarked (the column's default); a deleted one takes its flag along.
  if (!zone.after) return Ok{};
  const bool stored = zone.before && zone.provider_before;
  if (zone.provider_after == stored) return Ok{};
  detail_lines.push_back(zone.provider_after ? "provider: on" : "provider: off");
  return db_.set_zone_provider(zone.apex, zone.provider_after);
}

Result<bool> ChangeSet::prepare(ZoneEdit& zone, Failure& failure) {
  if (!zone.before && !zone.after) return false;  // created and deleted again
  if (!zone.before) {
    auto catalog = catalog_name();
    if (!catalog) return Error{catalog.error()};
    if (*catalog && **catalog == zone.apex) {
      return refusal(zone,
                     "zone " + zone.apex.to_text() +
                         " is the name of the catalog zone; choose another name or "
                         "move the catalog first ('apexctl catalog set|unset')",
                     {}, failure);
    }
  }
  if (auto settled = settle_settings(zone); !settled) return Error{settled.error()};
  if (zone.before && zone.after) {
    // A new provider flag alone changes what the flattener trusts, not the zone's data: no
    // new serial.
    if (unchanged(zone)) return zone.provider_before != zone.provider_after;
    if (auto settled = settle_serial(zone); !settled) return Error{settled.error()};
  }
  if (zone.after) {
    // A zone checked as it was read (an import) is not indexed a second time.
    const ZoneVerdict verdict =
        zone.after_checked ? ZoneVerdict{{}, *zone.after_checked, {}} : validate_zone(*zone.after);
    if (!verdict.ok()) return refusal(zone, verdict.errors.front(), failure);
    if (auto checked = check_across_zones(zone, failure); !checked) return Error{checked.error()};
    note_new_warnings(zone, verdict.warnings);
  }
  return true;
}

Status ChangeSet::check_across_zones(const ZoneEdit& zone, Failure& failure) {
  const WorkingZone* before = zone.before ? &*zone.before : nullptr;
  auto found = cross_zone_findings(zone_source_, before, *zone.after);
  if (!found) return Error{found.error()};
  for (const Finding& f : *found) {
    if (f.severity == Severity::kError) return refusal(zone, f, failure);
  }
  for (const Finding& f : *found) notes_.push_back(f.message);
  return Ok{};
}

Result<std::optional<Name>> ChangeSet::Zones::enclosing_zone(const Name& name) {
  return changes_.enclosing_zone(name);
}

Result<const WorkingZone*> ChangeSet::Zones::zone_content(const Name& apex) {
  const Name key = apex.lowercased();
  if (auto it = changes_.zones_.find(key); it != changes_.zones_.end()) {
    return it->second.after ? &*it->second.after : nullptr;
  }
  if (auto it = stored_.find(key); it != stored_.end()) return &it->second;
  auto records = changes_.db_.zone_records(key);
  if (!records) return Error{records.error()};
  if (!*records) return nullptr;
  auto zone = WorkingZone::from_records(key, **records);
  // A stored zone that cannot be grouped is refused when it is edited; here it has no hops.
  if (!zone) return nullptr;
  if (stored_.size() >= kCachedZones) stored_.clear();
  return &stored_.emplace(key, std::move(zone).value()).first->second;
}

void ChangeSet::Zones::finished(const Name& apex, bool exists) {
  stored_.erase(apex);
  if (!apexes_) return;
  if (exists) {
    apexes_->insert(apex);
  } else {
    apexes_->erase(apex);
  }
}

Result<std::vector<Name>> ChangeSet::Zones::zones_below(const Name& apex) {
  if (!apexes_) {
    auto stored = changes_.db_.list_zones();
    if (!stored) return Error{stored.error()};
    apexes_.emplace();
    for (const storage::ZoneSummary& z : *stored) apexes_->insert(z.apex.lowercased());
  }
  // The stored zones below apex, with the command's open edits on top.
  const Name top = apex.lowercased();
  std::set<Name, CanonicalLess> below;
  for (auto it = apexes_->upper_bound(top); it != apexes_->end() && it->is_subdomain_of(top); ++it)
    below.insert(*it);
  for (const auto& [key, edit] : changes_.zones_) {
    if (key == top || !key.is_subdomain_of(top)) continue;
    if (edit.after) {
      below.insert(key);
    } else {
      below.erase(key);
    }
  }
  return std::vector<Name>(below.begin(), below.end());
}

// The IXFR journal follows every change of a zone that stays (a new zone has no history, a
// deleted one takes its journal along). What a change to an ALIAS or its settings does to the
// served addresses is not known here (the flattener decides), so such a change cannot be told
// as a difference: the history restarts, and older secondaries get the whole zone.
Status ChangeSet::write_journal(const ZoneEdit& zone, const std::vector<RRsetChange>& changes,
                                const RecordChanges& records, std::size_t settings_changed) {
  if (!zone.before || !zone.after) return Ok{};
  // A signed zone's step also holds the RRSIGs and chain links apexd makes as it signs the
  // new version, which no stored record says: apexd writes it from the snapshots it serves
  // (storage/journal_snapshots.hpp), and a step or an emptied journal written here would
  // cut the history it keeps.
  auto dnssec = db_.zone_dnssec(zone.apex);
  if (!dnssec) return Error{dnssec.error()};
  if (*dnssec && (*dnssec)->active_key() != nullptr) return Ok{};
  const bool alias_changed = std::any_of(changes.begin(), changes.end(), [](const RRsetChange& c) {
    return c.key.type == RRType::ALIAS;
  });
  if (alias_changed || settings_changed > 0 || !apex_soa(*zone.before) || !apex_soa(*zone.after))
    return db_.clear_journal(zone.apex);
  const auto soa_record = [&](const WorkingZone& z) {
    const RRsetData& soa = *z.find(z.apex(), RRType::SOA);
    return Record{soa.owner, RRType::SOA, RRClass::IN, soa.ttl, soa.rdatas.front()};
  };
  ZoneDifference difference;
  difference.old_soa = soa_record(*zone.before);
  difference.new_soa = soa_record(*zone.after);
  const auto not_soa = [](const Record& r) { return r.type != RRType::SOA; };
  std::copy_if(records.removed.begin(), records.removed.end(),
               std::back_inserter(difference.deleted), not_soa);
  std::copy_if(records.added.begin(), records.added.end(), std::back_inserter(difference.added),
               not_soa);
  return storage::record_version(db_, zone.apex, difference, options_.config->journal);
}

Result<ZoneOutcome> ChangeSet::write_and_log(const ZoneEdit& zone) {
  const WorkingZone* before = zone.before ? &*zone.before : nullptr;
  const WorkingZone* after = zone.after ? &*zone.after : nullptr;
  // A created or deleted zone changes whole: its records go from the RRsets to the database
  // and the entry as they are walked, without a diff and a copy of every record.
  const bool whole = !before || !after;
  const auto changes = whole ? std::vector<RRsetChange>() : diff_rrsets(before, after);
  auto settings_lines = deleted_zone_lines(zone);  // before the row and its settings go
  if (!settings_lines) return Error{settings_lines.error()};
  if (auto written = write(zone, changes); !written) return Error{written.error()};
  RecordChanges records = record_changes(changes);
  std::size_t settings_changed = 0;
  if (auto written = write_settings(zone, *settings_lines, settings_changed); !written) {
    return Error{written.error()};
  }
  if (auto journaled = write_journal(zone, changes, records, settings_changed); !journaled)
    return Error{journaled.error()};
  drop_serial_only_soa(records);
  if (auto written = write_provider(zone, *settings_lines); !written) {
    return Error{written.error()};
  }
  ZoneOutcome outcome;
  outcome.settings_changed = settings_changed;
  outcome.apex = zone.apex;
  outcome.fate = !before ? ZoneFate::kCreated : !after ? ZoneFate::kDeleted : ZoneFate::kUpdated;
  outcome.old_serial = serial_of(before);
  outcome.new_serial = serial_of(after);
  outcome.added = whole && after ? after->record_count() : records.added.size();
  outcome.removed = whole && before ? before->record_count() : records.removed.size();
  if (outcome.fate == ZoneFate::kUpdated &&
      outcome.added + outcome.removed <= options_.change_lines) {
    for (const Record& r : records.removed) outcome.change_lines.push_back('-' + record_to_text(r));
    for (const Record& r : records.added) outcome.change_lines.push_back('+' + record_to_text(r));
  }
  outcome.records = after ? after->record_count() : before->record_count();
  const RecordSource none = [](const RecordSink&) { return Status(Ok{}); };
  const auto all_of = [](const WorkingZone* z) -> RecordSource {
    return [z](const RecordSink& each) { return z->for_each_record(each); };
  };
  std::string detail = whole ? change_detail(outcome.fate, outcome.old_serial, outcome.new_serial,
                                             outcome.records, before ? all_of(before) : none,
                                             after ? all_of(after) : none, *settings_lines)
                             : change_detail(outcome.fate, outcome.old_serial, outcome.new_serial,
                                             outcome.records, std::move(records), *settings_lines);
  auto logged = db_.log_change(storage::ChangeEntry{zone.apex, options_.actor, options_.operation,
                                                    std::move(detail), options_.comment});
  if (!logged) return Error{logged.error()};
  return outcome;
}

Result<ZoneOutcome> ChangeSet::finish(ZoneEdit& zone, Failure& failure) {
  auto changed = prepare(zone, failure);
  if (!changed) return Error{changed.error()};
  if (*changed) return write_and_log(zone);
  ZoneOutcome unchanged;
  unchanged.apex = zone.apex;
  unchanged.old_serial = serial_of(zone.before ? &*zone.before : nullptr);
  unchanged.new_serial = unchanged.old_serial;
  unchanged.records = zone.before ? zone.before->record_count() : 0;
  return unchanged;
}

}  // namespace apex::admin
