// Running as an unprivileged user: apexd binds its listeners (ports below 1024 need root or
// CAP_NET_BIND_SERVICE), then becomes `--user NAME` for good: its groups, then its group,
// then its user. Leaving uid 0 clears every capability (capabilities(7), "Effect of user ID
// changes on capabilities"), so the process keeps none (CapEff 0 in /proc/self/status).
#pragma once

#include <string>

#include "zones/result.hpp"

namespace apex::server {

// Becomes user; an error names what failed. Not root: fine when user is already who we are,
// an error otherwise.
Status drop_privileges(const std::string& user);

}  // namespace apex::server
