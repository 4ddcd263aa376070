// A command group's table of subcommands ("zone import", "record add") and its dispatch.
#include "admin/subcommand.hpp"

#include "admin/command_line.hpp"

namespace apex::admin {

int dispatch_subcommand(std::string_view group, const char* group_usage,
                        std::span<const Subcommand> table, std::span<const std::string> args,
                        const CommandContext& ctx) {
  if (!args.empty()) {
    for (const Subcommand& sub : table) {
      if (args[0] != sub.name) continue;
      if (wants_help(args.subspan(1))) {
        ctx.out << sub.usage;
        return to_int(ExitCode::kOk);
      }
      return sub.run(args.subspan(1), ctx);
    }
  }
  if (wants_help(args)) {
    ctx.out << group_usage;
    return to_int(ExitCode::kOk);
  }
  const std::string group_text(group);
  if (args.empty()) return ctx.usage_error("missing " + group_text + " command", group);
  return ctx.usage_error("unknown " + group_text + " command '" + args[0] + "'", group);
}

}  // namespace apex::admin
