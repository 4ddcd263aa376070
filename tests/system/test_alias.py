"""ALIAS flattening with real components (issue 4, ARCHITECTURE.md §5).

NSD serves the target zones (cdn.test, edge.test: alias_stack.default_target_zones),
Unbound resolves them (stub zones pointing at that NSD; iterator only, serve-expired
off), and apexd flattens through Unbound with short [flatten] timings
(alias_stack.FAST_FLATTEN: refresh floor 1 s, stale TTL 7 s, max-stale 6 s, negative
grace 4 s, health checks every 1 s). Python stand-ins are used only where a real
component cannot misbehave on purpose: a resolver that forges replies, one that never
answers (to prove that local targets need no upstream), TCP listeners for health checks.

What is checked (issue 4, "What it must show"):
- served addresses equal the target's (as Unbound resolves it); TTL = min(ALIAS TTL,
  TTLs along the chain); a CNAME chain of depth 3 across two zones;
- a change of the target on its authoritative is served within the target TTL + the refresh
  margin (1 s) and jitter + 1 s;
- Unbound stopped, and separately NSD stopped: the last-known-good addresses keep being
  served (no time-out, no SERVFAIL) for max-stale, then the fallback addresses (alias with
  --fallback) or SERVFAIL (alias without); a restart of apexd during the outage answers
  with the last-known-good addresses at once, `alias status` shows the stale TTL served and
  the failure bookkeeping, and max-stale still counts from the first failure before it;
- a CNAME loop: SERVFAIL, or the fallback; an NXDOMAIN target: NODATA; a target that
  used to resolve and disappears: kept for the negative grace period, then NODATA; a
  target with only A records: AAAA is NODATA;
- a target inside a provider-owned zone apexd serves: resolved with no upstream query at all (the only
  configured resolver never answers and counts what it gets), and a change of that zone
  is followed within 1 s;
- health checks: of two addresses, only the one accepting TCP connections is served;
  none healthy: all (health_fail_open = true) or the fallback (false);
- forged upstream replies (wrong ID, source port, source address, question name, type)
  are ignored; query IDs and source ports vary;
- bounded work: 10,000 aliases in 10,000 zones to 50 targets cost 50 x 2 upstream queries
  per refresh cycle (at most 1.3 times that), counted by Unbound: a refresh comes just after
  the TTL Unbound gave runs out, so Unbound has to fetch fresh data each time.

Until the flattener is wired into apexd these fail with "… not seen within N s …" and the
output of `apexctl alias status`.
Run from the repository root: /usr/bin/python3 -m pytest tests/system -q -k alias
"""

from __future__ import annotations

import datetime
import json
import time

import dns.rcode
import dns.rdatatype
import pytest

import alias_stack as A
import dnsharness as h

pytestmark = pytest.mark.alias

NOERROR, NXDOMAIN, SERVFAIL = dns.rcode.NOERROR, dns.rcode.NXDOMAIN, dns.rcode.SERVFAIL
CFG = A.FAST_FLATTEN
FIRST_RESOLUTION = 5.0      # seconds for a brand-new alias to be served ("at once")
REFRESH_MARGIN = 1.0        # a refresh comes this long after the TTL runs out (the default)
TTL_SLACK = 10              # Unbound hands out its cached TTLs, counting down


# --- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def upstream(tmp_path_factory):
    """Shared by the tests that do not stop or change it."""
    up = A.Upstream(tmp_path_factory.mktemp("upstream"))
    yield up
    up.stop()


@pytest.fixture
def own_upstream(tmp_path):
    """A private NSD + Unbound for a test that stops or changes them."""
    up = A.Upstream(tmp_path)
    yield up
    up.stop()


