"""Live apply seen from the wire (issue 3, ARCHITECTURE.md §6): what apexd serves while apexctl
changes its database.

- A change made with apexctl (record add/set/delete, zone add/delete) to one zone among
  APEX_BIG_ZONES (default 100,000) is served within 1 s of apexctl's exit, measured by
  polling with DNS queries every 20 ms; the latencies are printed.
- kill -9 of apexd, then a restart on the same database: the same answers as before the
  kill, and changes acknowledged just before the kill are served after it.
- Eight parallel apexctl loops plus a query load: no command fails, no query goes
  unanswered or gets SERVFAIL, no zone's serial is ever seen going backwards, and
  afterwards the served data equals both the database (record list --json) and exactly
  the acknowledged changes.
- A zone whose stored data cannot be built keeps its old data serving; apexd stays up.

The database-level properties (serials, change log, kill -9 of apexctl) are in
test_apexctl_concurrency.py. All tests here share one database of APEX_BIG_ZONES zones
(marked `big`: ~4 s to generate, ~7 s to import, ~1 s for apexd to load, on 2 cores).

Run from the repository root: /usr/bin/python3 -m pytest tests/system -q -k live_apply
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import dns.rcode
import dns.rdata
import pytest

import dnsharness as h

sys.path.insert(0, str(h.REPO / "bench"))
import gen_hosting_data as gen  # noqa: E402

pytestmark = pytest.mark.big

ZONES = int(os.environ.get("APEX_BIG_ZONES", "100000"))
LIMIT = 1.0            # seconds from apexctl's exit to the change being served (issue 3)
POLL = 0.002           # seconds between polling queries (finer than apexd's reaction)
NOERROR, NXDOMAIN, REFUSED = dns.rcode.NOERROR, dns.rcode.NXDOMAIN, dns.rcode.REFUSED


def zone(i: int) -> str:
    return gen.small_zone_name(i)


# --- fixtures -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_db(tmp_path_factory, request):
    """A database of ZONES hosting zones (10 records each), written as master files and
    imported with one `apexctl zone import DIR`; the files are removed afterwards."""
    workdir = tmp_path_factory.mktemp("live")
    zdir = workdir / "zones"
    zdir.mkdir()
    t0 = time.monotonic()
    records = gen.write_small_zones(zdir, ZONES)
    t1 = time.monotonic()
    db = workdir / "apex.db"
    h.apexctl(db, "init")
    res = subprocess.run([str(h.require_binary(h.apexctl_binary())), "--db", str(db),
                          "zone", "import", str(zdir)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         timeout=300, stdin=subprocess.DEVNULL)
    t2 = time.monotonic()
    assert res.returncode == 0, f"zone import failed: {res.stderr[-2000:]}"
    for f in zdir.iterdir():
        f.unlink()
    zdir.rmdir()
    h.terminal_writer(request.config)(f"[live_apply] {ZONES} zones / {records} records: generated "
                            f"in {t1 - t0:.1f} s, apexctl zone import DIR {t2 - t1:.1f} s "
                            f"({records / (t2 - t1):,.0f} records/s)")
    return db


@pytest.fixture
def apexd(big_db, tmp_path):
    """apexd (one worker) on the shared big database, stopped after the test."""
    server = h.start_apexd(tmp_path, big_db, zone(1), timeout=60)
    try:
        yield server
    finally:
        code = server.stop()
    assert code in (0, -signal.SIGKILL), f"apexd exited with {code}:\n{server.log()}"


class Ctl:
    """apexctl on the shared database; every command must succeed."""

    def __init__(self, db: Path):
        self.binary = str(h.require_binary(h.apexctl_binary()))
        self.db = str(db)

    def run(self, *args: str, actor: str = "live-test") -> subprocess.CompletedProcess:
        return subprocess.run([self.binary, "--db", self.db, "--actor", actor, *args],
                              capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)

    def ok(self, *args: str, actor: str = "live-test") -> str:
        res = self.run(*args, actor=actor)
        assert res.returncode == 0, (f"apexctl {' '.join(args)} exited {res.returncode}:\n"
                                     f"{res.stderr}")
        return res.stdout

    def records(self, zone_name: str) -> list[dict]:
        return json.loads(self.ok("record", "list", zone_name, "--json"))

    def serial(self, zone_name: str) -> int:
        return json.loads(self.ok("zone", "show", zone_name, "--json"))["serial"]


@pytest.fixture(scope="module")
def ctl(big_db) -> Ctl:
    return Ctl(big_db)


def rcode_is(code: int):
    return lambda s: s.rcode == code


def has_rdata(*rdatas: str):
    want = frozenset(rdatas)
    return lambda s: s.rcode == NOERROR and s.aa and s.rdatas == want


def measure(server: h.Server, ctl: Ctl, args: tuple, qname: str, qtype: str,
            before, after) -> float:
    """Checks `before` holds, runs apexctl ARGS, and returns the seconds from its exit
    until `after` holds in apexd's answers (fails past LIMIT)."""
    pre = h.served(server.addr, qname, qtype)
    assert before(pre), f"before `apexctl {' '.join(args)}`: {qname}/{qtype} -> {pre}"
    time.sleep(random.uniform(0.0, 0.25))   # not in step with apexd's polling
    ctl.ok(*args)
    took, last = h.wait_served(server.addr, qname, qtype, after, timeout=LIMIT + 1.0,
                               interval=POLL)
    assert took is not None, (f"`apexctl {' '.join(args)}` not served after "
                              f"{LIMIT + 1.0} s: {qname}/{qtype} -> {last}\n{server.log()}")
    return took


