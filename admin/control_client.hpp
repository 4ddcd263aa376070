// apexctl's side of apexd's control socket: connect, send one request line, read the one
// reply until apexd closes, all within a deadline, so apexctl never hangs on a stuck server.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

namespace apex::admin {

struct ControlExchange {
  enum class Outcome {
    kReply,       // text is apexd's reply
    kNotRunning,  // no socket file, or nothing listens on it (text says which)
    kFailed,      // anything else: permission, time-out, I/O error (text says what)
  };
  Outcome outcome = Outcome::kFailed;
  std::string text;
};

// The longest reply read; a longer one is a failure.
inline constexpr std::size_t kMaxControlReply = 16 * 1024 * 1024;

ControlExchange exchange_control(const std::filesystem::path& socket, std::string_view request,
                                 std::chrono::milliseconds timeout);

}  // namespace apex::admin
