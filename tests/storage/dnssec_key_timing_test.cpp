// Specification of key timing (RFC 7583 §3.3.1): which keys are published, sign, sign only
// the apex key RRsets, and are announced to the parent at each moment of a CSK rollover;
// the rollover's times from the zone's TTLs and delays; the phase a zone is in.
#include "storage/dnssec_key_timing.hpp"

#include <doctest/doctest.h>

#include "zones/master_file.hpp"

namespace apex::storage {
namespace {

constexpr std::int64_t kStart = 1'800'000'000;

DnssecKeyRow key(std::uint16_t tag, KeyTimes times) {
  DnssecKeyRow row;
  row.key_tag = tag;
  row.algorithm = 13;
  row.flags = 257;
  row.state = DnssecKeyState::kActive;
  row.times = times;
  return row;
}

std::vector<std::uint16_t> tags(const std::vector<const DnssecKeyRow*>& keys) {
  std::vector<std::uint16_t> out;
  for (const DnssecKeyRow* k : keys) out.push_back(k->key_tag);
  return out;
}

using Tags = std::vector<std::uint16_t>;

// A zone whose key 1 signs since long ago and whose key 2 rolls in with times.
ZoneDnssec rolling(const RolloverTimes& t) {
  DnssecSettings settings;
  settings.propagation_delay_s = 10;
  settings.parent_ds_ttl_s = 100;
  settings.registration_delay_s = 50;
  return ZoneDnssec{Name::from_text("example.org.").value(),
                    settings,
                    {key(1, {kStart - 1000, kStart - 1000, t.new_active_s, t.old_remove_s}),
                     key(2, {t.new_publish_s, t.new_active_s, {}, {}})}};
}

RolloverTimes times() {
  DnssecSettings settings;
  settings.propagation_delay_s = 10;
  settings.parent_ds_ttl_s = 100;
  settings.registration_delay_s = 50;
  return rollover_times(kStart, ZoneTtls{300, 600}, settings);
}

}  // namespace

TEST_CASE("a rollover's times follow RFC 7583 §3.3.1 from the TTLs and delays") {
  const RolloverTimes t = times();
  CHECK(t.new_publish_s == kStart);
  CHECK(t.new_active_s == kStart + 10 + 300);       // Ipub = Dprp + TTLkey
  CHECK(t.ds_swapped_by_s == t.new_active_s + 50);  // + Dreg
  // Iret = max(Dprp + TTLsig, Dreg + Dprp + TTLds) = max(610, 160)
  CHECK(t.old_remove_s == t.new_active_s + 610);
  DnssecSettings slow_parent;
  slow_parent.propagation_delay_s = 10;
  slow_parent.parent_ds_ttl_s = 86400;
  slow_parent.registration_delay_s = 3600;
  CHECK(rollover_times(kStart, ZoneTtls{300, 600}, slow_parent).old_remove_s ==
        kStart + 310 + 3600 + 10 + 86400);
}

TEST_CASE("at each step of a rollover the right keys publish, sign and are announced") {
  const RolloverTimes t = times();
  const ZoneDnssec zone = rolling(t);
  SUBCASE("before the new key is published: only the old key") {
    const KeySetAt at = key_set_at(zone, kStart - 1);
    CHECK(tags(at.published) == Tags{1});
    CHECK(tags(at.signing) == Tags{1});
    CHECK(at.dnskey_only.empty());
    CHECK(tags(at.parent_ds) == Tags{1});
  }
  SUBCASE("published: both DNSKEYs, the old key signs, the parent keeps the old DS") {
    const KeySetAt at = key_set_at(zone, kStart);
    CHECK(tags(at.published) == Tags{1, 2});
    CHECK(tags(at.signing) == Tags{1});
    CHECK(at.dnskey_only.empty());
    CHECK(tags(at.parent_ds) == Tags{1});
  }
  SUBCASE("new key active: it signs, CDS names it, the old key still signs the key RRsets") {
    const KeySetAt at = key_set_at(zone, t.new_active_s);
    CHECK(tags(at.published) == Tags{1, 2});
    CHECK(tags(at.signing) == Tags{2});
    CHECK(tags(at.dnskey_only) == Tags{1});
    CHECK(tags(at.parent_ds) == Tags{2});
  }
  SUBCASE("old key removed: only the new key") {
    const KeySetAt at = key_set_at(zone, t.old_remove_s);
    CHECK(tags(at.published) == Tags{2});
    CHECK(tags(at.signing) == Tags{2});
    CHECK(at.dnskey_only.empty());
    CHECK(tags(at.parent_ds) == Tags{2});
  }
}

TEST_CASE("the next key event is the earliest scheduled time after now") {
  const RolloverTimes t = times();
  const ZoneDnssec zone = rolling(t);
  CHECK(next_key_event(zone, kStart - 1) == kStart);
  CHECK(next_key_event(zone, kStart) == t.new_active_s);
  CHECK(next_key_event(zone, t.new_active_s) == t.old_remove_s);
  CHECK_FALSE(next_key_event(zone, t.old_remove_s));
}

TEST_CASE("the phase names the step of the rollover") {
  const RolloverTimes t = times();
  const ZoneDnssec zone = rolling(t);
  CHECK(phase_at(zone, kStart - 1).phase == DnssecPhase::kRolling);  // already scheduled
  const PhaseAt one = phase_at(zone, kStart);
  CHECK(one.phase == DnssecPhase::kRolling);
  CHECK(one.step == 1);
  CHECK(one.steps == 3);
  CHECK(phase_at(zone, t.new_active_s).step == 2);
  CHECK(phase_at(zone, t.ds_swapped_by_s).step == 3);
  CHECK(phase_at(zone, t.old_remove_s).phase == DnssecPhase::kSigned);
}

TEST_CASE("disabling: delete records replace the parent's keys while the zone stays signed") {
  ZoneDnssec zone{Name::from_text("example.org.").value(), {}, {key(1, {kStart, kStart, {}, {}})}};
  zone.settings.delete_since_s = kStart + 100;
  zone.settings.propagation_delay_s = 1;
  zone.settings.parent_ds_ttl_s = 2;
  const KeySetAt at = key_set_at(zone, kStart + 100);
  CHECK(at.delete_ds);
  CHECK(at.parent_ds.empty());
  CHECK(tags(at.signing) == Tags{1});
  CHECK(phase_at(zone, kStart + 100).phase == DnssecPhase::kGoingInsecure);
  CHECK(insecure_after(zone.settings) == kStart + 103);
  zone.keys[0].state = DnssecKeyState::kRetired;
  CHECK_FALSE(key_set_at(zone, kStart + 200).is_signed());
  CHECK(phase_at(zone, kStart + 200).phase == DnssecPhase::kUnsigned);
}

TEST_CASE("the DNSKEY TTL is an hour or the SOA's when shorter; TTLsig the largest TTL") {
  CHECK(dnskey_ttl(86400) == 3600);
  CHECK(dnskey_ttl(5) == 5);
  const Name apex = Name::from_text("example.org.").value();
  auto zone = read_master_text(
      "@ 5 IN SOA ns hostmaster 1 7200 3600 1209600 2\n@ 5 IN NS ns\nns 60 IN A 192.0.2.1\n", apex);
  REQUIRE_MESSAGE(zone, zone.error());
  auto ttls = zone_ttls(apex, zone->records);
  REQUIRE_MESSAGE(ttls, ttls.error());
  CHECK(ttls->dnskey_ttl == 5);
  CHECK(ttls->max_ttl == 60);
  CHECK_FALSE(zone_ttls(apex, {}));
}

}  // namespace apex::storage
