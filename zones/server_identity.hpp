// What the server tells of itself, so an anycast operator can tell which node answered:
// CH TXT id.server / hostname.bind and version.bind / version.server (RFC 4892 §2-3) and the
// NSID option (RFC 5001). Built once from the configuration; answering copies nothing.
#pragma once

#include <string>
#include <string_view>

#include "zones/answer.hpp"
#include "zones/message.hpp"
#include "zones/result.hpp"
#include "zones/zone.hpp"

namespace apex {

class ServerIdentity {
 public:
  ServerIdentity() = default;  // tells nothing: no NSID, id.server and version.bind REFUSED
  // identity: empty when not told; version: empty when hidden. Each at most 255 octets (one
  // TXT character-string, RFC 1035 §3.3.14).
  static Result<ServerIdentity> make(std::string identity, std::string version);

  // The NSID payload: the identity (empty when not told).
  std::string_view nsid() const { return identity_; }
  // Answers a question of class CH: the TXT for the four names (NODATA for other types),
  // REFUSED for any other name or for what is not told. out points into this and query.
  void answer_chaos(const Query& query, Answer& out) const;

 private:
  std::string identity_;
  RRset identity_txt_{RRType::TXT, 0, 0, {}, {}};
  RRset version_txt_{RRType::TXT, 0, 0, {}, {}};
};

}  // namespace apex