# --- change-to-served latency -----------------------------------------------------------

def test_changes_are_served_within_one_second(apexd, ctl, report):
    """record add / set / delete and zone add / delete, four rounds each, on random zones
    of the big database: each is served < 1 s after apexctl exits."""
    rng = random.Random(3)
    took: dict[str, list[float]] = {}
    for r in range(4):
        z = zone(rng.randint(1, ZONES))
        name, addr = f"new{r}.{z}", f"198.51.100.{10 + r}"
        steps = [
            ("record add", ("record", "add", name, "A", addr), name, "A",
             rcode_is(NXDOMAIN), has_rdata(addr)),
            ("record set", ("record", "set", z, "A", f"203.0.113.{50 + r}"), z, "A",
             lambda s: s.rcode == NOERROR and f"203.0.113.{50 + r}" not in s.rdatas,
             has_rdata(f"203.0.113.{50 + r}")),
            ("record delete", ("record", "delete", name, "A"), name, "A",
             has_rdata(addr), rcode_is(NXDOMAIN)),
            ("zone add", ("zone", "add", f"fresh{r}.test"), f"fresh{r}.test.", "SOA",
             rcode_is(REFUSED), lambda s: s.rcode == NOERROR and s.aa and s.serial),
            ("zone delete", ("zone", "delete", f"fresh{r}.test"), f"fresh{r}.test.", "SOA",
             rcode_is(NOERROR), rcode_is(REFUSED)),
        ]
        for label, args, qname, qtype, before, after in steps:
            took.setdefault(label, []).append(
                measure(apexd, ctl, args, qname, qtype, before, after))
    # A zone deleted from the big set and added back from the template.
    z = zone(rng.randint(1, ZONES))
    took.setdefault("zone delete", []).append(
        measure(apexd, ctl, ("zone", "delete", z), z, "MX", rcode_is(NOERROR),
                rcode_is(REFUSED)))
    took.setdefault("zone add", []).append(
        measure(apexd, ctl, ("zone", "add", z), z, "MX", rcode_is(REFUSED),
                lambda s: s.rcode == NOERROR and s.aa and not s.answer))
    for label, values in took.items():
        report(f"{label:13s} served after apexctl exit (ms, {ZONES} zones): "
               + " ".join(f"{v * 1000:.0f}" for v in values))
    worst = max(v for values in took.values() for v in values)
    assert worst < LIMIT, f"slowest change served after {worst:.3f} s"


# --- kill -9 and restart ------------------------------------------------------------------

def snapshot(server: h.Server, questions: list[tuple[str, str]]) -> dict:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        return {q: h.served(server.addr, *q, timeout=1.0, sock=s) for q in questions}


