// apexctl dnssec enable|disable|status|ds: a zone's DNSSEC signing key (a CSK, RFC 6781
// §3.1.4) and denial settings; apexd signs the zone with them as it loads it.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kDnssecUsage;

extern const char* const kDnssecEnableUsage;
extern const char* const kDnssecDisableUsage;
extern const char* const kDnssecStatusUsage;
extern const char* const kDnssecDsUsage;

// args follow the command words ("dnssec enable"). Return the exit status.
int run_dnssec_enable(std::span<const std::string> args, const CommandContext& ctx);
int run_dnssec_disable(std::span<const std::string> args, const CommandContext& ctx);
int run_dnssec_status(std::span<const std::string> args, const CommandContext& ctx);
int run_dnssec_ds(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
