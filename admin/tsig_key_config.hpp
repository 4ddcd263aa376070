// A TSIG key in the configuration syntax of BIND, NSD and Knot, ready to paste.
#pragma once

#include <string>

#include "storage/transfer_settings.hpp"

namespace apex::admin {

// The key's name, algorithm and base64 secret as a named.conf key statement, an nsd.conf
// key: clause and a knot.conf key: section, each under a comment naming the server.
std::string tsig_key_config(const storage::TsigKey& key);

}  // namespace apex::admin
