// The changes one apexctl command makes, zone by zone, inside its transaction. Edits work on
// in-memory copies of the zones they touch; commit() then validates each changed zone as a
// whole, moves its SOA serial once (ARCHITECTURE.md §6: one bump per zone per command, never
// backwards), writes it, and appends one change-log entry per zone (the feed apexd follows).
// A zone's alias settings (fallback, health check; stored beside its records) travel with
// it: a change to them alone is a change of the zone, and an alias that is gone loses them.
// So does its provider flag (whether ALIAS targets in it resolve from this server's data): a
// change of the flag alone is logged as a change of the zone, without a new serial (the
// zone's data is the same).
// A refusal anywhere leaves the transaction to roll back: nothing is written.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "admin/admin_config.hpp"
#include "admin/alias_settings.hpp"
#include "admin/change_detail.hpp"
#include "admin/command_context.hpp"
#include "admin/cross_zone_rules.hpp"
#include "admin/working_zone.hpp"
#include "admin/zone_diff.hpp"
#include "storage/database.hpp"

namespace apex::admin {

struct ZoneOutcome {
  Name apex;
  ZoneFate fate = ZoneFate::kUnchanged;
  std::optional<std::uint32_t> old_serial;
  std::optional<std::uint32_t> new_serial;
  std::size_t added = 0;             // records
  std::size_t removed = 0;           // records
  std::size_t records = 0;           // in the zone afterwards (before, for a deleted zone)
  std::size_t settings_changed = 0;  // aliases whose fallback or health check changed
  // An updated zone's "-RECORD" and "+RECORD" lines, as in its change-log entry, when there
  // are at most ChangeSetOptions::change_lines of them; empty otherwise.
  std::vector<std::string> change_lines;

  // "zone example.com.: serial 5 -> 6, +1 -0 records", "zone x.test.: created, serial 1, …"
  std::string summary() const;
};

struct ChangeSetOptions {
  const AdminConfig* config = nullptr;
  std::chrono::year_month_day today{};
  std::string actor;
  std::string operation;               // the change-log operation: "record add", "apply", …
  std::optional<std::string> comment;  // --comment, kept in each change-log entry
  // Finish a zone as soon as replace_zone() gives it (bounded memory for a large import; only
  // right when no later edit of the command touches that zone again).
  bool finish_replaced_zones = false;
  // Keep this many record lines of an updated zone for its outcome (0: none).
  std::size_t change_lines = 0;
};

class ChangeSet {
 public:
  ChangeSet(storage::Database& db, ChangeSetOptions options);

  const AdminConfig& config() const { return *options_.config; }
  // The database, for reads inside the command's transaction (the change log, for a revert).
  storage::Database& database() { return db_; }
  std::chrono::year_month_day today() const { return options_.today; }

  // Starts the next edit. label locates it for messages ("changes.txt:7", or "" for a
  // single command); action says what it does ("cannot add www.example.com. …" prefixes a
  // refusal that commit() traces back to it).
  void begin_edit(std::string label);
  void set_action(std::string action);
  // The current edit may only change a zone whose stored SOA serial is serial (--if-serial,
  // optimistic concurrency for scripts): the first zone it reaches is checked against it,
  // and reaching a second zone is refused.
  void require_serial(std::uint32_t serial);

  // The zone that holds name as the edits so far leave the database: the closest enclosing
  // apex among the stored zones and those created, minus those deleted.
  Result<std::optional<Name>> enclosing_zone(const Name& name);
  // The zone's content for the current edit to change in place, or nullptr when the zone does
  // not exist (any more). Report every changed owner with touch().
  Result<WorkingZone*> zone(const Name& apex, Failure& failure);
  void touch(const Name& apex, const Name& owner);
  // Whether the zone exists as the edits so far leave it, checking --if-serial as zone()
  // does, but without loading a stored zone's records when nothing asks for them (an
  // import that replaces them whole).
  Result<bool> zone_exists(const Name& apex, Failure& failure);

  struct ZoneAt {
    Name apex;
    WorkingZone* zone = nullptr;
  };
  // enclosing_zone() and zone() in one: the zone that holds name, for the current edit to
  // change; refused when no zone holds it, or when name is in the catalog zone (apexd
  // generates it: its names are no stored zone's to edit).
  Result<ZoneAt> zone_containing(const Name& name, Failure& failure);
  // The zone's alias settings for the current edit to change in place (loaded on first use),
  // or nullptr when the zone does not exist (any more). Settings whose owner holds no ALIAS
  // after the command's last edit are dropped then, so an alias deleted by any command (or
  // left out of an imported file) loses them.
  Result<AliasSettingsMap*> alias_settings(const Name& apex, Failure& failure);

  // Marks the zone provider-owned or not (refused when it does not exist). A zone created
  // by the command starts unmarked, an existing one keeps its flag unless this is called.
  Status set_provider(const Name& apex, bool provider, Failure& failure);
  // The flag as the edits so far leave it (false for a zone that does not exist).
  Result<bool> provider(const Name& apex, Failure& failure);

  Status create_zone(WorkingZone zone, Failure& failure);  // refused when it exists
  Status delete_zone(const Name& apex, Failure& failure);  // refused when it does not
  // Creates the zone or replaces its content; returns the outcome when the zone was finished
  // at once (finish_replaced_zones). action, when given, prefixes a refusal of this zone
  // instead of the edit's ("FILE" for one zone file of an import). mark_provider also marks
  // the zone provider-owned (otherwise a new zone is not, a replaced one keeps its flag).
  // checked: the warnings of check_zone, which accepted zone as it is (an import checks
  // each file as it reads it; only the SOA serial moves after that, which no rule looks at);
  // with finish_replaced_zones the zone is finished before anything else can change it, so
  // the check is not repeated.
  Result<std::optional<ZoneOutcome>> replace_zone(
      WorkingZone zone, std::string action, Failure& failure, bool mark_provider = false,
      std::optional<std::vector<Finding>> checked = std::nullopt);

