// The SOA and NS records "zone add" gives a new zone ([zone_defaults] in the configuration).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "zones/name.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"

namespace apex::admin {

// Names are master-file text relative to the new zone's apex: "ns1" is ns1.<zone>, "@" the
// apex itself, and a trailing dot makes a name absolute ("ns1.hoster.example.").
struct ZoneTemplate {
  std::string mname = "ns1";         // SOA MNAME: the primary name server
  std::string rname = "hostmaster";  // SOA RNAME: the contact mailbox, '@' written as '.'
  std::uint32_t refresh = 7200;      // SOA timers (RFC 1035 §3.3.13), seconds
  std::uint32_t retry = 3600;
  std::uint32_t expire = 1209600;
  std::uint32_t minimum = 300;  // also the negative-caching TTL bound (RFC 2308 §4)
  std::uint32_t ttl = 3600;     // TTL of the SOA and NS records
  std::vector<std::string> ns = {"ns1"};
};

// The SOA (with serial) and NS records of a new zone at apex.
Result<std::vector<Record>> zone_template_records(const ZoneTemplate& zone_template,
                                                  const Name& apex, std::uint32_t serial);

}  // namespace apex::admin
