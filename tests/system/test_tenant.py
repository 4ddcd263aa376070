"""Tenant safety of ALIAS flattening and of zone creation, with the real binaries: apexd
flattening through Unbound, which resolves the targets from NSD (alias_stack).

- a customer's zone that encloses another customer's alias target (named like the CDN's
  zone, with another address) does not capture it: the alias keeps the address the
  resolvers give, and `alias status` says it was resolved upstream;
- the same zone marked provider-owned (`apexctl zone provider ZONE on`) answers the target
  from apexd's own data (status: local);
- deleting a provider zone that answered a target leaves nothing learned from it: with the
  resolvers down, no stale address and no negative answer from it are served; the fallback
  addresses are, else SERVFAIL;
- `zone add com` and `zone add .` are refused (exit 1, nothing changed); `--force` adds them.

Run from the repository root:
  APEX_BUILD_DIR=$PWD/build /usr/bin/python3 -m pytest tests/system/test_tenant.py -q
"""

from __future__ import annotations

import json
import time

import dns.rcode
import pytest

import alias_stack as A
import dnsharness as h

pytestmark = pytest.mark.alias

NOERROR, SERVFAIL, REFUSED = dns.rcode.NOERROR, dns.rcode.SERVFAIL, dns.rcode.REFUSED
FIRST_RESOLUTION = 5.0
LIVE = 1.0  # a committed change is served within this long
CDN_ADDRESSES = frozenset({"192.0.2.10", "192.0.2.11"})  # lb.cdn.test on NSD
HIJACK = "203.0.113.66"


@pytest.fixture
def upstream(tmp_path):
    up = A.Upstream(tmp_path)
    yield up
    up.stop()


@pytest.fixture
def apex(tmp_path, upstream):
    server = A.Apex(tmp_path / "apex", [upstream.unbound.endpoint])
    server.start()
    yield server
    code = server.stop()
    assert code in (None, 0), f"apexd exited with {code}:\n{server.server.log()}"


def serves(*rdatas: str):
    want = frozenset(rdatas)
    return lambda s: s.rcode == NOERROR and s.aa and s.rdatas == want


def family(apex: A.Apex, owner: str, name: str = "a") -> dict:
    res = apex.ctl("alias", "status", owner, "--json")
    return json.loads(res.stdout)[0][name]


def source_of(apex: A.Apex, owner: str) -> str | None:
    return family(apex, owner)["source"]


def customer_cdn_zone(apex: A.Apex, provider: bool = False) -> None:
    """A zone named like the CDN's, holding the alias target with another address."""
    apex.import_zone(A.alias_zone_text("cdn.test.", [], [
        f"lb 60 IN A {HIJACK}"]), provider=provider)