  // Finishes every zone still open and returns the outcome of every zone finished. Call once,
  // after the last edit, inside the transaction.
  Result<std::vector<ZoneOutcome>> commit(Failure& failure);

  // Remarks for the operator ("example.com.: serial 5 is not above …"), one per line.
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  struct Edit {
    std::string label;
    std::string action;
    std::optional<std::uint32_t> if_serial;
    std::optional<Name> if_serial_zone;  // the zone it was checked against
  };
  struct ZoneEdit {
    Name apex;
    std::optional<WorkingZone> before;                       // as stored; none when the zone is new
    std::optional<WorkingZone> after;                        // none when deleted
    std::map<Name, std::size_t, CanonicalLess> owner_edits;  // last edit per changed owner
    std::optional<std::size_t> zone_edit;  // last edit that created, replaced or deleted it
    std::optional<std::size_t> last_edit;
    std::string zone_action;  // see replace_zone()
    // Alias settings as stored and as the edits leave them; both unset until needed.
    std::optional<AliasSettingsMap> settings_before;
    std::optional<AliasSettingsMap> settings_after;
    bool provider_before = false;  // as stored
    bool provider_after = false;
    std::optional<std::vector<Finding>> after_checked;  // see replace_zone()
  };

  // The zone's edit, loaded from the database on first use. A stored zone loaded now starts
  // with a copy of its content as after, or with *replacement (then reset) when given.
  Result<ZoneEdit*> load(const Name& apex, Failure& failure,
                         std::optional<WorkingZone>* replacement = nullptr);
  Status check_serial_condition(const ZoneEdit& zone, Failure& failure);
  // The catalog zone's name (RFC 9432), read once; none when no catalog is set.
  Result<std::optional<Name>> catalog_name();
  // Validates a zone and writes it with its change-log entry, unless nothing changed.
  Result<ZoneOutcome> finish(ZoneEdit& zone, Failure& failure);
  // Settles the serial and validates; false when the zone is to be left alone.
  Result<bool> prepare(ZoneEdit& zone, Failure& failure);
  Result<ZoneOutcome> write_and_log(const ZoneEdit& zone);
  Status load_settings(ZoneEdit& zone);
  // Drops the settings of owners without an ALIAS (loading them if the zone had aliases).
  Status settle_settings(ZoneEdit& zone);
  Status write_settings(const ZoneEdit& zone, std::vector<std::string>& detail_lines,
                        std::size_t& changed);
  bool unchanged(const ZoneEdit& zone) const;
  Status settle_serial(ZoneEdit& zone);
  // A refusal traced to the last edit that touched one of names (a finding's involved names).
  Error refusal(const ZoneEdit& zone, const std::string& message, const std::vector<Name>& names,
                Failure& failure) const;
  Error refusal(const ZoneEdit& zone, const Finding& finding, Failure& failure) const;
  Status write(const ZoneEdit& zone, const std::vector<RRsetChange>& changes);
  Status write_journal(const ZoneEdit& zone, const std::vector<RRsetChange>& changes,
                       const RecordChanges& records, std::size_t settings_changed);
  Status write_provider(const ZoneEdit& zone, std::vector<std::string>& detail_lines);
  // A deleted zone's alias settings and provider flag leave with its row; its entry keeps
  // them ("-alias settings …", "provider: off"), so that the zone can be restored whole.
  Result<std::vector<std::string>> deleted_zone_lines(const ZoneEdit& zone);
  void note_new_warnings(const ZoneEdit& zone, const std::vector<Finding>& after);
  // The rules across zones (cross_zone_rules.hpp) over the zones as the edits leave them: an
  // error refuses the zone, warnings become notes.
  Status check_across_zones(const ZoneEdit& zone, Failure& failure);
  void mark_zone_edit(ZoneEdit& zone);

  storage::Database& db_;
  ChangeSetOptions options_;
  std::vector<Edit> edits_;
  std::map<Name, ZoneEdit, CanonicalLess> zones_;  // keyed by lower-cased apex
  std::vector<std::string> notes_;
  std::vector<ZoneOutcome> finished_;
  std::optional<std::optional<Name>> catalog_name_;  // outer: not read yet

  // The zones the cross-zone rules read, without loading them for editing (that would
  // subject them to --if-serial and commit()).
  class Zones : public ZoneSource {
   public:
    explicit Zones(ChangeSet& changes) : changes_(changes) {}
    Result<std::optional<Name>> enclosing_zone(const Name& name) override;
    Result<const WorkingZone*> zone_content(const Name& apex) override;
    Result<std::vector<Name>> zones_below(const Name& apex) override;
    // A zone the command finished early (an import) is in the database now: drops what was
    // read of it before.
    void finished(const Name& apex, bool exists);

   private:
    // More stored zones read than this and the cache starts again (memory stays bounded by
    // the largest zone during an import that follows many CNAMEs into other zones).
    static constexpr std::size_t kCachedZones = 64;

    ChangeSet& changes_;
    std::map<Name, WorkingZone, CanonicalLess> stored_;    // stored zones read, by apex
    std::optional<std::set<Name, CanonicalLess>> apexes_;  // the stored zones, read once
  };
  Zones zone_source_{*this};
};

}  // namespace apex::admin
