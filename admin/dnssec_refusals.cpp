// The messages that keep ALIAS records out of signed zones (see dnssec_refusals.hpp).
#include "admin/dnssec_refusals.hpp"

namespace apex::admin {

std::string signed_zone_alias_refusal(const Name& apex, const Name& owner) {
  return "zone " + apex.to_text() + " is signed with DNSSEC, and ALIAS records are not " +
         "served in signed zones yet (their addresses would be unsigned, which validating " +
         "resolvers reject): cannot have an ALIAS at " + owner.to_text() +
         "; use A/AAAA or a CNAME below the apex, or 'apexctl dnssec disable' first";
}

std::string alias_zone_signing_refusal(const Name& apex, const Name& owner) {
  return "zone " + apex.to_text() + " has an ALIAS at " + owner.to_text() +
         ", and ALIAS records are not served in signed zones yet (their addresses would be " +
         "unsigned, which validating resolvers reject); remove its ALIAS records first";
}

}  // namespace apex::admin