@pytest.fixture
def apex_factory(tmp_path):
    """make(resolvers, name=…, **flatten settings) -> a started A.Apex."""
    made: list[A.Apex] = []

    def make(resolvers: list[str], name: str = "a", start: bool = True, **flatten) -> A.Apex:
        apex = A.Apex(tmp_path / name, resolvers, **flatten)
        made.append(apex)
        if start:
            apex.start()
        return apex
    yield make
    for apex in made:
        code = apex.stop()
        assert code in (None, 0), f"apexd exited with {code}:\n{apex.server.log()}"


def addresses(s: h.Served) -> frozenset[str]:
    return s.rdatas if s.rcode == NOERROR else frozenset()


def serves(*rdatas: str):
    want = frozenset(rdatas)
    return lambda s: s.rcode == NOERROR and s.aa and s.rdatas == want


def nodata(s: h.Served) -> bool:
    return s.rcode == NOERROR and s.aa and not s.answer and s.serial is not None


def unbound_addresses(up: A.Upstream, target: str, qtype: str) -> frozenset[str]:
    m = up.unbound.resolve(target, qtype)
    return frozenset(rd.to_text() for rrset in m.answer if
                     dns.rdatatype.to_text(rrset.rdtype) == qtype for rd in rrset)


# --- answers: addresses and TTLs ---------------------------------------------------------------

def test_served_addresses_equal_the_targets_and_ttl_is_min_of_chain(upstream, apex_factory,
                                                                    report):
    apex = apex_factory([upstream.unbound.endpoint])
    apex.import_zone(A.alias_zone_text("shop.test.", [("@", 3600, "lb.cdn.test."),
                                                      ("www", 60, "lb.cdn.test.")],
                                       ["@ 3600 IN MX 10 mail.hostco.example."]))
    apex.import_zone(A.alias_zone_text("chain.test.", [("@", 3600, "c1.cdn.test."),
                                                       ("short", 30, "c1.cdn.test.")]))
    cases = [  # owner, target, ALIAS TTL, smallest TTL along the chain
        ("shop.test.", "lb.cdn.test.", 3600, 300),
        ("www.shop.test.", "lb.cdn.test.", 60, 300),
        ("chain.test.", "c1.cdn.test.", 3600, 50),       # c1 100, c2 200, c3 50, end 400
        ("short.chain.test.", "c1.cdn.test.", 30, 50),
    ]
    for owner, target, alias_ttl, chain_ttl in cases:
        for qtype in ("A", "AAAA"):
            want = unbound_addresses(upstream, target, qtype)
            assert want, f"fixture: Unbound resolves nothing for {target}/{qtype}"
            took, got = apex.wait_for(owner, qtype, serves(*want), FIRST_RESOLUTION,
                                      f"{owner} ALIAS {target}: addresses {sorted(want)}")
            assert all(line.split()[0] == owner and line.split()[3] == qtype
                       for line in got.answer), f"not flattened at the owner: {got}"
            expected = min(alias_ttl, chain_ttl)
            (ttl,) = got.ttls
            assert expected - TTL_SLACK <= ttl <= expected, \
                f"{owner}/{qtype}: TTL {ttl}, expected min({alias_ttl}, {chain_ttl})"
            report(f"{owner} {qtype} {sorted(got.rdatas)} TTL {ttl} (ALIAS {alias_ttl}, "
                   f"chain {chain_ttl}); served {took:.2f} s after import")
    # Other types at the owner answer as usual.
    assert apex.ask("shop.test.", "MX").rdatas == {"10 mail.hostco.example."}
    assert nodata(apex.ask("shop.test.", "TXT"))
    # alias status names the chain and the state.
    res = apex.ctl("alias", "status", "chain.test.", "--json", check=False)
    assert res.returncode == 0, f"alias status: {res.stderr}"
    text = json.dumps(json.loads(res.stdout))
    assert "c2.edge.test" in text and "fresh" in text, text
    # Master files keep the ALIAS; --flatten writes the addresses instead.
    plain = apex.ctl("zone", "export", "shop.test.").stdout
    assert "ALIAS\tlb.cdn.test." in plain.replace(" ", "\t"), plain
    flat = apex.ctl("zone", "export", "shop.test.", "--flatten").stdout
    assert "ALIAS" not in flat and "192.0.2.10" in flat and "2001:db8::10" in flat, flat


