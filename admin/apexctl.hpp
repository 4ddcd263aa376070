// apexctl's entry point as a function, so tests can run every command in-process.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "admin/environment.hpp"

namespace apex::admin {

extern const char* const kApexctlUsage;

// Runs one apexctl invocation. args are the arguments after the program name; normal output
// goes to out, messages and errors to err. Returns the exit status (see exit_code.hpp).
int run_apexctl(std::vector<std::string> args, std::ostream& out, std::ostream& err);
// The same with a given environment, clock and standard input (tests).
int run_apexctl(std::vector<std::string> args, std::ostream& out, std::ostream& err,
                const Environment& env);

}  // namespace apex::admin
