// Where a zone transfer's records come from: the stream encoder pulls RRsets from a source and
// packs them into messages, so the order and framing of a transfer belong to the source.
#pragma once

#include "zones/answer.hpp"

namespace apex {

// A sequence of RRsets ending in false. A whole zone (AXFR, RFC 5936 §2.2: SOA, every other
// RRset, SOA) is zone_contents.hpp; a journal-based IXFR yields its difference sequence the
// same way (RFC 1995 §4: new SOA, then per version old SOA, deletions, new SOA, additions,
// and new SOA last), its RRsets holding the records of one owner and type it deletes or adds.
class TransferSource {
 public:
  virtual ~TransferSource() = default;
  // The next RRset into out, or false when there is none. The owner and RRset out points to
  // stay valid as long as the source does.
  virtual bool next(RRsetRef& out) = 0;
};

}  // namespace apex
