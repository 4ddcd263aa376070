// Running as an unprivileged user: apexd binds its listeners (ports below 1024 need root or
// CAP_NET_BIND_SERVICE), then becomes `--user NAME` for good: its groups, then its group,
// then its user. Leaving uid 0 clears every capability (capabilities(7), "Effect of user ID
// changes on capabilities"), so the process keeps none (CapEff 0 in /proc/self/status).
#pragma once

#include <filesystem>
#include <string>

#include "zones/result.hpp"

namespace apex::server {

// Becomes user; an error names what failed. Not root: fine when user is already who we are,
// an error otherwise.
Status drop_privileges(const std::string& user);

// Makes path (a file apexd creates before dropping privileges, such as the control socket)
// owned by user and its group, so that apexd can still remove it as user. Not root: nothing to
// do when user is already who we are, an error otherwise.
Status give_to_user(const std::filesystem::path& path, const std::string& user);

}  // namespace apex::server