def test_kill_9_and_restart_serve_the_same_data(apexd, ctl, big_db, tmp_path, report):
    """Changes served, then kill -9: the restarted apexd gives the same answers to a set
    of questions (changed names, deleted and added zones, random others). Changes
    acknowledged right before a second kill -9 are served after the restart."""
    rng = random.Random(5)
    changed = [zone(rng.randint(1, ZONES)) for _ in range(6)]
    script = tmp_path / "changes.txt"
    script.write_text("".join(f"record add k{i}.{z} AAAA 2001:db8::{i + 1}\n"
                              f"record set {z} TXT \"kill test {i}\"\n"
                              for i, z in enumerate(changed)))
    ctl.ok("apply", str(script))
    ctl.ok("zone", "delete", changed[0])
    ctl.ok("zone", "add", "killtest.test")
    ctl.ok("record", "add", "www.killtest.test", "A", "192.0.2.77")
    took, last = h.wait_served(apexd.addr, "www.killtest.test.", "A", has_rdata("192.0.2.77"))
    assert took is not None, last
    questions = [("www.killtest.test.", "A"), ("killtest.test.", "SOA"),
                 (changed[0], "SOA"), (changed[0], "TXT")]
    for i, z in enumerate(changed):
        questions += [(f"k{i}.{z}", "AAAA"), (z, "TXT"), (z, "SOA")]
    for _ in range(150):
        z = zone(rng.randint(1, ZONES))
        questions.append(rng.choice([(z, "A"), (z, "MX"), (f"www.{z}", "A"),
                                     (f"mail.{z}", "AAAA"), (f"nx.{z}", "A"), (z, "SOA")]))
    before = snapshot(apexd, questions)
    assert all(s.rcode >= 0 for s in before.values())
    assert before[(changed[0], "SOA")].rcode == REFUSED

    os.killpg(apexd.pid, signal.SIGKILL)
    apexd.proc.wait(timeout=5)
    second = h.start_apexd(tmp_path, big_db, zone(1), timeout=60)
    try:
        report(f"restart after kill -9 answered after "
               f"{second.extra['startup_seconds']:.2f} s ({ZONES} zones)")
        after = snapshot(second, questions)
        differ = {q: (before[q], after[q]) for q in questions if before[q] != after[q]}
        assert not differ, f"{len(differ)} answers differ after kill -9 and restart: " \
                           f"{list(differ.items())[:5]}"

        # Acknowledged, then kill -9 at once (apexd may not have applied them yet).
        ctl.ok("record", "add", "late.killtest.test", "A", "192.0.2.78")
        ctl.ok("record", "set", changed[1], "TXT", '"after the kill"')
        os.killpg(second.pid, signal.SIGKILL)
        second.proc.wait(timeout=5)
    finally:
        second.stop()
    third = h.start_apexd(tmp_path, big_db, zone(1), timeout=60)
    try:
        assert h.served(third.addr, "late.killtest.test.", "A").rdatas == {"192.0.2.78"}
        assert h.served(third.addr, changed[1], "TXT").rdatas == {'"after the kill"'}
    finally:
        assert third.stop() == 0


# --- parallel apexctl loops under query load ------------------------------------------------

WORKERS = 8
ITERATIONS = 80          # commands per worker
QUERY_THREADS = 2
QUERY_LIMIT = 20000      # per query thread, a bound besides the workers' end


def worker_loop(ctl: Ctl, w: int, zones: list[str], rng: random.Random,
                expected: dict, failures: list) -> None:
    """One apexctl loop: adds, replaces and deletes records at names only this worker
    uses (so the expected final state does not depend on the interleaving) in zones
    shared by all workers. expected[(name, type)] = set of rdata texts."""
    live: list[str] = []
    for i in range(ITERATIONS):
        z = rng.choice(zones)
        op = rng.random()
        if op < 0.45 or not live:
            name = f"w{w}-{i}.{z}"
            args = ("record", "add", name, "A", f"192.0.2.{w * 20 + i % 20 + 1}")
            effect = ((name, "A"), {args[4]})
            live.append(name)
        elif op < 0.75:
            name = f"t{w}.{z}"
            args = ("record", "set", name, "TXT", f'"w{w} i{i}"')
            effect = ((name, "TXT"), {args[4]})
        else:
            name = live.pop(rng.randrange(len(live)))
            args = ("record", "delete", name, "A")
            effect = ((name, "A"), set())
        res = ctl.run(*args, actor=f"worker{w}")
        if res.returncode != 0:
            failures.append(f"worker {w}: apexctl {' '.join(args)} -> {res.returncode}: "
                            f"{res.stderr.strip()}")
            return
        expected[effect[0]] = effect[1]


