// Invariant checks for fuzz targets: a broken invariant aborts, so libFuzzer saves the input.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace apex::fuzz {

[[noreturn]] inline void invariant_failed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, condition);
  std::abort();
}

}  // namespace apex::fuzz

// Unlike assert(), stays active in every build type.
#define FUZZ_CHECK(condition) \
  ((condition) ? void(0) : ::apex::fuzz::invariant_failed(#condition, __FILE__, __LINE__))
