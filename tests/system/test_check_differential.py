"""`apexctl check` against `named-checkzone` (BIND 9) on a corpus of broken zones, and the
zone rules that need more than one zone.

- Differential: each zone file of the corpus below (MX or NS pointing at a CNAME, missing
  glue, SRV and MX targets without addresses, CNAME and other data, occluded data below a
  cut, a duplicate SOA, ...) is run through `named-checkzone` with its default checks and
  through `apexctl check --file FILE --json`; a file that imports is also imported and
  checked in the database (`apexctl check ZONE --json`). Every problem named-checkzone
  reports (its output parsed into owner + kind) must have a matching apexctl finding (same
  owner, a rule of that kind). A line of named-checkzone output the parser does not know
  fails the test, so a new kind of problem is never skipped silently. A file imports
  exactly when apexctl finds no error in it.
- ALIAS loops across zones (a.example ALIAS b.example, b.example ALIAS a.example; through
  a CNAME; longer, through a CNAME in a third zone) are refused by `apply`, `apply
  --dry-run`, `zone import`, `alias set` and `record add`, naming the loop, with nothing changed; one written to the database
  behind apexctl's back is reported by `check`.
- A child zone hiding the parent's wildcard below its apex is a warning (a note) at
  `zone add`, and a finding of `check`.

Run from the repository root:
  APEX_BUILD_DIR=$PWD/build /usr/bin/python3 -m pytest tests/system/test_check_differential.py -q
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

import dnsharness as h

NAMED_CHECKZONE = shutil.which("named-checkzone")

HEAD = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n"

# name -> zone body below HEAD (or the whole text after $ORIGIN when it starts with "$TTL").
CORPUS = {
    "mx-cname": "@ MX 10 mail\nmail CNAME ns1\n",
    "ns-cname": "@ NS alias\nalias CNAME ns1\n",
    "srv-cname": "_sip._tcp SRV 0 0 5060 sip\nsip CNAME ns1\n",
    "missing-glue": "sub NS ns.sub\n",
    "srv-no-address": "_sip._tcp SRV 0 0 5060 sip\nsip TXT no-address\n",
    "mx-no-address": "@ MX 10 mail\n",
    "ns-no-address": "@ NS ns2\n",
    "cname-and-other": "www CNAME ns1\nwww TXT x\n",
    "apex-cname": "@ CNAME ns1\n",
    "two-cnames": "www CNAME a\nwww CNAME b\na A 192.0.2.2\nb A 192.0.2.3\n",
    "occluded": "sub NS ns.other.example.\nwww.sub TXT x\nmail.sub MX 10 ns1\n",
    "duplicate-soa": "@ SOA ns1 h 2 2 3 4 5\n",
    "soa-below-apex": "sub SOA ns1 h 1 2 3 4 5\n",
    "ttl-mismatch": "www 300 A 192.0.2.2\nwww 600 A 192.0.2.3\n",
    "out-of-zone": "out.example.net. A 192.0.2.2\n",
    "no-ns": "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\nns1 A 192.0.2.1\n",
    "non-terminal-wildcard": "a.*.w TXT x\n",
    "many": ("@ MX 10 mail\nmail CNAME ns1\n_ldap._tcp SRV 0 0 389 ldap\n"
             "@ MX 20 mx2\nsub NS ns.sub\nsub NS ns.other.example.\n"),
}

# Files where named-checkzone is silent and apexctl is stricter (data below a zone cut is
# never served: apexctl refuses it).
NAMED_SILENT = {"occluded": {"occluded-data"}}

# named-checkzone's messages (BIND 9.18), each to the owner it names and the apexctl rules
# that report the same problem. {apex} stands for the zone, {line} for the owner of a line.
NAMED_PATTERNS = [
    (r"dns_master_load: [^:]+:\d+: (?P<owner>\S+): CNAME and other data",
     {"cname-and-other-data", "cname-at-apex"}),
    (r"dns_master_load: [^:]+:\d+: (?P<owner>\S+): multiple RRs of singleton type",
     {"multiple-soa", "multiple-cname"}),
    (r"zone \S+/IN: (?P<owner>\S+)/(?P<type>MX|SRV|NS) '\S+' is a CNAME \(illegal\)", None),
    (r"zone (?P<owner>\S+)/IN: NS '\S+' is a CNAME \(illegal\)", {"ns-to-cname"}),
    (r"zone \S+/IN: (?P<owner>\S+)/NS '\S+' has no REQUIRED GLUE address records \(A or AAAA\)",
     {"missing-glue"}),
    (r"zone \S+/IN: (?P<owner>\S+)/NS '\S+' \(out of zone\) has no addresses records \(A or AAAA\)",
     {"missing-glue", "ns-target-no-address"}),
    (r"zone (?P<owner>\S+)/IN: NS '\S+' has no address records \(A or AAAA\)",
     {"ns-target-no-address", "missing-glue"}),
    (r"zone \S+/IN: (?P<owner>\S+)/(?P<type>MX|SRV) '\S+' has no address records \(A or AAAA\)", None),
    (r"[^:]+:(?P<line>\d+): TTL set to prior TTL \(\d+\)", {"ttl-mismatch"}),
    (r"[^:]+:\d+: ignoring out-of-zone data \((?P<owner>\S+)\)", {"outside-zone"}),
    (r"[^:]+:\d+: SOA record not at top of zone \((?P<owner>\S+)\)", {"soa-below-apex"}),
    (r"[^:]+:\d+: warning: ownername '(?P<owner>\S+)' contains an non-terminal wildcard",
     {"non-terminal-wildcard"}),
    (r"zone (?P<owner>\S+)/IN: has no NS records", {"no-apex-ns"}),
]
# Summary lines: they repeat a problem already reported, or say nothing is wrong.
NAMED_SUMMARY = [
    r"zone \S+/IN: loaded serial \d+", r"OK", r"zone \S+/IN: not loaded due to errors\.",
    r"zone \S+/IN: loading from master file .* failed: .*",
    r".*: file does not end with newline",  # said when reading stops at an error
]


def absolute(name: str, origin: str) -> str:
    name = name.lower()
    if name == "@":
        return origin
    return name if name.endswith(".") else f"{name}.{origin}"


def zone_text(zone: str, body: str) -> str:
    return f"$ORIGIN {zone}\n" + (body if body.startswith("$TTL") else HEAD + body)


def owner_of_line(text: str, line: int, origin: str) -> str:
    """The owner of a record line of a master file (every corpus line names its owner)."""
    return absolute(text.splitlines()[line - 1].split()[0], origin)


def named_problems(path: Path, zone: str) -> set[tuple[str, frozenset[str]]]:
    """What named-checkzone reports for the file: (owner, the apexctl rules it matches)."""
    res = h.run_tool([NAMED_CHECKZONE, zone, path], check=False)
    text = path.read_text()
    problems = set()
    for line in (res.stdout + res.stderr).splitlines():
        if not line or any(re.fullmatch(p, line) for p in NAMED_SUMMARY):
            continue
        for pattern, rules in NAMED_PATTERNS:
            m = re.fullmatch(pattern, line)
            if not m:
                continue
            groups = m.groupdict()
            owner = (owner_of_line(text, int(groups["line"]), zone) if groups.get("line")
                     else absolute(groups["owner"].rstrip(".") + ".", "."))
            kinds = rules or {groups["type"].lower() + ("-to-cname" if "CNAME" in line
                                                        else "-target-no-address")}
            problems.add((owner, frozenset(kinds)))
            break
        else:
            pytest.fail(f"named-checkzone said something this test does not know: {line!r}")
    return problems


def findings_of(report: dict) -> list[dict]:
    assert len(report["zones"]) == 1, report
    return report["zones"][0]["findings"]


def missed(problems, findings: list[dict]) -> list[str]:
    have = {(f["owner"].lower(), f["rule"]) for f in findings}
    return [f"{owner} {sorted(kinds)}" for owner, kinds in sorted(problems)
            if not any((owner, rule) in have for rule in kinds)]


def check_json(db: Path, *args) -> tuple[int, dict]:
    res = h.apexctl(db, "check", *args, "--json", check=False)
    assert res.returncode in (0, 1), res.stderr
    return res.returncode, json.loads(res.stdout)


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "apex.db"
    h.apexctl(path, "init")
    return path


@pytest.mark.skipif(NAMED_CHECKZONE is None, reason="named-checkzone (bind9-utils) missing")
@pytest.mark.parametrize("case", sorted(CORPUS))
def test_check_finds_what_named_checkzone_finds(case, tmp_path, db):
    zone = f"{case}.example."
    path = tmp_path / f"{case}.zone"
    path.write_text(zone_text(zone, CORPUS[case]))
    problems = named_problems(path, zone)
    if case in NAMED_SILENT:
        assert problems == set()
    else:
        assert problems, f"named-checkzone found nothing in {case}: the file is not broken"

    code, report = check_json(db, "--file", path)
    findings = findings_of(report)
    if case in NAMED_SILENT:
        assert {f["rule"] for f in findings} >= NAMED_SILENT[case], findings
    else:
        assert missed(problems, findings) == [], (findings, problems)
    for f in findings:
        assert set(f) == {"owner", "type", "rule", "message", "severity"}
        assert f["severity"] in ("error", "warning")
    has_error = any(f["severity"] == "error" for f in findings)
    assert code == (1 if has_error else 0)

    imported = h.apexctl(db, "zone", "import", path, check=False)
    assert imported.returncode == (1 if has_error else 0), imported.stderr
    if has_error:
        first_error = next(f for f in findings if f["severity"] == "error")
        assert first_error["message"] in imported.stderr
        return
    code, report = check_json(db, zone)
    assert code == 0
    assert missed(problems, findings_of(report)) == []
    text = h.apexctl(db, "check", zone).stdout
    for f in findings:
        assert f"{zone}: warning: {f['message']} [{f['rule']}]" in text


def write_zone(directory: Path, zone: str, body: str) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / f"{zone.rstrip('.')}.zone"
    path.write_text(zone_text(zone, body))
    return path


def zone_records(db: Path, zone: str) -> str:
    return h.apexctl(db, "zone", "export", zone).stdout


def test_alias_loop_across_zones_is_refused_and_reported(tmp_path, db):
    h.apexctl(db, "zone", "import", write_zone(tmp_path, "a.example.", "www ALIAS www.b.example.\n"))
    h.apexctl(db, "zone", "import", write_zone(tmp_path, "b.example.", "www A 192.0.2.20\n"))
    h.apexctl(db, "zone", "import", write_zone(tmp_path, "c.example.", "edge A 192.0.2.30\n"))
    before = {z: zone_records(db, z) for z in ("a.example", "b.example", "c.example")}
    loop = "www.b.example. -> www.a.example. -> www.b.example."

    script = tmp_path / "loop.txt"
    script.write_text("record delete www.b.example A\nalias set www.b.example www.a.example\n")
    for dry in ([], ["--dry-run"]):
        res = h.apexctl(db, "apply", script, *dry, check=False)
        assert res.returncode == 1, res.stdout
        assert "loop.txt:2" in res.stderr and loop in res.stderr, res.stderr
        assert "ALIAS loop" in res.stderr

    replacement = write_zone(tmp_path / "new", "b.example.", "www ALIAS www.A.example.\n")
    res = h.apexctl(db, "zone", "import", replacement, "--replace", check=False)
    assert res.returncode == 1 and loop in res.stderr, res.stderr

    h.apexctl(db, "record", "delete", "www.b.example", "A")
    res = h.apexctl(db, "alias", "set", "www.b.example", "www.a.example", check=False)
    assert res.returncode == 1 and loop in res.stderr, res.stderr
    res = h.apexctl(db, "record", "add", "www.b.example", "CNAME", "www.a.example", check=False)
    assert res.returncode == 1 and loop in res.stderr, res.stderr

    # Longer, through a CNAME in a third zone: b -> c (CNAME) -> a (ALIAS) -> b.
    h.apexctl(db, "record", "add", "www.b.example", "CNAME", "edge.c.example")
    script.write_text("record delete edge.c.example A\n"
                      "record add edge.c.example CNAME www.a.example\n")
    res = h.apexctl(db, "apply", script, "--dry-run", check=False)
    assert res.returncode == 1, res.stdout
    assert ("edge.c.example. -> www.a.example. -> www.b.example. -> edge.c.example."
            in res.stderr), res.stderr
    assert zone_records(db, "a.example") == before["a.example"]
    assert zone_records(db, "c.example") == before["c.example"]

    # A loop written behind apexctl's back (raw SQL) is what check reports.
    con = sqlite3.connect(db)
    with con:
        con.execute("DELETE FROM records WHERE owner = 'www.b.example.' AND type = 5")
        zone_id = con.execute("SELECT id FROM zones WHERE name = 'b.example.'").fetchone()[0]
        target = b"\x03www\x01a\x07example\x00"
        con.execute("INSERT INTO records (zone_id, owner, type, ttl, rdata) VALUES (?, ?, ?, ?, ?)",
                    (zone_id, "www.b.example.", 65401, 300, target))
    con.close()
    code, report = check_json(db)
    assert code == 1
    text = h.apexctl(db, "check", "b.example", check=False).stdout
    assert f"b.example.: FAILED: www.b.example. ALIAS: ALIAS loop {loop}" in text, text
    loops = {z["zone"]: [f for f in z["findings"] if f["rule"] == "alias-loop"]
             for z in report["zones"]}
    assert [f["owner"] for f in loops["a.example."]] == ["www.a.example."]
    assert [f["owner"] for f in loops["b.example."]] == ["www.b.example."]
    assert loops["c.example."] == []
    assert all(f["severity"] == "error" and f["type"] == "ALIAS"
               for f in loops["a.example."] + loops["b.example."])
    assert report["failed"] == 2


def test_child_zone_hiding_parent_wildcard_is_a_warning(tmp_path, db):
    h.apexctl(db, "zone", "import",
              write_zone(tmp_path, "shop.example.", "*.eu A 192.0.2.7\nwww A 192.0.2.8\n"))
    res = h.apexctl(db, "zone", "add", "eu.shop.example")
    assert ("apexctl: note: *.eu.shop.example. A: in zone shop.example., hidden by the zone "
            "eu.shop.example." in res.stderr), res.stderr
    code, report = check_json(db, "shop.example")
    assert code == 0
    hidden = [f for f in findings_of(report) if f["rule"] == "child-hides-wildcard"]
    assert [(f["owner"], f["type"], f["severity"]) for f in hidden] == [
        ("*.eu.shop.example.", "A", "warning")]
    # Data the parent gains below the child's apex is told the same.
    script = tmp_path / "add.txt"
    script.write_text("zone delete eu.shop.example\nrecord add api.eu.shop.example A 192.0.2.9\n"
                      "zone add eu.shop.example\n")
    res = h.apexctl(db, "apply", script, check=False)
    assert res.returncode == 0, res.stderr
    assert "api.eu.shop.example. A: in zone shop.example., hidden by the zone" in res.stderr