def query_loop(addr, names: list[tuple[str, str]], zones: list[str], stop: threading.Event,
               errors: list, stats: dict, seed: int) -> None:
    """Queries touched names and the zones' SOA until stopped: every query must be
    answered (NOERROR or NXDOMAIN, AA) and no zone's serial may go backwards."""
    rng = random.Random(seed)
    highest: dict[str, int] = {}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for n in range(QUERY_LIMIT):
            if stop.is_set():
                break
            if n % 4 == 0:
                qname, qtype = rng.choice(zones), "SOA"
            else:
                qname, qtype = rng.choice(names)
            got = h.served(addr, qname, qtype, timeout=2.0, sock=s)
            stats["queries"] = stats.get("queries", 0) + 1
            if got.rcode not in (NOERROR, NXDOMAIN) or not got.aa:
                errors.append(f"{qname}/{qtype} -> {got}")
                continue
            if qtype == "SOA":
                if got.serial is not None and got.serial < highest.get(qname, 0):
                    errors.append(f"{qname} serial went back from {highest[qname]} to "
                                  f"{got.serial}")
                highest[qname] = max(highest.get(qname, 0), got.serial or 0)


@pytest.mark.timeout_seconds(120)
def test_parallel_apexctl_loops_under_query_load(apexd, ctl, report):
    rng = random.Random(11)
    zones = sorted({zone(rng.randint(1, ZONES)) for _ in range(6)})
    names = [(f"w{w}-{i}.{z}", "A") for w in range(WORKERS) for i in range(ITERATIONS)
             for z in zones]
    names += [(f"t{w}.{z}", "TXT") for w in range(WORKERS) for z in zones]
    expected: dict = {}
    failures: list[str] = []
    errors: list[str] = []
    stats: dict = {}
    stop = threading.Event()
    queriers = [threading.Thread(target=query_loop, args=(apexd.addr, names, zones, stop,
                                                          errors, stats, 100 + t))
                for t in range(QUERY_THREADS)]
    workers = [threading.Thread(target=worker_loop, args=(ctl, w, zones,
                                                          random.Random(w), expected,
                                                          failures))
               for w in range(WORKERS)]
    start = time.monotonic()
    for t in queriers + workers:
        t.start()
    for t in workers:
        t.join(timeout=90)
    took = time.monotonic() - start
    stop.set()
    for t in queriers:
        t.join(timeout=10)
    assert not any(t.is_alive() for t in workers + queriers), "a loop did not finish"
    report(f"{WORKERS} apexctl loops x {ITERATIONS} commands on {len(zones)} zones in "
           f"{took:.1f} s with {stats.get('queries', 0)} queries alongside")
    assert not failures, "\n".join(failures)
    assert not errors, f"{len(errors)} bad answers under load, e.g.:\n" + "\n".join(errors[:10])

    # The server catches up within LIMIT: its serials equal the database's.
    for z in zones:
        serial = ctl.serial(z)
        took, last = h.wait_served(apexd.addr, z, "SOA", lambda s: s.serial == serial,
                                   timeout=LIMIT + 1.0)
        assert took is not None, f"{z}: serving serial {last.serial}, database {serial}"

    # Served data == database (every RRset of the touched zones) ...
    mismatches = []
    for z in zones:
        rrsets: dict = {}
        for r in ctl.records(z):
            rrsets.setdefault((r["name"], r["type"]), set()).add(
                (r["ttl"], dns.rdata.from_text("IN", r["type"], r["rdata"]).to_text()))
        for (name, rtype), want in rrsets.items():
            if rtype == "SOA":
                continue
            got = h.served(apexd.addr, name, rtype, timeout=2.0)
            if got.rcode != NOERROR or {(t, r) for t in got.ttls for r in got.rdatas} != want:
                mismatches.append(f"{name}/{rtype}: database {sorted(want)}, served {got}")
    # ... and == exactly the acknowledged changes.
    for (name, rtype), want in expected.items():
        got = h.served(apexd.addr, name, rtype, timeout=2.0)
        if want and got.rdatas != want:
            mismatches.append(f"{name}/{rtype}: acknowledged {want}, served {got}")
        if not want and got.rcode != NXDOMAIN:
            mismatches.append(f"{name}/{rtype}: deleted, served {got}")
    assert not mismatches, "\n".join(mismatches[:20])


# --- a rebuild that fails keeps the old data ---------------------------------------------

