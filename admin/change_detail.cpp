// The detail text of a change-log entry: before and after in master-file lines.
#include "admin/change_detail.hpp"

#include "admin/record_text.hpp"

namespace apex::admin {
namespace {

void append_records(std::string& text, char sign, const std::vector<Record>& records) {
  for (const Record& r : records) {
    text += '\n';
    text += sign;
    text += record_to_text(r);
  }
}

std::string serial_text(std::optional<std::uint32_t> serial) {
  return serial ? std::to_string(*serial) : "none";
}

}  // namespace

std::string change_detail(ZoneFate fate, std::optional<std::uint32_t> old_serial,
                          std::optional<std::uint32_t> new_serial, std::size_t record_count,
                          RecordChanges changes, const std::vector<std::string>& other_lines) {
  std::string text;
  switch (fate) {
    case ZoneFate::kCreated:
      text = "zone created, serial " + serial_text(new_serial) + ", " +
             std::to_string(record_count) + " records";
      break;
    case ZoneFate::kDeleted:
      text = "zone deleted, serial " + serial_text(old_serial) + ", " +
             std::to_string(record_count) + " records";
      break;
    case ZoneFate::kUpdated:
    case ZoneFate::kUnchanged:
      text = "serial " + serial_text(old_serial) + " -> " + serial_text(new_serial);
      break;
  }
  // Every record, however many: the entry is the audit trail and what undoes the change.
  append_records(text, '-', changes.removed);
  append_records(text, '+', changes.added);
  for (const std::string& line : other_lines) text += '\n' + line;
  return text;
}

}  // namespace apex::admin
