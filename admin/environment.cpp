// The running process's environment, clock and standard input.
#include "admin/environment.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace apex::admin {

Environment Environment::process() {
  Environment env;
  env.variable = [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  env.uid = static_cast<unsigned>(getuid());
  env.now = std::chrono::system_clock::now();
  env.in = &std::cin;
  return env;
}

}  // namespace apex::admin