def corrupt(db_path: Path, zone_name: str, owner: str, rtype: int, rdata: bytes) -> None:
    """Writes a record and its change-log entry behind apexctl's back (schema v2), as a
    buggy tool or a hand-made SQL change would."""
    with sqlite3.connect(db_path, timeout=10) as db:
        (zone_id,) = db.execute("SELECT id FROM zones WHERE name = ?",
                                (zone_name,)).fetchone()
        db.execute("INSERT INTO records (zone_id, owner, type, ttl, rdata) "
                   "VALUES (?, ?, ?, 300, ?)", (zone_id, owner, rtype, rdata))
        db.execute("INSERT INTO change_log (zone, actor, operation) "
                   "VALUES (?, 'test', 'corrupt')", (zone_name.lower(),))


def remove_records(db_path: Path, owner: str, rtype: int) -> None:
    with sqlite3.connect(db_path, timeout=10) as db:
        db.execute("DELETE FROM records WHERE owner = ? AND type = ?", (owner, rtype))


def test_zone_that_fails_to_build_keeps_serving_old_data(apexd, ctl, big_db, report):
    """A CNAME next to an A record at one name (RFC 1034 §3.6.2), written behind
    apexctl's back with its change-log entry: apexd keeps serving the zone's previous
    data, stays up, logs why, and serves the zone again once it is repaired."""
    z = zone(ZONES // 2 + 7)
    ctl.ok("record", "add", f"good.{z}", "A", "192.0.2.9")
    took, last = h.wait_served(apexd.addr, f"good.{z}", "A", has_rdata("192.0.2.9"))
    assert took is not None, last
    before = h.served(apexd.addr, z, "MX")
    corrupt(big_db, z, f"good.{z}", 5, b"\x01x\x00")      # good CNAME x.
    corrupt(big_db, z, f"extra.{z}", 1, bytes([192, 0, 2, 11]))
    time.sleep(1.0)
    assert apexd.alive(), f"apexd died on a zone it could not build:\n{apexd.log()}"
    assert h.served(apexd.addr, f"extra.{z}", "A").rcode == NXDOMAIN, \
        "a zone that cannot be built was (partly) served"
    assert h.served(apexd.addr, f"good.{z}", "A").rdatas == {"192.0.2.9"}, \
        "the zone that failed to build did not keep its old data"
    assert h.served(apexd.addr, z, "MX") == before
    lines = [l for l in apexd.log().splitlines() if z in l and "not reloaded" in l]
    assert lines, f"no log line says why {z} was not reloaded:\n{apexd.log()}"
    report("log: " + lines[-1])
    remove_records(big_db, f"good.{z}", 5)
    ctl.ok("record", "add", f"repaired.{z}", "A", "192.0.2.10")
    took, last = h.wait_served(apexd.addr, f"repaired.{z}", "A", has_rdata("192.0.2.10"))
    assert took is not None, f"repaired zone not served: {last}\n{apexd.log()}"
    assert h.served(apexd.addr, f"extra.{z}", "A").rdatas == {"192.0.2.11"}


@pytest.mark.parametrize("rtype,rdata,qtype", [(1, b"\xc0\x00\x02", "A"),
                                               (15, b"\x00", "MX"),
                                               (28, b"\x20\x01", "AAAA")])
def test_malformed_stored_rdata_is_never_served(apexd, ctl, big_db, rtype, rdata, qtype):
    """An RDATA that does not fit its type (an A of 3 octets, an MX of 1), written behind
    apexctl's back: the zone is not rebuilt (old data keeps serving) and no malformed
    answer ever leaves apexd."""
    z = zone(ZONES // 2 + 100 + rtype)
    ctl.ok("record", "add", f"ok.{z}", "A", "192.0.2.12")
    took, last = h.wait_served(apexd.addr, f"ok.{z}", "A", has_rdata("192.0.2.12"))
    assert took is not None, last
    corrupt(big_db, z, f"bad.{z}", rtype, rdata)
    time.sleep(1.0)
    q = h.make_query(f"bad.{z}", qtype, edns=True)
    wire = h.exchange_udp(apexd.addr, q.to_wire(), 1.0)
    try:
        assert wire is not None, "no answer"
        reply = h.parse(wire)   # raises on a malformed message
        assert reply.rcode() == NXDOMAIN, f"served a record with malformed RDATA:\n{reply}"
    finally:
        remove_records(big_db, f"bad.{z}", rtype)