def test_alias_changes_are_applied_live(upstream, apex_factory, report):
    """alias set on a new owner, alias set to another target, alias delete: each is
    served within 1 s of apexctl's exit (targets already resolved, or resolved at once)."""
    apex = apex_factory([upstream.unbound.endpoint])
    apex.ctl("zone", "add", "live.test.")
    apex.ctl("alias", "set", "live.test.", "lb.cdn.test.", "--ttl", "600")
    took_new, _ = apex.wait_for("live.test.", "A", serves("192.0.2.10", "192.0.2.11"),
                                FIRST_RESOLUTION, "a new alias")
    apex.ctl("alias", "set", "live.test.", "v4only.cdn.test.", "--ttl", "600")
    took_retarget, _ = apex.wait_for("live.test.", "A", serves("192.0.2.30"), 2.0,
                                     "the alias's new target")
    apex.wait_for("live.test.", "AAAA", nodata, 2.0, "the new target's AAAA NODATA")
    apex.ctl("alias", "delete", "live.test.")
    took_delete, _ = apex.wait_for("live.test.", "A", nodata, 2.0, "the alias deleted")
    report(f"alias set (new) served after {took_new:.2f} s, retarget {took_retarget:.2f} s, "
           f"delete {took_delete:.2f} s")
    assert max(took_new, took_retarget, took_delete) < 1.0


def test_target_with_only_a_records_gives_aaaa_nodata(upstream, apex_factory):
    apex = apex_factory([upstream.unbound.endpoint])
    apex.import_zone(A.alias_zone_text("v4.test.", [("@", 600, "v4only.cdn.test.")]))
    apex.wait_for("v4.test.", "A", serves("192.0.2.30"), FIRST_RESOLUTION, "A of v4only")
    apex.wait_for("v4.test.", "AAAA", nodata, FIRST_RESOLUTION, "AAAA NODATA")


def test_nxdomain_target_gives_nodata(upstream, apex_factory):
    apex = apex_factory([upstream.unbound.endpoint])
    apex.import_zone(A.alias_zone_text("nx.test.", [("@", 600, "nx.cdn.test.")]))
    for qtype in ("A", "AAAA"):
        apex.wait_for("nx.test.", qtype, nodata, FIRST_RESOLUTION,
                      f"NODATA for an NXDOMAIN target ({qtype})")
    assert "negative" in apex.status("nx.test."), apex.status("nx.test.")


def test_cname_loop_gives_servfail_or_the_fallback(upstream, apex_factory):
    apex = apex_factory([upstream.unbound.endpoint])
    apex.ctl("zone", "add", "loop.test.")
    apex.ctl("zone", "add", "loopfb.test.")
    apex.ctl("alias", "set", "loop.test.", "loop1.cdn.test.", "--ttl", "600")
    apex.ctl("alias", "set", "loopfb.test.", "loop1.cdn.test.", "--ttl", "600",
             "--fallback", "192.0.2.99,2001:db8::99")
    apex.wait_for("loopfb.test.", "A", serves("192.0.2.99"), FIRST_RESOLUTION,
                  "fallback for a looping target")
    apex.wait_for("loopfb.test.", "AAAA", serves("2001:db8::99"), FIRST_RESOLUTION,
                  "fallback for a looping target")
    apex.wait_for("loop.test.", "A", lambda s: s.rcode == SERVFAIL, FIRST_RESOLUTION,
                  "SERVFAIL for a looping target without fallback")
    assert "failed" in apex.status("loop.test."), apex.status("loop.test.")


# --- changes and outages -----------------------------------------------------------------------

