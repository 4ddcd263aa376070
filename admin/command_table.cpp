// apexctl's commands in one table: words, runner, --help text and what each command touches.
#include "admin/command_table.hpp"

#include <algorithm>

#include "admin/alias_commands.hpp"
#include "admin/alias_edits.hpp"
#include "admin/alias_status.hpp"
#include "admin/apply_command.hpp"
#include "admin/backup_command.hpp"
#include "admin/catalog_commands.hpp"
#include "admin/check_command.hpp"
#include "admin/control_commands.hpp"
#include "admin/dnssec_commands.hpp"
#include "admin/init_command.hpp"
#include "admin/log_command.hpp"
#include "admin/record_commands.hpp"
#include "admin/record_edits.hpp"
#include "admin/restore_command.hpp"
#include "admin/revert_command.hpp"
#include "admin/secondary_commands.hpp"
#include "admin/tsig_commands.hpp"
#include "admin/zone_commands.hpp"
#include "admin/zone_edits.hpp"
#include "admin/zone_show.hpp"
#include "admin/zone_status.hpp"

namespace apex::admin {
namespace {

constexpr bool kChanges = true;
constexpr bool kReads = false;
constexpr CommandTarget kDb = CommandTarget::kDatabase;
constexpr CommandTarget kApexd = CommandTarget::kApexd;

// A change command: "apply" runs it too, and it always changes data. run, when given, runs
// it from the command line instead (the change and what follows it).
Command change(const ChangeCommand& command, CommandRunner run = nullptr) {
  return {command.group, command.name, &command, run, command.usage, kChanges, kDb};
}

Command own(std::string_view group, std::string_view name, CommandRunner run, const char* usage,
            bool changes_data, CommandTarget target = kDb) {
  return {group, name, nullptr, run, usage, changes_data, target};
}

// Not constexpr: the usage texts and change commands live in other files (constant-initialized,
// so reading them here during static initialization is safe). In the order of apexctl --help.
const Command kCommands[] = {
    own("init", "", run_init_command, kInitUsage, kReads),
    change(kZoneAddCommand),
    change(kZoneDeleteCommand),
    change(kZoneImportCommand),
    change(kZoneProviderCommand),
    own("zone", "export", run_zone_export, kZoneExportUsage, kReads),
    own("zone", "list", run_zone_list, kZoneListUsage, kReads),
    own("zone", "show", run_zone_show, kZoneShowUsage, kReads),
    own("zone", "status", run_zone_status, kZoneStatusUsage, kReads),
    change(kRecordAddCommand),
    change(kRecordSetCommand),
    change(kRecordDeleteCommand),
    own("record", "list", run_record_list, kRecordListUsage, kReads),
    change(kAliasSetCommand, run_alias_set),
    change(kAliasDeleteCommand),
    own("alias", "list", run_alias_list, kAliasListUsage, kReads),
    own("alias", "status", run_alias_status, kAliasStatusUsage, kReads),
    own("tsig", "add", run_tsig_add, kTsigAddUsage, kChanges),
    own("tsig", "list", run_tsig_list, kTsigListUsage, kReads),
    own("tsig", "delete", run_tsig_delete, kTsigDeleteUsage, kChanges),
    own("secondary", "add", run_secondary_add, kSecondaryAddUsage, kChanges),
    own("secondary", "list", run_secondary_list, kSecondaryListUsage, kReads),
    own("secondary", "delete", run_secondary_delete, kSecondaryDeleteUsage, kChanges),
    own("dnssec", "enable", run_dnssec_enable, kDnssecEnableUsage, kChanges),
    own("dnssec", "disable", run_dnssec_disable, kDnssecDisableUsage, kChanges),
    own("dnssec", "status", run_dnssec_status, kDnssecStatusUsage, kReads),
    own("dnssec", "ds", run_dnssec_ds, kDnssecDsUsage, kReads),
    own("dnssec", "rollover", run_dnssec_rollover, kDnssecRolloverUsage, kChanges),
    own("dnssec", "export-key", run_dnssec_export_key, kDnssecExportKeyUsage, kReads),
    own("catalog", "set", run_catalog_set, kCatalogSetUsage, kChanges),
    own("catalog", "unset", run_catalog_unset, kCatalogUnsetUsage, kChanges),
    own("catalog", "show", run_catalog_show, kCatalogShowUsage, kReads),
    own("apply", "", run_apply_command, kApplyUsage, kChanges),
    own("check", "", run_check_command, kCheckUsage, kReads),
    own("log", "", run_log_command, kLogUsage, kReads),
    own("backup", "", run_backup_command, kBackupUsage, kReads),
    own("restore", "", run_restore_command, kRestoreUsage, kChanges),
    own("revert", "", run_revert_command, kRevertUsage, kChanges),
    own("status", "", run_status_command, kStatusUsage, kReads, kApexd),
    own("stats", "", run_stats_command, kStatsUsage, kReads, kApexd),
    own("reload", "", run_reload_command, kReloadUsage, kReads, kApexd),
    own("zone", "reload", run_zone_reload_command, kZoneReloadUsage, kReads, kApexd),
    own("alias", "refresh", run_alias_refresh_command, kAliasRefreshUsage, kReads, kApexd),
};

const CommandGroup kGroups[] = {
    {"zone", kZoneUsage},     {"record", kRecordUsage},       {"alias", kAliasUsage},
    {"tsig", kTsigUsage},     {"secondary", kSecondaryUsage}, {"catalog", kCatalogUsage},
    {"dnssec", kDnssecUsage},
};

}  // namespace

std::string Command::words() const {
  return name.empty() ? std::string(group) : std::string(group) + " " + std::string(name);
}

std::span<const Command> commands() {
  return kCommands;
}

std::span<const CommandGroup> command_groups() {
  return kGroups;
}

const Command* find_command(std::span<const std::string> args) {
  if (args.empty()) return nullptr;
  auto it = std::find_if(std::begin(kCommands), std::end(kCommands), [&](const Command& c) {
    if (c.group != args[0]) return false;
    return c.name.empty() || (args.size() > 1 && c.name == args[1]);
  });
  return it == std::end(kCommands) ? nullptr : &*it;
}

const CommandGroup* find_command_group(std::string_view word) {
  auto it = std::find_if(std::begin(kGroups), std::end(kGroups),
                         [&](const CommandGroup& g) { return g.name == word; });
  return it == std::end(kGroups) ? nullptr : &*it;
}

}  // namespace apex::admin
