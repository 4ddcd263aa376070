// Test fixture: inline master-file text → zone index → question → sections rendered as text.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "zones/alias_table.hpp"
#include "zones/answer.hpp"
#include "zones/master_file.hpp"
#include "zones/rdata.hpp"
#include "zones/zone_builder.hpp"
#include "zones/zone_index.hpp"

namespace apex::test {

inline ZonePtr zone_from_text(const std::string& origin, const std::string& text) {
  auto apex = Name::from_text(origin);
  REQUIRE(apex.ok());
  auto file = read_master_text(text, *apex, "test.zone");
  REQUIRE_MESSAGE(file.ok(), (file.ok() ? "" : file.error()));
  auto zone = build_zone(*apex, std::move(file->records));
  REQUIRE_MESSAGE(zone.ok(), (zone.ok() ? "" : zone.error()));
  return *zone;
}

// A query for name/type as the parser would produce it.
inline Query make_query(const std::string& name, RRType type) {
  Query q;
  auto n = Name::from_text(name);
  REQUIRE(n.ok());
  auto wire = n->wire();
  Question& question = q.question;
  question.length = static_cast<std::uint8_t>(wire.size());
  for (std::size_t i = 0; i < wire.size(); ++i) {
    question.wire[i] = wire[i];
    question.lower[i] = fold_case(wire[i]);
  }
  question.labels = 0;
  for (std::size_t pos = 0; wire[pos] != 0; pos += wire[pos] + 1u)
    question.label_offsets[question.labels++] = static_cast<std::uint8_t>(pos);
  question.qtype = type;
  q.has_question = true;
  return q;
}

// "owner TTL TYPE RDATA" for each record of each RRset in a section.
inline std::vector<std::string> render(const std::vector<RRsetRef>& section) {
  std::vector<std::string> lines;
  for (const auto& ref : section) {
    auto owner = Name::from_wire(
        {reinterpret_cast<const std::uint8_t*>(ref.owner.data()), ref.owner.size()});
    const std::uint8_t* p = ref.rrset->rdata.data();
    for (std::uint16_t i = 0; i < ref.rrset->count; ++i) {
      std::size_t len = static_cast<std::size_t>(p[0]) << 8 | p[1];
      lines.push_back(owner->to_text() + " " + std::to_string(ref.ttl) + " " +
                      rrtype_to_text(ref.rrset->type) + " " +
                      rdata_to_text(ref.rrset->type, {p + 2, len}));
      p += 2 + len;
    }
  }
  return lines;
}

struct Served {
  Rcode rcode;
  bool aa;
  std::vector<std::string> answer, authority, additional;
};

inline Served ask(const ZoneIndex& index, const AliasTable& aliases, const std::string& name,
                  RRType type, Transport transport = Transport::kUdp) {
  Answer out;
  const Query query = make_query(name, type);  // answer owners may point into the question
  answer_query(index, aliases, query, transport, out);
  return {out.rcode, out.authoritative, render(out.answer), render(out.authority),
          render(out.additional)};
}

// Without flattening results: every ALIAS is pending.
inline Served ask(const ZoneIndex& index, const std::string& name, RRType type,
                  Transport transport = Transport::kUdp) {
  static const AliasTable kNoAliases;
  return ask(index, kNoAliases, name, type, transport);
}

using Lines = std::vector<std::string>;

}  // namespace apex::test
