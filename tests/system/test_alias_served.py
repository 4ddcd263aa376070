"""What an alias serves, said three ways: apexd's answers (dnspython), `apexctl alias status
--json` and `apexctl zone export --flatten` agree for every alias state (ARCHITECTURE.md §5:
one decision, flatten/served_alias.cpp).

NSD serves the target zones and Unbound resolves them (alias_stack, as in test_alias.py),
with the short [flatten] timings of alias_stack.FAST_FLATTEN (stale TTL 7 s, max-stale
6 s). apexctl is given apexd's configuration file, so it decides with the same policy.

States: fresh (both families, and A only with AAAA negative), negative (NXDOMAIN target),
failed (a CNAME loop) without fallback and with an IPv4-only, an IPv6-only and a
dual-stack fallback, stale (Unbound stopped, within max-stale), and pending (the only
resolver never answers) with an IPv4-only fallback, which is served meanwhile. For each
family: the same rcode (SERVFAIL: the export refuses the zone), the same addresses and the
same TTL. `alias set` warns at once when the target does not resolve, and exits 0.
Run from the repository root: /usr/bin/python3 -m pytest tests/system/test_alias_served.py -q
"""

from __future__ import annotations

import json
import time

import dns.rcode
import pytest

import alias_stack as A
import dnsharness as h

pytestmark = pytest.mark.alias

NOERROR, SERVFAIL = dns.rcode.NOERROR, dns.rcode.SERVFAIL
FIRST_RESOLUTION = 5.0
ALIAS_TTL = 60  # below the targets' TTLs at Unbound, so fresh answers have a steady TTL
FAMILIES = ("A", "AAAA")


@pytest.fixture
def upstream(tmp_path):
    up = A.Upstream(tmp_path)
    yield up
    up.stop()


@pytest.fixture
def apex_factory(tmp_path):
    made: list[A.Apex] = []

    def make(resolvers: list[str], name: str = "a", **flatten) -> A.Apex:
        apex = A.Apex(tmp_path / name, resolvers, **flatten)
        made.append(apex)
        apex.start()
        return apex
    yield make
    for apex in made:
        code = apex.stop()
        assert code in (None, 0), f"apexd exited with {code}:\n{apex.server.log()}"


# --- the three views, reduced to (rcode, addresses, TTL) per family ----------------------------

def by_dig(apex: A.Apex, owner: str, family: str):
    s = apex.ask(owner, family)
    assert s.rcode in (NOERROR, SERVFAIL), f"{owner}/{family}: {s}"
    ttls = {int(line.split()[1]) for line in s.answer}
    assert len(ttls) <= 1, s
    return (s.rcode, frozenset(s.rdatas), ttls.pop() if ttls else None)


def ctl(apex: A.Apex, *args: str, check: bool = True):
    return apex.ctl("--config", str(apex.config), *args, check=check)


def by_status(apex: A.Apex, owner: str) -> tuple[dict, dict]:
    entries = json.loads(ctl(apex, "alias", "status", owner, "--json").stdout)
    assert len(entries) == 1, entries
    views = {}
    for family in FAMILIES:
        f = entries[0][family.lower()]
        if f["serving"] == "servfail":
            views[family] = (SERVFAIL, frozenset(), None)
        elif f["serving"] == "nodata":
            views[family] = (NOERROR, frozenset(), None)
        else:
            views[family] = (NOERROR, frozenset(f["served_addresses"]), f["ttl"])
    return views, entries[0]


def by_export(apex: A.Apex, zone: str, owner: str):
    """The flattened export's view of owner, or None when the export is refused."""
    res = ctl(apex, "zone", "export", zone, "--flatten", check=False)
    if res.returncode != 0:
        assert res.returncode == 1 and "no " in res.stderr and not res.stdout, res
        return None, res.stderr
    views = {f: (NOERROR, set(), None) for f in FAMILIES}
    for line in res.stdout.splitlines():
        fields = line.split("\t")
        if len(fields) == 5 and fields[0] == owner and fields[3] in FAMILIES:
            _, addresses, _ = views[fields[3]]
            addresses.add(fields[4])
            views[fields[3]] = (NOERROR, addresses, int(fields[1]))
    return {f: (r, frozenset(a), t) for f, (r, a, t) in views.items()}, res.stderr


def agree(apex: A.Apex, zone: str, expect: dict[str, tuple], state: str | None = None):
    """dig, alias status and the export say the same for owner zone, and it is expect
    (family -> (rcode, addresses, TTL or None for any))."""
    dig = {f: by_dig(apex, zone, f) for f in FAMILIES}
    status, entry = by_status(apex, zone)
    export, notes = by_export(apex, zone, zone)
    context = f"{zone}: dig {dig}\nstatus {json.dumps(entry)}\nexport {export} {notes}"
    if state is not None:
        assert entry["state"] == state, context
    for family in FAMILIES:
        rcode, addresses, ttl = expect[family]
        assert dig[family][:2] == (rcode, frozenset(addresses)), context
        if ttl is not None:
            assert dig[family][2] == ttl, context
        assert status[family] == dig[family], context
    if any(dig[f][0] == SERVFAIL for f in FAMILIES):
        assert export is None, context
    else:
        assert export == dig, context
    return dig


def settled(apex: A.Apex, owner: str, predicate, what: str):
    """Waits until owner's status JSON satisfies predicate."""
    deadline = time.monotonic() + FIRST_RESOLUTION
    while True:
        _, entry = by_status(apex, owner)
        if predicate(entry):
            return entry
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: {json.dumps(entry)}\n{apex.server.log()[-1500:]}")
        time.sleep(0.1)


