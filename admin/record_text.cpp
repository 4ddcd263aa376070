// One record as a master-file line (RFC 1035 §5.1): "owner TTL class type RDATA".
#include "admin/record_text.hpp"

#include "zones/rdata.hpp"

namespace apex::admin {

std::string record_to_text(const Record& record) {
  return record.owner.to_text() + ' ' + std::to_string(record.ttl) + ' ' +
         rrclass_to_text(record.rrclass) + ' ' + rrtype_to_text(record.type) + ' ' +
         rdata_to_text(record.type, record.rdata);
}

}  // namespace apex::admin
