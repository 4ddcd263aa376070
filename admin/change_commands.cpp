// Every change command, for "apply" to look up by its words.
#include "admin/change_commands.hpp"

#include "admin/alias_edits.hpp"
#include "admin/record_edits.hpp"
#include "admin/zone_edits.hpp"

namespace apex::admin {
namespace {

const ChangeCommand* const kCommands[] = {
    &kZoneAddCommand,      &kZoneDeleteCommand,  &kZoneImportCommand,
    &kZoneProviderCommand,                                               // zone
    &kRecordAddCommand,    &kRecordSetCommand,   &kRecordDeleteCommand,  // record
    &kAliasSetCommand,     &kAliasDeleteCommand,                         // alias
};

}  // namespace

std::span<const ChangeCommand* const> change_commands() {
  return kCommands;
}

const ChangeCommand* find_change_command(std::string_view group, std::string_view name) {
  for (const ChangeCommand* command : kCommands) {
    if (command->group == group && command->name == name) return command;
  }
  return nullptr;
}

}  // namespace apex::admin
