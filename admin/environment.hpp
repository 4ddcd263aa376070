// What apexctl takes from the process beyond its arguments: environment variables, the
// clock, standard input. Tests substitute their own (a fixed date, a given $USER).
#pragma once

#include <chrono>
#include <functional>
#include <istream>
#include <optional>
#include <string>

namespace apex::admin {

struct Environment {
  // The value of an environment variable, nullopt when unset.
  std::function<std::optional<std::string>(const char* name)> variable;
  // The real user id, for the actor when no user name is known.
  unsigned uid = 0;
  std::chrono::system_clock::time_point now;
  std::istream* in = nullptr;  // for "apply -"

  // The running process's environment, clock and std::cin.
  static Environment process();
};

}  // namespace apex::admin
