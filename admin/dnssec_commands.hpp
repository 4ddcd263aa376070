// apexctl dnssec enable|disable|rollover|status|ds|export-key: a zone's DNSSEC signing keys
// (CSKs, RFC 6781 §3.1.4), their timing (RFC 7583) and the denial settings; apexd signs the
// zone with them as it builds it.
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
extern const char* const kDnssecRolloverUsage;
extern const char* const kDnssecExportKeyUsage;

// args follow the command words ("dnssec enable"). Return the exit status.
int run_dnssec_enable(std::span<const std::string> args, const CommandContext& ctx);
int run_dnssec_disable(std::span<const std::string> args, const CommandContext& ctx);
int run_dnssec_status(std::span<const std::string> args,
                      const CommandContext& ctx);  // dnssec_status.cpp
int run_dnssec_ds(std::span<const std::string> args, const CommandContext& ctx);
int run_dnssec_rollover(std::span<const std::string> args,
                        const CommandContext& ctx);  // dnssec_rollover.cpp
int run_dnssec_export_key(std::span<const std::string> args,
                          const CommandContext& ctx);  // dnssec_key_export.cpp

}  // namespace apex::admin
