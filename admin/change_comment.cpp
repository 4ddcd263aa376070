// Why a change was made (--comment TEXT), as the change log keeps it beside what changed.
#include "admin/change_comment.hpp"

#include "admin/arguments.hpp"

namespace apex::admin {
namespace {

constexpr std::size_t kMaxCommentLength = 1000;

}  // namespace

Result<std::string> comment_argument(std::string_view text) {
  if (!is_log_text(text, kMaxCommentLength)) {
    return Error{"invalid comment: expected 1 to " + std::to_string(kMaxCommentLength) +
                 " characters on one line, without control characters"};
  }
  return std::string(text);
}

}  // namespace apex::admin