def test_target_change_is_followed_within_its_ttl(own_upstream, apex_factory, report):
    apex = apex_factory([own_upstream.unbound.endpoint])
    apex.import_zone(A.alias_zone_text("follow.test.", [("@", 3600, "short.cdn.test.")]))
    apex.wait_for("follow.test.", "A", serves("192.0.2.20"), FIRST_RESOLUTION, "first A")
    own_upstream.nsd.set_records("cdn.test.", "short", ["short 2 IN A 192.0.2.21",
                                                        "short 2 IN AAAA 2001:db8::21"])
    start = time.monotonic()
    # Worst case through a caching resolver: apexd resolved just before the change and got
    # Unbound's fresh copy of the old record (TTL 2). It asks again just after that TTL runs
    # out, when Unbound's copy has expired too: after 2 s + the refresh margin (1 s) + jitter
    # (10 % of the TTL, 0.2 s); then the new result is published (0.1 s). Plus 1 s of slack.
    limit = 2 + REFRESH_MARGIN + 0.2 + 1
    took, _ = apex.wait_for("follow.test.", "A", serves("192.0.2.21"), limit,
                            "the target's new address")
    apex.wait_for("follow.test.", "AAAA", serves("2001:db8::21"),
                               limit - (time.monotonic() - start) + 0.5,
                               "the target's new IPv6 address")
    report(f"target A changed on NSD (TTL 2): apexd served it after {took:.2f} s")


def outage_phase(apex: A.Apex, owners: list[str], good: str, seconds: float) -> list[int]:
    """Queries every owner every 0.1 s for `seconds`: each must get the last-known-good
    address at once (no time-out, no SERVFAIL). Returns the TTLs seen."""
    ttls: list[int] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for owner in owners:
            got = apex.ask(owner, "A", timeout=0.5)
            assert got.rcode == NOERROR and got.rdatas == {good}, \
                f"during the outage {owner} got {got} (expected {good})\n" \
                f"{apex.status(owner)}\n{apex.server.log()[-1500:]}"
            ttls += got.ttls
        time.sleep(0.1)
    return ttls


@pytest.mark.timeout_seconds(60)
@pytest.mark.parametrize("down", ["resolver", "authoritative"])
def test_outage_serves_last_known_good_then_fallback_or_servfail(own_upstream, apex_factory,
                                                                 down, report):
    """Stop Unbound (or NSD): last-known-good for max-stale (6 s) with the stale TTL (7),
    then the fallback (alias with --fallback) or SERVFAIL (without)."""
    apex = apex_factory([own_upstream.unbound.endpoint])
    for zone in ("withfb.test.", "nofb.test."):
        apex.ctl("zone", "add", zone)
    apex.ctl("alias", "set", "withfb.test.", "steady.cdn.test.", "--ttl", "300",
             "--fallback", "192.0.2.98")
    apex.ctl("alias", "set", "nofb.test.", "steady.cdn.test.", "--ttl", "300")
    owners = ["withfb.test.", "nofb.test."]
    for owner in owners:
        apex.wait_for(owner, "A", serves("192.0.2.60"), FIRST_RESOLUTION, "first A")
    (own_upstream.unbound if down == "resolver" else own_upstream.nsd).stop()
    stopped = time.monotonic()
    ttls = outage_phase(apex, owners, "192.0.2.60", CFG["max_stale_s"] - 0.5)
    assert CFG["stale_ttl_s"] in ttls, f"stale TTL {CFG['stale_ttl_s']} never served: " \
                                       f"{sorted(set(ttls))}"
    assert all(t <= 2 or t == CFG["stale_ttl_s"] for t in ttls), sorted(set(ttls))
    # Failures start at the first refresh after the stop (target TTL 2 s + the refresh
    # margin and jitter, two tries of 0.3 s); max-stale runs from there.
    limit = CFG["max_stale_s"] + 2 + REFRESH_MARGIN + 0.2 + 2 * 0.3 + CFG["retry_max_s"] + 3
    took, _ = apex.wait_for("withfb.test.", "A", serves("192.0.2.98"),
                            limit - (time.monotonic() - stopped), "fallback past max-stale")
    apex.wait_for("nofb.test.", "A", lambda s: s.rcode == SERVFAIL,
                  limit - (time.monotonic() - stopped) + 1, "SERVFAIL past max-stale")
    # Each transition is logged once, however many retries failed in between.
    log = apex.server.log()
    went_stale = [l for l in log.splitlines() if "steady.cdn.test. A: resolution failing" in l
                  and "as stale" in l]
    failed = [l for l in log.splitlines() if "steady.cdn.test. A: resolution failing" in l
              and "nothing left to serve" in l]
    assert len(went_stale) == 1 and len(failed) == 1, log[-3000:]
    assert "[warning]" in went_stale[0] and "[warning]" in failed[0]
    report(f"{down} down: last-known-good served for {CFG['max_stale_s']} s, fallback "
           f"{time.monotonic() - stopped:.1f} s after the stop")


