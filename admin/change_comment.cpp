// Why a change was made (--comment TEXT), as the change log keeps it beside what changed.
#include "admin/change_comment.hpp"

#include <algorithm>

namespace apex::admin {
namespace {

constexpr std::size_t kMaxCommentLength = 1000;

bool is_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

}  // namespace

Result<std::string> comment_argument(std::string_view text) {
  if (text.empty() || text.size() > kMaxCommentLength ||
      std::any_of(text.begin(), text.end(), is_control)) {
    return Error{"invalid comment: expected 1 to " + std::to_string(kMaxCommentLength) +
                 " characters on one line, without control characters"};
  }
  return std::string(text);
}

}  // namespace apex::admin
