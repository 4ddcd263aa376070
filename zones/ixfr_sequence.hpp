// An incremental zone transfer's records (RFC 1995 §4): the current SOA, then for each
// version from the client's to ours the old SOA, its deletions, the new SOA and its
// additions, and the current SOA again to close the stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "zones/transfer_source.hpp"
#include "zones/zone.hpp"
#include "zones/zone_difference.hpp"

namespace apex {

class IxfrSequence final : public TransferSource {
 public:
  // versions: consecutive, oldest first, the last one arriving at zone's serial (the caller
  // checks; see journal_path()). zone frames the stream with its SOA and is kept alive.
  IxfrSequence(ZonePtr zone, const std::vector<ZoneDifference>& versions);
  bool next(RRsetRef& out) override;

  std::size_t records() const { return records_; }  // inside the framing SOAs

 private:
  struct Item {
    std::string owner;  // wire form
    RRset rrset;
  };
  void add_section(const std::vector<Record>& records);
  void add(const Record& record, bool may_join);

  ZonePtr zone_;
  std::vector<Item> items_;
  std::size_t records_ = 0;
  std::size_t at_ = 0;
  bool opened_ = false;
  bool closed_ = false;
};

// A journal version as the path search sees it: which serial it leads from and to.
struct VersionStep {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
};

// Which versions of a journal (oldest first) lead from client_serial to serial: the index
// range [first, last) of consecutive versions starting at the client's serial and arriving
// at ours, or nothing when the journal holds no such run (history gone, a gap).
std::optional<std::pair<std::size_t, std::size_t>> journal_path(
    std::span<const VersionStep> journal, std::uint32_t client_serial, std::uint32_t serial);

}  // namespace apex