def family_status(apex: A.Apex, owner: str, family: str = "a") -> dict:
    """The family's entry of `apexctl alias status OWNER --json`."""
    res = apex.ctl("alias", "status", owner, "--json")
    return json.loads(res.stdout)[0][family]


def epoch_seconds(iso: str) -> float:
    return datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


@pytest.mark.timeout_seconds(60)
def test_restart_during_outage_answers_at_once(own_upstream, apex_factory, report):
    """Unbound stopped, apexd killed (-9) and restarted: the first answer is the
    last-known-good address (persisted in SQLite), not SERVFAIL; `alias status` shows the
    stale TTL served and the failure bookkeeping, which goes on after the restart: max-stale
    counts from the first failure before it."""
    apex = apex_factory([own_upstream.unbound.endpoint])
    apex.import_zone(A.alias_zone_text("restart.test.", [("@", 300, "steady.cdn.test.")]))
    apex.wait_for("restart.test.", "A", serves("192.0.2.60"), FIRST_RESOLUTION, "first A")
    own_upstream.unbound.stop()
    # Failing from the first refresh after the stop (TTL 2 s + margin + jitter + tries).
    deadline = time.monotonic() + 6.0
    while not (failing := family_status(apex, "restart.test."))["failing_since"]:
        assert time.monotonic() < deadline, f"not failing 6 s after the stop: {failing}"
        time.sleep(0.1)
    first_failure = epoch_seconds(failing["failing_since"])
    assert failing["state"] == "stale" and failing["ttl"] == CFG["stale_ttl_s"], failing
    assert failing["result_ttl"] <= 2 and failing["last_error_at"], failing
    # Half of max-stale into the outage, apexd dies.
    outage_phase(apex, ["restart.test."], "192.0.2.60",
                 first_failure + CFG["max_stale_s"] / 2 - time.time())
    before = family_status(apex, "restart.test.")
    apex.kill9()
    apex.start()
    first = apex.ask("restart.test.", "A")
    assert first.rcode == NOERROR and first.rdatas == {"192.0.2.60"}, \
        f"first answer after the restart: {first}\n{apex.status('restart.test.')}"
    assert first.ttls == {CFG["stale_ttl_s"]}, f"not served as stale: {first}"
    after = family_status(apex, "restart.test.")
    assert after["failing_since"] == before["failing_since"], (before, after)
    assert after["consecutive_failures"] >= before["consecutive_failures"] >= 1, (before, after)
    assert after["ttl"] == CFG["stale_ttl_s"], after
    # SERVFAIL (no fallback) once max-stale has passed since the first failure, not since
    # the restart: give it the retry granularity (retry_max_s) and a second.
    limit = first_failure + CFG["max_stale_s"] + CFG["retry_max_s"] + 1
    took, _ = apex.wait_for("restart.test.", "A", lambda s: s.rcode == SERVFAIL,
                            limit - time.time(), "SERVFAIL at max-stale from the first failure")
    report(f"restart {CFG['max_stale_s'] / 2:.0f} s into the failures: SERVFAIL "
           f"{time.time() - first_failure:.1f} s after the first failure (max-stale "
           f"{CFG['max_stale_s']} s); status before/after: "
           f"{before['consecutive_failures']}/{after['consecutive_failures']} failures in a row")


