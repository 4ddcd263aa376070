"""Backups and replaced databases, seen from the wire and from the files.

- `apexctl backup` while a loop of apexctl writers and apexd run: every backup passes
  SQLite's integrity check, is one self-contained file (rollback journal, no -wal), and
  holds one consistent state: the zone's SOA serial, its records and its change log agree.
- `apexctl restore` while apexd runs: apexd serves the restored data within a few seconds,
  then follows a later `apexctl record add`; one warning line in its log.
- `cp other.db live.db` and `mv other.db live.db` over the database apexd serves (both in
  WAL mode, other.db closed by apexctl, so complete without its -wal): apexd serves the new
  data, keeps following changes, logs a bounded number of warnings, and the database
  passes the integrity check afterwards. `mv` also right after a change apexd has not
  applied yet (its pages still in the -wal of the name).
- A restore brings back the ALIAS results of the restored provider zone's data.
- A file that is not a database copied over the live one: the previous data keeps serving,
  two warning lines for the whole episode; a good file copied over it then is served.

Run from the repository root: /usr/bin/python3 -m pytest tests/system/test_backup.py -q
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
from pathlib import Path

import dns.rcode
import pytest

import dnsharness as h

ZONE = "backup.example"
SERIAL = 2024010100
WITHIN = 5.0  # seconds apexd has to serve a replaced database


def zone_text(www: str) -> str:
    return (f"$ORIGIN {ZONE}.\n$TTL 300\n"
            f"@ IN SOA ns1 hostmaster {SERIAL} 7200 3600 1209600 300\n"
            "@ IN NS ns1\nns1 IN A 192.0.2.53\n"
            f"www IN A {www}\n")


def make_db(directory: Path, name: str, www: str) -> Path:
    """A database in WAL mode holding ZONE with www at `www`, closed by apexctl."""
    directory.mkdir(parents=True, exist_ok=True)
    db = directory / name
    source = directory / f"{name}.{ZONE}.zone"
    source.write_text(zone_text(www))
    h.apexctl(db, "init")
    h.apexctl(db, "zone", "import", source)
    return db


def www(server: h.Server) -> frozenset[str]:
    return h.served(server.addr, f"www.{ZONE}", "A").rdatas


def wait_www(server: h.Server, address: str, name: str = "www") -> None:
    seconds, last = h.wait_served(server.addr, f"{name}.{ZONE}", "A",
                                  lambda s: s.rdatas == {address}, timeout=WITHIN)
    assert seconds is not None, f"{name} not {address} after {WITHIN}s: {last}\n{server.log()}"


def warnings(server: h.Server) -> list[str]:
    return [line for line in server.log_path.read_text(errors="replace").splitlines()
            if "apexd[warning]" in line or "apexd[error]" in line]


def integrity(db: Path) -> str:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        return c.execute("PRAGMA integrity_check").fetchone()[0]


@pytest.fixture
def live(tmp_path):
    """apexd serving live.db, which holds www = 192.0.2.1."""
    db = make_db(tmp_path / "live", "live.db", "192.0.2.1")
    server = h.start_apexd(tmp_path, db, ZONE)
    yield server, db
    server.stop()


def test_backup_holds_one_consistent_state_while_writers_run(live, tmp_path):
    server, db = live
    stop = threading.Event()
    added: list[int] = []

    def writer():
        i = 0
        while not stop.is_set():
            i += 1
            h.apexctl(db, "record", "add", f"w{i}.{ZONE}", "A", f"198.51.100.{i % 250 + 1}")
            added.append(i)

    thread = threading.Thread(target=writer)
    thread.start()
    backups = []
    try:
        for n in range(8):
            while len(added) < 3 * (n + 1):
                threading.Event().wait(0.01)
            file = tmp_path / f"backup-{n}.db"
            r = h.apexctl(db, "backup", file)
            assert r.stdout.startswith("saved 1 zones, ") and r.stdout.endswith(f" to {file}\n")
            backups.append(file)
    finally:
        stop.set()
        thread.join()
    counts = []
    for file in backups:
        assert not Path(f"{file}-wal").exists() and not Path(f"{file}-journal").exists()
        assert integrity(file) == "ok"
        with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as c:
            assert c.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            records = c.execute("SELECT count(*) FROM records WHERE owner GLOB 'w[0-9]*'").fetchone()[0]
            changes = c.execute("SELECT count(*) FROM change_log "
                                "WHERE operation = 'record add'").fetchone()[0]
        soa = h.apexctl(file, "record", "list", ZONE, ZONE, "--type", "SOA").stdout.split()
        serial = int(soa[soa.index("SOA") + 3])
        # Each record add is one transaction: one record, one serial step, one log entry.
        assert records == changes == serial - SERIAL, file
        counts.append(records)
    assert counts == sorted(counts) and counts[-1] > counts[0]
    assert h.is_alive(server, ZONE)


def test_restore_while_apexd_runs_is_served_and_then_followed(live, tmp_path):
    server, db = live
    backup = tmp_path / "saved.db"
    h.apexctl(db, "backup", backup)
    h.apexctl(db, "record", "set", f"www.{ZONE}", "A", "192.0.2.2")
    wait_www(server, "192.0.2.2")
    r = h.apexctl(db, "restore", backup)
    assert r.stdout == f"restored 1 zones, 4 records from {backup}\n"
    wait_www(server, "192.0.2.1")
    h.apexctl(db, "record", "add", f"new.{ZONE}", "A", "192.0.2.7")
    wait_www(server, "192.0.2.7", "new")
    assert "restore" in h.apexctl(db, "log", "--limit", "2").stdout
    said = warnings(server)
    assert len(said) == 1 and "holds another database" in said[0], said


def test_refused_restore_leaves_apexd_and_the_database_alone(live, tmp_path):
    server, db = live
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(8192))
    before = db.read_bytes()
    r = h.apexctl(db, "restore", junk, check=False)
    assert r.returncode == 1 and "file is not a database" in r.stderr
    assert db.read_bytes() == before
    h.apexctl(db, "record", "add", f"after.{ZONE}", "A", "192.0.2.8")
    wait_www(server, "192.0.2.8", "after")
    assert warnings(server) == []


@pytest.mark.parametrize("how", ["cp", "mv"])
def test_a_file_put_in_place_is_served_and_followed(live, tmp_path, how):
    server, db = live
    # A change first, so that apexd has followed the WAL of the database it replaces.
    h.apexctl(db, "record", "add", f"before.{ZONE}", "A", "192.0.2.9")
    wait_www(server, "192.0.2.9", "before")
    other = make_db(tmp_path / "other", "other.db", "203.0.113.5")
    if how == "cp":
        subprocess.run(["cp", other, db], check=True)
    else:
        shutil.move(other, db)
    wait_www(server, "203.0.113.5")
    assert h.served(server.addr, f"before.{ZONE}", "A").rcode == dns.rcode.NXDOMAIN
    h.apexctl(db, "record", "add", f"later.{ZONE}", "A", "203.0.113.6")
    wait_www(server, "203.0.113.6", "later")
    said = warnings(server)
    assert 1 <= len(said) <= 2 and "reopening it and reloading everything" in said[0], said
    server.stop()
    assert integrity(db) == "ok"
    assert "later" in h.apexctl(db, "record", "list", ZONE).stdout


def test_a_file_moved_in_right_after_a_change_is_served_alone(live, tmp_path):
    server, db = live
    other = make_db(tmp_path / "other", "other.db", "203.0.113.5")
    # Not waited for: the change's pages may still be in live.db-wal when the name moves.
    h.apexctl(db, "record", "add", f"racing.{ZONE}", "A", "192.0.2.10")
    shutil.move(other, db)
    wait_www(server, "203.0.113.5")
    assert h.served(server.addr, f"racing.{ZONE}", "A").rcode == dns.rcode.NXDOMAIN
    h.apexctl(db, "record", "add", f"later.{ZONE}", "A", "203.0.113.6")
    wait_www(server, "203.0.113.6", "later")
    server.stop()
    assert integrity(db) == "ok"
    listed = h.apexctl(db, "record", "list", ZONE).stdout
    assert "later" in listed and "racing" not in listed


def test_a_broken_file_keeps_the_old_data_serving_until_a_good_one_comes(live, tmp_path):
    server, db = live
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(16384))
    subprocess.run(["cp", junk, db], check=True)
    # Retried every 100 ms meanwhile: still the old data, and nothing more in the log.
    for _ in range(10):
        assert www(server) == {"192.0.2.1"}
        threading.Event().wait(0.1)
    said = warnings(server)
    assert len(said) == 2, said
    assert "reopening it and reloading everything" in said[0], said
    # cp truncates first: apexd may look while the file is still empty, or once it is junk.
    assert "not reloaded, retrying every 100 ms" in said[1] and (
        "not a database" in said[1] or "not an apexdns database" in said[1]), said
    other = make_db(tmp_path / "other", "other.db", "203.0.113.5")
    subprocess.run(["cp", other, db], check=True)
    wait_www(server, "203.0.113.5")
    h.apexctl(db, "record", "add", f"later.{ZONE}", "A", "203.0.113.6")
    wait_www(server, "203.0.113.6", "later")
    assert len(warnings(server)) == 2, warnings(server)


def test_restore_reloads_the_aliases_and_their_provider_zones(tmp_path):
    """An ALIAS to a provider-owned zone flattens from the restored zone's data."""
    work = tmp_path / "alias"
    db = make_db(work, "live.db", "192.0.2.1")
    provider = work / "hostco.example.zone"
    provider.write_text("$ORIGIN hostco.example.\n$TTL 300\n"
                        "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
                        "@ IN NS ns1\nns1 IN A 192.0.2.53\nlb IN A 192.0.2.100\n")
    h.apexctl(db, "zone", "import", provider, "--provider")
    h.apexctl(db, "alias", "set", ZONE, "lb.hostco.example")
    server = h.start_apexd(tmp_path, db, ZONE)
    try:
        def apex_is(address: str) -> None:
            seconds, last = h.wait_served(server.addr, ZONE, "A",
                                          lambda s: s.rdatas == {address}, timeout=WITHIN)
            assert seconds is not None, f"{ZONE} A not {address}: {last}\n{server.log()}"

        apex_is("192.0.2.100")
        backup = tmp_path / "saved.db"
        h.apexctl(db, "backup", backup)
        h.apexctl(db, "record", "set", "lb.hostco.example", "A", "192.0.2.101")
        apex_is("192.0.2.101")
        h.apexctl(db, "restore", backup)
        apex_is("192.0.2.100")
        h.apexctl(db, "record", "set", "lb.hostco.example", "A", "192.0.2.102")
        apex_is("192.0.2.102")
    finally:
        server.stop()
