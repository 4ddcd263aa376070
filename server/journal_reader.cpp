// IXFR journal reads for transfer sessions (see journal_reader.hpp).
#include "server/journal_reader.hpp"

#include "server/log.hpp"
#include "zones/ixfr_sequence.hpp"

namespace apex::server {

Result<std::vector<storage::JournalVersion>> JournalReader::read(const Name& apex) {
  if (!db_) {
    auto opened = storage::Database::open(path_, storage::OpenMode::kExisting);
    if (!opened) return Error{opened.error()};
    db_ = std::move(*opened);
  }
  auto rows = db_->journal(apex);
  if (!rows) db_.reset();
  return rows;
}

std::optional<std::vector<ZoneDifference>> JournalReader::versions(const Name& apex,
                                                                   std::uint32_t from,
                                                                   std::uint32_t to) {
  std::vector<storage::JournalVersion> rows;
  {
    std::lock_guard lock(mutex_);
    auto read_rows = read(apex);
    if (!read_rows) {
      log_warning("IXFR of " + apex.to_text() + " sent whole: journal: " + read_rows.error());
      return std::nullopt;
    }
    rows = std::move(*read_rows);
  }
  std::vector<VersionStep> steps;
  steps.reserve(rows.size());
  for (const auto& row : rows) steps.push_back({row.from, row.to});
  const auto path = journal_path(steps, from, to);
  if (!path) return std::nullopt;
  std::vector<ZoneDifference> out;
  for (std::size_t i = path->first; i < path->second; ++i) {
    auto version = decode_difference(rows[i].difference);
    // A row that does not decode, or does not say what its columns say, cannot be sent.
    if (!version || version->from() != rows[i].from || version->to() != rows[i].to) {
      log_warning("IXFR of " + apex.to_text() + " sent whole: journal version " +
                  std::to_string(rows[i].from) + " -> " + std::to_string(rows[i].to) + ": " +
                  (version ? std::string("serials differ from its row") : version.error()));
      return std::nullopt;
    }
    out.push_back(std::move(*version));
  }
  return out;
}

}  // namespace apex::server
