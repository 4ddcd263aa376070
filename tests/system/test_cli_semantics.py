"""What apexctl's command-line values mean, as a resolver sees them served by apexd (dig).

- a TXT value given as one argument without inner quotes is ONE string (an SPF policy);
  with inner quotes it is master-file text (two quoted strings are two strings);
- a name in RDATA is absolute with or without its trailing dot: the MX target is the name
  given, not the name with the zone appended;
- --ttl 1h30m is served as 5400;
- zone import refuses to replace a stored zone without --replace, and --replace serves the
  new content; --if-serial refuses a stale change; --comment is kept in the change log.

Run from the repository root:
  APEX_BUILD_DIR=$PWD/build /usr/bin/python3 -m pytest tests/system/test_cli_semantics.py -q
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import dnsharness as h

ZONE = "bistro.example."
ZONE_TEXT = f"""$ORIGIN {ZONE}
$TTL 3600
@    IN SOA ns1 hostmaster 10 7200 3600 1209600 300
@    IN NS  ns1
ns1  IN A   192.0.2.1
www  IN A   192.0.2.10
"""
SERVED_WITHIN = 5.0


def dig(server: h.Server, name: str, qtype: str) -> list[str]:
    """dig +short against apexd: the answer's RDATA lines, as a resolver's user sees them."""
    host, port = server.addr
    out = subprocess.run(["dig", f"@{host}", "-p", str(port), "+short", "+norecurse",
                          "+time=1", "+tries=2", name, qtype],
                         capture_output=True, text=True, timeout=10, check=True).stdout
    return sorted(line for line in out.splitlines() if line)


def wait_dig(server: h.Server, name: str, qtype: str) -> list[str]:
    """dig once apexd answers name/qtype at all (the change has been applied)."""
    waited, _ = h.wait_served(server.addr, name, qtype, lambda s: bool(s.answer),
                              timeout=SERVED_WITHIN)
    assert waited is not None, f"{name} {qtype} not served within {SERVED_WITHIN} s"
    return dig(server, name, qtype)


@pytest.fixture
def stack(tmp_path: Path):
    db = tmp_path / "apex.db"
    h.apexctl(db, "init")
    zone_file = tmp_path / "bistro.example.zone"
    zone_file.write_text(ZONE_TEXT)
    h.apexctl(db, "zone", "import", zone_file)
    server = h.start_apexd(tmp_path, db, ZONE)
    yield db, server, zone_file
    server.stop()


def test_spf_is_one_string_and_mx_target_is_the_name_given(stack):
    db, server, _ = stack
    h.apexctl(db, "record", "add", "bistro.example", "TXT",
              "v=spf1 include:_spf.hostco.example -all")
    h.apexctl(db, "record", "add", "y.bistro.example", "MX", "10", "mail.hostco.example")
    h.apexctl(db, "record", "add", "two.bistro.example", "TXT", '"part one" "part two"')
    assert wait_dig(server, "bistro.example", "TXT") == [
        '"v=spf1 include:_spf.hostco.example -all"']
    assert wait_dig(server, "y.bistro.example", "MX") == ["10 mail.hostco.example."]
    assert wait_dig(server, "two.bistro.example", "TXT") == ['"part one" "part two"']


def test_ttl_units_are_served_in_seconds(stack):
    db, server, _ = stack
    h.apexctl(db, "record", "add", "t.bistro.example", "A", "192.0.2.77", "--ttl", "1h30m")
    waited, got = h.wait_served(server.addr, "t.bistro.example.", "A",
                                lambda s: bool(s.answer), timeout=SERVED_WITHIN)
    assert waited is not None
    assert got.ttls == frozenset({5400})


def test_import_replaces_only_with_replace(stack, tmp_path):
    db, server, zone_file = stack
    zone_file.write_text(ZONE_TEXT.replace("192.0.2.10", "192.0.2.11"))
    refused = h.apexctl(db, "zone", "import", zone_file, check=False)
    assert refused.returncode == 1
    assert "zone bistro.example. is already in the database" in refused.stderr
    assert dig(server, "www.bistro.example", "A") == ["192.0.2.10"]
    done = h.apexctl(db, "zone", "import", zone_file, "--replace")
    assert "  -www.bistro.example. 3600 IN A 192.0.2.10\n" in done.stdout
    assert "  +www.bistro.example. 3600 IN A 192.0.2.11\n" in done.stdout
    waited, _ = h.wait_served(server.addr, "www.bistro.example.", "A",
                              lambda s: s.rdatas == frozenset({"192.0.2.11"}),
                              timeout=SERVED_WITHIN)
    assert waited is not None


def test_if_serial_refuses_a_stale_change_and_comment_is_logged(stack):
    db, server, _ = stack
    stale = h.apexctl(db, "record", "add", "s.bistro.example", "A", "192.0.2.5",
                      "--if-serial", "9", check=False)
    assert stale.returncode == 1
    assert "has serial 10, not 9" in stale.stderr
    h.apexctl(db, "record", "add", "s.bistro.example", "A", "192.0.2.5", "--if-serial", "10",
              "--comment", "ticket 17")
    assert wait_dig(server, "s.bistro.example", "A") == ["192.0.2.5"]
    entry = json.loads(h.apexctl(db, "log", "--json", "--limit", "1").stdout)[0]
    assert entry["comment"] == "ticket 17"
    assert entry["operation"] == "record add"


def test_revert_of_a_zone_delete_restores_it_exactly(stack, tmp_path):
    """A 109-record zone deleted, then `apexctl revert`: the export is the same but for the
    serial (one above the deleted one), apexd serves it again, and a revert of a change that a
    later change built on is refused without changing anything."""
    db, server, _ = stack
    lines = "".join(f"h{i} IN A 198.51.100.{i}\n" for i in range(105))
    (tmp_path / "bistro.example.zone").write_text(ZONE_TEXT + lines)
    h.apexctl(db, "zone", "import", "--replace", tmp_path / "bistro.example.zone")
    before = h.apexctl(db, "zone", "export", ZONE).stdout
    assert len([l for l in before.splitlines() if "\tIN\t" in l]) == 109
    h.apexctl(db, "zone", "delete", ZONE)
    waited, _ = h.wait_served(server.addr, "www.bistro.example.", "A",
                              lambda s: s.rcode != 0, timeout=SERVED_WITHIN)
    assert waited is not None
    deleted = json.loads(h.apexctl(db, "log", "--json", "--limit", "1").stdout)[0]
    assert deleted["operation"] == "zone delete"
    h.apexctl(db, "revert", str(deleted["id"]))
    after = h.apexctl(db, "zone", "export", ZONE).stdout
    strip = lambda text: [l for l in text.splitlines() if "\tSOA\t" not in l]
    assert strip(after) == strip(before)
    serial = lambda text: int(next(l for l in text.splitlines() if "\tSOA\t" in l).split()[6])
    assert serial(after) == serial(before) + 1
    assert wait_dig(server, "h104.bistro.example", "A") == ["198.51.100.104"]

    h.apexctl(db, "record", "add", "h1.bistro.example", "A", "198.51.100.201")
    h.apexctl(db, "record", "add", "h1.bistro.example", "A", "198.51.100.202")
    first = json.loads(h.apexctl(db, "log", "--json", "--limit", "2").stdout)[1]["id"]
    snapshot = h.apexctl(db, "zone", "export", ZONE).stdout
    refused = h.apexctl(db, "revert", str(first), check=False)
    assert refused.returncode == 1 and "changed the same records since" in refused.stderr
    assert h.apexctl(db, "zone", "export", ZONE).stdout == snapshot
