// One record as a master-file line (RFC 1035 §5.1): "owner TTL class type RDATA".
#pragma once

#include <string>

#include "zones/record.hpp"

namespace apex::admin {

std::string record_to_text(const Record& record);

}  // namespace apex::admin
