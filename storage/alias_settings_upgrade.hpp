// Schema 11: alias settings stored as typed columns instead of text (migrations.cpp).
#pragma once

#include <sqlite3.h>

#include "zones/result.hpp"

namespace apex::storage {

// Fills fallback_a, fallback_aaaa and health_port of every alias_settings row from its text
// columns (fallback "192.0.2.1,2001:db8::1", health "tcp:443"), read as apexd read them:
// entries that are no address, and a health check that is no valid tcp:PORT, are dropped.
Status convert_alias_settings_text(sqlite3* db);

}  // namespace apex::storage