@pytest.mark.timeout_seconds(60)
def test_negative_answer_is_accepted_after_the_grace_period(own_upstream, apex_factory):
    apex = apex_factory([own_upstream.unbound.endpoint])
    apex.import_zone(A.alias_zone_text("fade.test.", [("@", 300, "fading.cdn.test.")]))
    apex.wait_for("fade.test.", "A", serves("192.0.2.50"), FIRST_RESOLUTION, "first A")
    own_upstream.nsd.set_records("cdn.test.", "fading", [])   # now NXDOMAIN
    removed = time.monotonic()
    outage_phase(apex, ["fade.test."], "192.0.2.50", CFG["negative_grace_s"] - 0.5)
    limit = CFG["negative_grace_s"] + 2 + REFRESH_MARGIN + 0.2 + 1 + CFG["retry_max_s"] + 3
    apex.wait_for("fade.test.", "A", nodata, limit - (time.monotonic() - removed),
                  "NODATA after the negative grace period")


# --- local targets --------------------------------------------------------------------------------

def test_local_target_needs_no_upstream_and_follows_changes(apex_factory, report):
    silent = A.SilentResolver()
    try:
        apex = apex_factory([silent.endpoint])
        apex.import_zone(A.alias_zone_text("local.test.", [], [
            "www 120 IN A 192.0.2.70", "www 120 IN AAAA 2001:db8::70",
            "cn 60 IN CNAME www", "l1 300 IN CNAME l2", "l2 300 IN CNAME l1"]), provider=True)
        # hop.shoplocal.test is an ALIAS to shoplocal.test's own ALIAS: that zone is the
        # operator's too.
        apex.import_zone(A.alias_zone_text("shoplocal.test.", [
            ("@", 3600, "www.local.test."), ("via", 3600, "cn.local.test."),
            ("loop", 3600, "l1.local.test."), ("hop", 3600, "shoplocal.test.")]),
            provider=True)
        apex.wait_for("shoplocal.test.", "A", serves("192.0.2.70"), 2.0, "local target")
        got = apex.ask("shoplocal.test.", "AAAA")
        assert got.rdatas == {"2001:db8::70"} and got.ttls == {120}, got
        got = apex.ask("via.shoplocal.test.", "A")
        assert got.rdatas == {"192.0.2.70"} and got.ttls == {60}, got
        got = apex.ask("hop.shoplocal.test.", "A")       # an ALIAS to a local ALIAS
        assert got.rdatas == {"192.0.2.70"} and got.ttls == {120}, got
        apex.wait_for("loop.shoplocal.test.", "A", lambda s: s.rcode == SERVFAIL, 2.0,
                      "SERVFAIL for a local CNAME loop")
        apex.ctl("record", "set", "www.local.test.", "A", "192.0.2.71")
        took, _ = apex.wait_for("shoplocal.test.", "A", serves("192.0.2.71"), 2.0,
                                "the local target's new address")
        assert took < 1.0, f"local target change followed after {took:.2f} s"
        apex.wait_for("via.shoplocal.test.", "A", serves("192.0.2.71"), 1.0, "via CNAME")
        apex.wait_for("hop.shoplocal.test.", "A", serves("192.0.2.71"), 1.0, "via ALIAS")
        report(f"local target changed with apexctl: apex followed after {took:.2f} s")
        time.sleep(0.5)
        local = [q for q in silent.questions() if q.endswith("local.test.")]
        assert not local, f"{len(local)} upstream queries for local targets: {local[:5]}"
    finally:
        silent.close()


# --- health checks ----------------------------------------------------------------------------------