def set_alias(apex: A.Apex, zone: str, target: str, *fallback: str):
    apex.ctl("zone", "add", zone)
    args = ["alias", "set", zone, target, "--ttl", str(ALIAS_TTL)]
    if fallback:
        args += ["--fallback", ",".join(fallback)]
    return ctl(apex, *args)


# --- the tests ---------------------------------------------------------------------------------

def test_resolved_negative_and_failed_states_agree(upstream, apex_factory):
    apex = apex_factory([upstream.unbound.endpoint])
    quiet = set_alias(apex, "fresh.test.", "lb.cdn.test.")
    assert "warning" not in quiet.stderr, quiet.stderr
    set_alias(apex, "v4.test.", "v4only.cdn.test.")
    negative = set_alias(apex, "neg.test.", "nx.cdn.test.")
    assert "does not resolve (it has no A or AAAA records" in negative.stderr, negative.stderr
    assert "answered meanwhile: A NODATA, AAAA NODATA" in negative.stderr, negative.stderr
    failed = set_alias(apex, "fail.test.", "loop1.cdn.test.")
    assert "warning: the target loop1.cdn.test. of fail.test. does not resolve" in failed.stderr
    assert "answered meanwhile: A SERVFAIL, AAAA SERVFAIL" in failed.stderr, failed.stderr
    assert "fail.test. ALIAS loop1.cdn.test." in failed.stdout, failed.stdout
    v4_only = set_alias(apex, "faila.test.", "loop1.cdn.test.", "192.0.2.99")
    assert "A fallback 192.0.2.99, AAAA NODATA" in v4_only.stderr, v4_only.stderr
    set_alias(apex, "failaaaa.test.", "loop1.cdn.test.", "2001:db8::99")
    set_alias(apex, "failboth.test.", "loop1.cdn.test.", "192.0.2.99", "2001:db8::99")

    for zone in ("fresh.test.", "v4.test.", "neg.test.", "fail.test."):
        settled(apex, zone, lambda e: e["state"] != "pending", f"{zone} resolved")
    stale_ttl = A.FAST_FLATTEN["stale_ttl_s"]
    agree(apex, "fresh.test.", {"A": (NOERROR, {"192.0.2.10", "192.0.2.11"}, ALIAS_TTL),
                                "AAAA": (NOERROR, {"2001:db8::10"}, ALIAS_TTL)}, "fresh")
    agree(apex, "v4.test.", {"A": (NOERROR, {"192.0.2.30"}, ALIAS_TTL),
                             "AAAA": (NOERROR, set(), None)}, "fresh")
    agree(apex, "neg.test.", {f: (NOERROR, set(), None) for f in FAMILIES}, "negative")
    agree(apex, "fail.test.", {f: (SERVFAIL, set(), None) for f in FAMILIES}, "failed")
    agree(apex, "faila.test.", {"A": (NOERROR, {"192.0.2.99"}, stale_ttl),
                                "AAAA": (NOERROR, set(), None)}, "failed")
    agree(apex, "failaaaa.test.", {"A": (NOERROR, set(), None),
                                   "AAAA": (NOERROR, {"2001:db8::99"}, stale_ttl)}, "failed")
    agree(apex, "failboth.test.", {"A": (NOERROR, {"192.0.2.99"}, stale_ttl),
                                   "AAAA": (NOERROR, {"2001:db8::99"}, stale_ttl)}, "failed")


def test_stale_state_agrees(upstream, apex_factory):
    apex = apex_factory([upstream.unbound.endpoint])
    set_alias(apex, "stale.test.", "steady.cdn.test.")
    settled(apex, "stale.test.", lambda e: e["state"] == "fresh", "stale.test. fresh")
    upstream.unbound.stop()
    # steady's TTL is 2 s: its refresh fails soon after, and last-known-good is served with
    # the stale TTL for max-stale (6 s).
    settled(apex, "stale.test.",
            lambda e: all(e[f]["state"] == "stale" and e[f]["failing_since"] for f in ("a", "aaaa")),
            "stale.test. stale and failing")
    stale_ttl = A.FAST_FLATTEN["stale_ttl_s"]
    agree(apex, "stale.test.", {"A": (NOERROR, {"192.0.2.60"}, stale_ttl),
                                "AAAA": (NOERROR, {"2001:db8::60"}, stale_ttl)})


def test_pending_alias_serves_its_fallback_and_agrees(apex_factory):
    silent = A.SilentResolver()
    try:
        # Each try waits 20 s for a resolver that never answers: the alias stays pending.
        apex = apex_factory([silent.endpoint], try_timeout_ms=20000)
        started = time.monotonic()
        res = set_alias(apex, "pending.test.", "lb.cdn.test.", "192.0.2.98")
        assert res.returncode == 0
        assert ("does not resolve (no result within 2 s); the alias is set, and pending.test. "
                "is answered meanwhile: A fallback 192.0.2.98, AAAA NODATA") in res.stderr, res
        assert "A     pending: no result yet, fallback 192.0.2.98" in res.stdout, res.stdout
        dig = agree(apex, "pending.test.",
                    {"A": (NOERROR, {"192.0.2.98"}, A.FAST_FLATTEN["stale_ttl_s"]),
                     "AAAA": (NOERROR, set(), None)}, "pending")
        assert time.monotonic() - started < 15, "checked while still pending"
        assert dig["A"][0] == NOERROR
    finally:
        silent.close()