def steady(apex: A.Apex, owner: str, want: frozenset[str], seconds: float) -> None:
    """owner answers exactly want, every 50 ms for seconds."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        got = apex.ask(owner, "A")
        assert got.rcode == NOERROR and got.rdatas == want, \
            f"{owner} answered {got}, expected {sorted(want)}\n{apex.status(owner)}"
        time.sleep(0.05)


def test_a_customer_zone_cannot_capture_an_alias_target(apex, report):
    apex.import_zone(A.alias_zone_text("pizza.test.", [("@", 300, "lb.cdn.test.")]))
    apex.wait_for("pizza.test.", "A", serves(*CDN_ADDRESSES), FIRST_RESOLUTION,
                  "the target's addresses from NSD via Unbound")
    assert source_of(apex, "pizza.test.") == "upstream"

    # Another customer adds a zone enclosing the target, with a different A record.
    customer_cdn_zone(apex)
    # Served within LIVE, but not to pizza.test's alias: it keeps the resolvers' answer (the
    # target was resolved again, upstream, when the zone appeared).
    apex.wait_for("lb.cdn.test.", "A", serves(HIJACK), LIVE, "the customer zone's own record")
    steady(apex, "pizza.test.", CDN_ADDRESSES, 2.0)
    assert source_of(apex, "pizza.test.") == "upstream"
    text = apex.ctl("alias", "status", "pizza.test.").stdout
    assert "resolved upstream" in text, text

    # The operator marks that zone provider-owned: now it is trusted, and answers locally.
    apex.ctl("zone", "provider", "cdn.test", "on")
    took, _ = apex.wait_for("pizza.test.", "A", serves(HIJACK), LIVE + 1,
                            "the provider zone's address")
    assert source_of(apex, "pizza.test.") == "local"
    assert apex.ctl("zone", "show", "cdn.test", "--json").stdout.find(
        '"provider": true') > 0
    # And unmarked again: back to the resolvers' answer, with nothing local kept.
    apex.ctl("zone", "provider", "cdn.test", "off")
    apex.wait_for("pizza.test.", "A", serves(*CDN_ADDRESSES), LIVE + 1,
                  "the resolvers' answer again")
    assert source_of(apex, "pizza.test.") == "upstream"
    report(f"customer zone ignored; the provider zone answered {took:.2f} s after "
           f"'zone provider cdn.test on' exited")


def test_a_deleted_provider_zone_leaves_no_stale_or_negative_result(apex, upstream):
    customer_cdn_zone(apex, provider=True)  # lb: A only, so AAAA is a local NODATA
    apex.ctl("zone", "add", "withfb.test")
    apex.ctl("zone", "add", "nofb.test")
    apex.ctl("alias", "set", "withfb.test.", "lb.cdn.test.", "--ttl", "300",
             "--fallback", "192.0.2.99")
    apex.ctl("alias", "set", "nofb.test.", "lb.cdn.test.", "--ttl", "300")
    for owner in ("withfb.test.", "nofb.test."):
        apex.wait_for(owner, "A", serves(HIJACK), FIRST_RESOLUTION, "the local address")
        apex.wait_for(owner, "AAAA", lambda s: s.rcode == NOERROR and not s.answer,
                      FIRST_RESOLUTION, "the local NODATA")
    assert source_of(apex, "nofb.test.") == "local"

    # The resolvers go down, then the zone is deleted: what it gave must not survive as
    # last-known-good (stale), nor its NODATA as a negative answer.
    upstream.unbound.stop()
    apex.ctl("zone", "delete", "cdn.test", "--force")  # its dependents: the aliases
    apex.wait_for("withfb.test.", "A", serves("192.0.2.99"), LIVE + 1, "the fallback")
    apex.wait_for("nofb.test.", "A", lambda s: s.rcode == SERVFAIL, LIVE + 1, "SERVFAIL")
    apex.wait_for("nofb.test.", "AAAA", lambda s: s.rcode == SERVFAIL, LIVE + 1,
                  "SERVFAIL, not the deleted zone's NODATA")
    end = time.monotonic() + 2.0
    while time.monotonic() < end:
        for owner in ("withfb.test.", "nofb.test."):
            got = apex.ask(owner, "A")
            assert HIJACK not in got.rdatas, f"{owner} still served {got}\n{apex.status(owner)}"
        time.sleep(0.05)
    a = family(apex, "nofb.test.")
    assert a["state"] in ("failed", "pending") and a["addresses"] == [], a
    assert family(apex, "nofb.test.", "aaaa")["state"] != "negative"
    assert family(apex, "withfb.test.")["serving"] == "fallback"


def test_zones_at_or_above_a_public_suffix_need_force(tmp_path):
    db = tmp_path / "apex.db"
    h.apexctl(db, "init")
    before = h.apexctl(db, "zone", "list").stdout
    for zone in ("com", ".", "co.uk"):
        res = h.apexctl(db, "zone", "add", zone, check=False)
        assert res.returncode == 1, res
        assert "public suffix" in res.stderr and "--force" in res.stderr, res.stderr
        assert h.apexctl(db, "zone", "list").stdout == before
    assert h.apexctl(db, "log", "--json").stdout.strip() == "[]"
    assert h.apexctl(db, "zone", "add", "shop.co.uk").returncode == 0
    for zone in ("com", "."):
        assert h.apexctl(db, "zone", "add", zone, "--force").returncode == 0
    listed = h.apexctl(db, "zone", "list").stdout.split()
    assert "com." in listed and "." in listed, listed