@pytest.mark.timeout_seconds(60)
def test_health_checks_drop_unhealthy_addresses(upstream, apex_factory, report):
    port = A.free_port_on("127.0.0.2")
    open_ = apex_factory([upstream.unbound.endpoint], name="open", health_fail_open=True)
    closed = apex_factory([upstream.unbound.endpoint], name="closed",
                          health_fail_open=False)
    open_.ctl("zone", "add", "hc.test.")
    open_.ctl("alias", "set", "hc.test.", "hc.cdn.test.", "--ttl", "300",
              "--health", f"tcp:{port}")
    closed.ctl("zone", "add", "hc.test.")
    closed.ctl("alias", "set", "hc.test.", "hc.cdn.test.", "--ttl", "300",
               "--health", f"tcp:{port}", "--fallback", "192.0.2.97")
    limit = FIRST_RESOLUTION + 3 * CFG["health_interval_s"]
    listener = A.TcpListener("127.0.0.2", port)
    try:
        for apex in (open_, closed):
            apex.wait_for("hc.test.", "A", serves("127.0.0.2"), limit,
                          "only the address accepting TCP (127.0.0.2)")
    finally:
        listener.close()
    listener = A.TcpListener("127.0.0.3", port)
    moved = time.monotonic()
    try:
        for apex in (open_, closed):
            apex.wait_for("hc.test.", "A", serves("127.0.0.3"),
                                    4 * CFG["health_interval_s"],
                                    "only the address accepting TCP (127.0.0.3)")
    finally:
        listener.close()
    report(f"health: both apexd served the other address "
           f"{time.monotonic() - moved:.1f} s after its listener moved")
    open_.wait_for("hc.test.", "A", serves("127.0.0.2", "127.0.0.3"),
                   4 * CFG["health_interval_s"], "all addresses (fail open)")
    closed.wait_for("hc.test.", "A", serves("192.0.2.97"), 4 * CFG["health_interval_s"],
                    "the fallback (health_fail_open = false)")


# --- upstream hygiene ----------------------------------------------------------------------------------

def test_forged_upstream_replies_are_ignored(apex_factory):
    forger = A.ForgingResolver({("forge.cdn.test.", "A"): (["192.0.2.77"], 1),
                                ("forge.cdn.test.", "AAAA"): (["2001:db8::77"], 1)})
    try:
        apex = apex_factory([forger.endpoint])
        apex.import_zone(A.alias_zone_text("forge.test.", [("@", 300, "forge.cdn.test.")]))
        apex.wait_for("forge.test.", "A", serves("192.0.2.77"), FIRST_RESOLUTION,
                      "the genuine address")
        apex.wait_for("forge.test.", "AAAA", serves("2001:db8::77"), FIRST_RESOLUTION,
                      "the genuine IPv6 address")
        end = time.monotonic() + 4.0      # TTL 1: several refreshes, each forged first
        while time.monotonic() < end:
            for qtype, good in (("A", "192.0.2.77"), ("AAAA", "2001:db8::77")):
                got = apex.ask("forge.test.", qtype)
                assert got.rdatas == {good}, f"forged reply accepted: {got}"
            time.sleep(0.1)
        seen = [s for s in forger.seen if s[2] == "forge.cdn.test."]
        assert len(seen) >= 4, f"only {len(seen)} upstream queries in 4 s with TTL 1"
        ids = [s[1] for s in seen]
        ports = {s[0] for s in seen}
        assert len(set(ids)) == len(ids), f"query IDs repeat: {ids}"
        assert len(ports) >= 2, f"every query from one source port: {ports}"
    finally:
        forger.close()


# --- bounded work -------------------------------------------------------------------------------------

BOUNDED_ZONES, BOUNDED_TARGETS, BOUNDED_TTL = 10000, 50, 5
# A refresh cycle: the TTL Unbound gives (5 s: its copy has just been fetched), the refresh
# margin, and up to 10 % of the TTL of jitter.
BOUNDED_CYCLE = BOUNDED_TTL + REFRESH_MARGIN + 0.1 * BOUNDED_TTL


