// Columns aligned with two spaces between them, as the list commands print them.
#pragma once

#include <string>
#include <vector>

namespace apex::admin {

// rows[0] is the header; every row has as many cells as it. Nothing for no rows.
std::string text_table(const std::vector<std::vector<std::string>>& rows);

}  // namespace apex::admin
