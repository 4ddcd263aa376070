// CH-class identity answers and the NSID payload (see server_identity.hpp).
#include "zones/server_identity.hpp"

#include <algorithm>

namespace apex {
namespace {

// The four names, lower-cased wire form (RFC 4892 §2: id.server and version.server; the
// .bind names are BIND's, which every tool still asks).
constexpr std::string_view kIdServer{"\x02id\x06server\x00", 11};
constexpr std::string_view kHostnameBind{
    "\x08hostname\x04"
    "bind\x00",
    15};
constexpr std::string_view kVersionBind{
    "\x07version\x04"
    "bind\x00",
    14};
constexpr std::string_view kVersionServer{"\x07version\x06server\x00", 16};

// One TXT record holding text as a single character-string; empty text: no record.
RRset txt_of(const std::string& text) {
  RRset set{RRType::TXT, 0, 0, {}, {}};
  if (text.empty()) return set;
  const std::size_t length = 1 + text.size();  // RDLENGTH, then the character-string
  set.rdata.resize(3 + text.size());
  set.rdata[0] = static_cast<std::uint8_t>(length >> 8);
  set.rdata[1] = static_cast<std::uint8_t>(length);
  set.rdata[2] = static_cast<std::uint8_t>(text.size());
  std::copy(text.begin(), text.end(), set.rdata.begin() + 3);
  set.count = 1;
  return set;
}

}  // namespace

Result<ServerIdentity> ServerIdentity::make(std::string identity, std::string version) {
  if (identity.size() > 255) return Error{"identity is longer than 255 octets"};
  if (version.size() > 255) return Error{"version is longer than 255 octets"};
  ServerIdentity out;
  out.identity_txt_ = txt_of(identity);
  out.version_txt_ = txt_of(version);
  out.identity_ = std::move(identity);
  return out;
}

void ServerIdentity::answer_chaos(const Query& query, Answer& out) const {
  const std::string_view name = query.question.lower_name();
  const RRset* txt = nullptr;
  if (name == kIdServer || name == kHostnameBind) txt = &identity_txt_;
  if (name == kVersionBind || name == kVersionServer) txt = &version_txt_;
  if (!txt || txt->count == 0) {
    out.rcode = Rcode::Refused;  // not a name this server tells, or told nothing
    return;
  }
  out.authoritative = true;
  out.rrclass = RRClass::CH;
  const RRType qtype = query.question.qtype;
  if (qtype == RRType::TXT || qtype == RRType::ANY)
    out.answer.push_back(RRsetRef{query.question.name(), txt, 0});
}

}  // namespace apex