def query_bursts(unbound: A.Unbound, seconds: float, quiet: float = 2.0) -> list[int]:
    """Samples Unbound's query counter for `seconds`; the queries come in bursts, one per
    refresh cycle (the targets share a TTL), with `quiet` seconds or more between them.
    Returns the number of queries of each burst seen whole within the window."""
    samples = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        samples.append((time.monotonic(), unbound.queries()))
        time.sleep(0.1)
    bursts: list[list] = []              # [time of the sample before, end, queries]
    for (t0, q0), (t1, q1) in zip(samples, samples[1:]):
        if q1 == q0:
            continue
        if not bursts or t0 - bursts[-1][1] >= quiet:
            bursts.append([t0, t1, 0])
        bursts[-1][1:] = [t1, bursts[-1][2] + q1 - q0]
    whole = [b for b in bursts
             if b[0] - samples[0][0] >= quiet and samples[-1][0] - b[1] >= quiet]
    return [b[2] for b in whole]


@pytest.mark.timeout_seconds(120)
def test_bounded_work_one_resolution_per_distinct_target(own_upstream, apex_factory,
                                                         tmp_path, report):
    """10,000 aliases in 10,000 zones pointing at 50 targets (TTL 5 s): the first
    resolution and each refresh cycle cost 50 x 2 queries at Unbound (one per target and
    family), not twice that: a refresh asked before Unbound's copy runs out would only get
    that copy back with a shorter TTL, and need a second query."""
    apex = apex_factory([own_upstream.unbound.endpoint], start=False)
    zdir = tmp_path / "bounded"
    zdir.mkdir()
    for i in range(BOUNDED_ZONES):
        zone = f"b{i:05d}.test."
        (zdir / f"{zone}zone").write_text(A.alias_zone_text(
            zone, [("@", 3600, f"t{i % BOUNDED_TARGETS}.cdn.test.")]))
    h.run_tool([h.require_binary(h.apexctl_binary()), "--db", apex.db, "zone", "import",
                zdir], timeout=120)
    before = own_upstream.unbound.queries()
    apex.start()
    for i in range(BOUNDED_ZONES - BOUNDED_TARGETS, BOUNDED_ZONES):
        apex.wait_for(f"b{i:05d}.test.", "AAAA",
                      serves(f"2001:db8:1::{i % BOUNDED_TARGETS + 1:x}"), 15.0,
                      "every target resolved")
    first = own_upstream.unbound.queries() - before
    window = 4 * BOUNDED_CYCLE
    t0, q0 = time.monotonic(), own_upstream.unbound.queries()
    bursts = query_bursts(own_upstream.unbound, window)
    per_ttl = (own_upstream.unbound.queries() - q0) / ((time.monotonic() - t0) / BOUNDED_TTL)
    ideal = 2 * BOUNDED_TARGETS
    per_cycle = sum(bursts) / len(bursts) if bursts else float("nan")
    report(f"{BOUNDED_ZONES} aliases -> {BOUNDED_TARGETS} targets: {first} queries at "
           f"Unbound for the first resolution; refresh cycles {bursts}: {per_cycle:.0f} "
           f"queries per cycle (ideal {ideal}), {per_ttl:.0f} per {BOUNDED_TTL} s TTL")
    assert first <= 1.5 * ideal, f"first resolution cost {first} upstream queries"
    assert len(bursts) >= 2, f"refresh cycles not told apart: {bursts}"
    assert ideal * 0.7 <= per_cycle <= ideal * 1.3, \
        f"{per_cycle:.0f} queries per refresh cycle ({bursts}); ideal {ideal}"
    # And over the whole window: at most one query per target and family per TTL.
    assert per_ttl <= ideal * 1.3, f"{per_ttl:.0f} queries per {BOUNDED_TTL} s"
