// A zone's records in memory, grouped into RRsets (RFC 2181 §5): the form in which commands
// edit a zone before it is validated and written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "zones/name.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"
#include "zones/rrtype.hpp"

namespace apex::admin {

using Rdata = std::vector<std::uint8_t>;

// An RRset's identity: owner (lower-cased, RFC 4343) and type.
struct RRsetKey {
  Name owner;
  RRType type = RRType::A;
  // For RRSIG, the type covered: each covered type's signatures carry that RRset's TTL
  // (RFC 4034 §3), so they are kept apart.
  std::uint16_t covered = 0;
};

// Canonical order (RFC 4034 §6.1) of owners, then type: all RRsets of a name are adjacent.
struct RRsetKeyLess {
  bool operator()(const RRsetKey& a, const RRsetKey& b) const;
};

struct RRsetData {
  Name owner;                 // as first written (case kept, it is served as written)
  std::uint32_t ttl = 0;      // one TTL per RRset (RFC 2181 §5.2)
  std::vector<Rdata> rdatas;  // sorted and without duplicates (RFC 2181 §5: a set)

  bool contains(const Rdata& rdata) const;
  // Same TTL and RDATA (the owner's case does not count).
  bool same_data(const RRsetData& other) const;
};

class WorkingZone {
 public:
  using Map = std::map<RRsetKey, RRsetData, RRsetKeyLess>;

  explicit WorkingZone(Name apex);
  // Groups records into RRsets; duplicates merge, and differing TTLs within an RRset are
  // an error (validate records with build_zone first to get its message).
  static Result<WorkingZone> from_records(const Name& apex, const std::vector<Record>& records);

  const Name& apex() const { return apex_; }
  const Map& rrsets() const { return rrsets_; }
  std::size_t record_count() const;

  const RRsetData* find(const Name& owner, RRType type) const;
  struct TypedRRset {
    RRType type;
    const RRsetData* rrset;
  };
  // The RRsets at owner, in type order.
  std::vector<TypedRRset> at(const Name& owner) const;
  // Replaces the RRset (owner, type) with rrset; an RRset without RDATA is removed.
  void set(RRType type, RRsetData rrset);
  // Removes the RRset; false when there was none.
  bool erase(const Name& owner, RRType type);

  // Every record, in canonical order, class IN.
  std::vector<Record> to_records() const;
  // The same, one at a time: no vector of every record (a large import).
  Status for_each_record(const RecordSink& each) const;
  // The records of one RRset.
  static std::vector<Record> records_of(RRType type, const RRsetData& rrset);

  friend bool operator==(const WorkingZone& a, const WorkingZone& b);

 private:
  friend class WorkingZoneBuilder;

  Name apex_;
  Map rrsets_;
};

// Groups records into RRsets as they come (from_records without a vector of them): a zone
// read from a file or the database goes straight into this form.
class WorkingZoneBuilder {
 public:
  WorkingZoneBuilder() : zone_(Name()) {}

  // Adds a record to its RRset; duplicates merge. A TTL that differs from the RRset's is an
  // error (RFC 2181 §5.2).
  Status add(Record record);
  // The zone at apex, every RRset a sorted set. Call once, last. (The apex of a master file
  // is only certain once it has been read.)
  WorkingZone finish(Name apex);

 private:
  WorkingZone zone_;
};

RRsetKey rrset_key(const Name& owner, RRType type);

}  // namespace apex::admin
