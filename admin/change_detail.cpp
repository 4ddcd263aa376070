// The detail text of a change-log entry: before and after in master-file lines.
#include "admin/change_detail.hpp"

#include <functional>
#include <utility>

#include "admin/record_text.hpp"

namespace apex::admin {
namespace {

std::string serial_text(std::optional<std::uint32_t> serial) {
  return serial ? std::to_string(*serial) : "none";
}

std::string first_line(ZoneFate fate, std::optional<std::uint32_t> old_serial,
                       std::optional<std::uint32_t> new_serial, std::size_t record_count) {
  switch (fate) {
    case ZoneFate::kCreated:
      return "zone created, serial " + serial_text(new_serial) + ", " +
             std::to_string(record_count) + " records";
    case ZoneFate::kDeleted:
      return "zone deleted, serial " + serial_text(old_serial) + ", " +
             std::to_string(record_count) + " records";
    case ZoneFate::kUpdated:
    case ZoneFate::kUnchanged:
      break;
  }
  return "serial " + serial_text(old_serial) + " -> " + serial_text(new_serial);
}

// Calls line with each "-RECORD" and "+RECORD" line, without its line end.
Status for_each_line(const RecordSource& removed, const RecordSource& added,
                     const std::function<void(char, const std::string&)>& line) {
  for (auto [sign, source] : {std::pair{'-', &removed}, std::pair{'+', &added}}) {
    auto ok = (*source)([&, sign = sign](Record r) {
      line(sign, record_to_text(r));
      return Status(Ok{});
    });
    if (!ok) return ok;
  }
  return Ok{};
}

RecordSource from_vector(const std::vector<Record>& records) {
  return [&records](const RecordSink& each) -> Status {
    for (const Record& r : records)
      if (auto ok = each(r); !ok) return ok;
    return Ok{};
  };
}

}  // namespace

std::string change_detail(ZoneFate fate, std::optional<std::uint32_t> old_serial,
                          std::optional<std::uint32_t> new_serial, std::size_t record_count,
                          RecordChanges changes, const std::vector<std::string>& other_lines) {
  return change_detail(fate, old_serial, new_serial, record_count, from_vector(changes.removed),
                       from_vector(changes.added), other_lines);
}

std::string change_detail(ZoneFate fate, std::optional<std::uint32_t> old_serial,
                          std::optional<std::uint32_t> new_serial, std::size_t record_count,
                          const RecordSource& removed, const RecordSource& added,
                          const std::vector<std::string>& other_lines) {
  std::string text = first_line(fate, old_serial, new_serial, record_count);
  // Every record, however many: the entry is the audit trail and what undoes the change.
  // Sized first: growing a string of tens of megabytes by doubling would hold it twice.
  // The sinks below never fail, so neither do the walks.
  std::size_t size = text.size();
  (void)for_each_line(removed, added, [&](char, const std::string& l) { size += 2 + l.size(); });
  for (const std::string& line : other_lines) size += 1 + line.size();
  text.reserve(size);
  (void)for_each_line(removed, added, [&](char sign, const std::string& l) {
    text += '\n';
    text += sign;
    text += l;
  });
  for (const std::string& line : other_lines) text += '\n' + line;
  return text;
}

}  // namespace apex::admin
