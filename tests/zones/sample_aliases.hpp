// The flattened results behind the ALIAS owners of the sample zones the answer, transfer and
// fuzz tests share: lb.cdn.test. with two A and one AAAA, only4 with A and NODATA for AAAA,
// broken failed in both families, stale serving its last-known-good A, and backup.example.com.
// with its own fallback. No test framework here: the fuzz targets use it too.
#pragma once

#include <cstdint>
#include <vector>

#include "zones/alias_table.hpp"

namespace apex::test {

inline Result<AliasTablePtr> sample_alias_table() {
  using Rdatas = std::vector<std::vector<std::uint8_t>>;
  auto v4 = [](std::uint32_t ttl, Rdatas rdatas, bool stale = false) {
    return AliasFamilyResult::with_addresses(RRType::A, ttl, rdatas, stale);
  };
  Rdatas v6(1, std::vector<std::uint8_t>(16, 0));
  v6[0][0] = 0x20, v6[0][1] = 0x01, v6[0][2] = 0x0d, v6[0][3] = 0xb8, v6[0][15] = 0x10;
  auto name = [](const char* text) { return *Name::from_text(text); };
  std::vector<AliasTargetEntry> targets;
  targets.push_back({name("lb.cdn.test."),
                     {v4(600, {{198, 51, 100, 1}, {198, 51, 100, 2}}),
                      AliasFamilyResult::with_addresses(RRType::AAAA, 120, v6)}});
  targets.push_back(
      {name("only4.cdn.test."), {v4(30, {{198, 51, 100, 4}}), AliasFamilyResult::no_data()}});
  targets.push_back(
      {name("broken.cdn.test."), {AliasFamilyResult::failed(), AliasFamilyResult::failed()}});
  targets.push_back(
      {name("stale.cdn.test."), {v4(30, {{198, 51, 100, 5}}, true), AliasFamilyResult::failed()}});
  // backup's own fallback addresses stand in for its failed target.
  std::vector<AliasOwnerEntry> owners;
  owners.push_back({name("backup.example.com."),
                    name("broken.cdn.test."),
                    {v4(3600, {{203, 0, 113, 9}}), AliasFamilyResult::no_data()}});
  return AliasTable::build(std::move(targets), std::move(owners));
}

}  // namespace apex::test
