"""Databases that are foreign, empty, damaged or read-only.

- Reading commands never write: an empty file, someone else's SQLite database or random
  bytes passed as --db keep every byte (and get no -wal/-shm/-journal beside them).
- apexd serves a database it may only read (run as `nobody`): it follows changes others
  make, keeps flattened ALIAS results in memory, and says so once.
- `apexctl init` recreates dropped tables, `check` names them, and apexd logs failed saves
  of ALIAS results once per episode.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import dnsharness as h

ALIAS_DIR = h.REPO / "examples" / "alias"
CAFE = "cafe.example."
NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]

READ_COMMANDS = [
    ["zone", "list"], ["zone", "show", "shop.example"], ["zone", "export", "shop.example"],
    ["zone", "export", "shop.example", "--flatten"], ["zone", "status", "shop.example"],
    ["record", "list", "shop.example"], ["alias", "list"], ["alias", "status"], ["check"],
    ["log"], ["tsig", "list"], ["secondary", "list"], ["catalog", "show"],
]
WRITE_COMMANDS = [
    ["zone", "add", "new.example"], ["record", "add", "www.shop.example", "A", "192.0.2.9"],
    ["apply", "-", "--dry-run"],
]


def make_file(path: Path, kind: str) -> None:
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "foreign":
        with sqlite3.connect(path) as c:
            c.execute("CREATE TABLE customers (id INTEGER, name TEXT)")
            c.execute("INSERT INTO customers VALUES (1, 'someone')")
        c.close()
    else:
        path.write_bytes(os.urandom(16384))


def apexctl(db: Path, *args, user: list | None = None, stdin: str = ""):
    return subprocess.run([*(user or []), h.apexctl_binary(), "--db", db, *args],
                          input=stdin, capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("kind,says", [("empty", "not an apexdns database (empty)"),
                                       ("foreign", "not an apexdns database (it has tables"),
                                       ("random", "file is not a database")])
def test_commands_leave_files_that_are_not_apexdns_databases_as_they_were(tmp_path, kind,
                                                                           says):
    db = tmp_path / "given.db"
    make_file(db, kind)
    before = db.read_bytes()
    for command in READ_COMMANDS + WRITE_COMMANDS:
        r = apexctl(db, *command)
        assert r.returncode == 3, (command, r.stderr)
        assert r.stderr.startswith(f"apexctl: database {db}: ") and says in r.stderr, \
            (command, r.stderr)
        assert r.stdout == "", command
        assert db.read_bytes() == before, f"{command} changed the {kind} file"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["given.db"], command


def test_reading_commands_do_not_upgrade_an_older_schema(tmp_path):
    db = h.build_apex_db(tmp_path, [h.EXAMPLES_DIR])
    with sqlite3.connect(db) as c:
        current = c.execute("PRAGMA user_version").fetchone()[0]
        c.execute(f"PRAGMA user_version = {current - 1}")
    c.close()
    before = db.read_bytes()
    for command in READ_COMMANDS:
        r = apexctl(db, *command)
        assert r.returncode == 3, (command, r.stderr)
        assert (f"schema version {current - 1} is older than this program's ({current}): "
                "run 'apexctl init' to upgrade it") in r.stderr, r.stderr
    assert db.read_bytes() == before


# --- apexd on a database it may only read -----------------------------------------------

@pytest.fixture
def shared_dir():
    """A directory `nobody` can read (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="apexdns-ro-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def alias_db(directory: Path) -> Path:
    db = directory / "apex.db"
    h.apexctl(db, "init")
    h.apexctl(db, "zone", "import", h.EXAMPLES_DIR)
    h.apexctl(db, "zone", "provider", "hostco.example", "on")
    h.apexctl(db, "zone", "import", ALIAS_DIR)
    return db


def start_apexd_as_nobody(workdir: Path, db: Path) -> h.Server:
    def argv(port: int) -> list:
        return [*NOBODY, h.apexd_binary(), "--db", db, "--listen", f"{h.LOOPBACK}:{port}",
                "--threads", "1", "--resolver", "127.0.0.1:9"]
    return h.start_server("apexd", argv, workdir, CAFE)


def alias_rows(db: Path) -> list:
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return c.execute("SELECT * FROM alias_state ORDER BY target, family").fetchall()
    finally:
        c.close()


def wait_log(server: h.Server, text: str, timeout: float = 5.0) -> str:
    deadline = time.monotonic() + timeout
    while text not in server.log_path.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    return server.log_path.read_text()


def set_lb(db: Path, address: str) -> None:
    h.apexctl(db, "record", "set", "lb.hostco.example", "A", address)


@pytest.mark.parametrize("how", ["read-only directory", "read-only files"])
def test_apexd_serves_a_database_it_may_only_read(tmp_path, shared_dir, how):
    db = alias_db(shared_dir)
    if how == "read-only files":
        shared_dir.chmod(0o777)  # nobody could create files here, but may not write these
        for p in shared_dir.iterdir():
            p.chmod(0o444)
    rows_before = alias_rows(db)
    server = start_apexd_as_nobody(tmp_path, db)
    took, first = h.wait_served(server.addr, CAFE, "A", lambda s: s.rcode == 0 and s.answer)
    assert took is not None, server.log()
    time.sleep(0.6)  # the serial bumper's first check records what is served before
    # Live apply follows apexctl's changes; the flattener follows the provider zone.
    for address in ("192.0.2.201", "192.0.2.202"):
        set_lb(db, address)
        took, last = h.wait_served(server.addr, CAFE, "A",
                                   lambda s: s.rdatas == frozenset({address}))
        assert took is not None, (last, server.log())
        wait_log(server, "zone serials not raised")
    time.sleep(0.6)  # two more checks for serial bumps
    log = server.log_path.read_text()
    assert log.count("is read-only for apexd: serving it and following changes") == 1, log
    assert log.count("zone serials not raised for changed flattened ALIAS addresses") == 1, log
    assert "ALIAS results not saved" not in log, log
    assert server.alive()
    assert alias_rows(db) == rows_before  # the results lived in memory only
    assert server.stop() == 0


def test_apexd_in_a_read_only_directory_without_wal_files_says_what_it_needs(tmp_path,
                                                                             shared_dir):
    db = alias_db(shared_dir)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink()
    port = h.free_port()
    r = subprocess.run([*NOBODY, h.apexd_binary(), "--db", db, "--listen",
                        f"{h.LOOPBACK}:{port}", "--resolver", "127.0.0.1:9"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert "apex.db-wal and apex.db-shm beside it" in r.stderr, r.stderr
    assert "run 'apexctl init' on the database once" in r.stderr
    h.apexctl(db, "init")  # keeps both files from now on
    server = start_apexd_as_nobody(tmp_path, db)
    assert server.stop() == 0


# --- dropped tables -------------------------------------------------------------------

def drop(db: Path, *tables: str) -> None:
    c = sqlite3.connect(db)
    for t in tables:
        c.execute(f"DROP TABLE {t}")
    c.commit()
    c.close()


def test_check_names_dropped_tables_and_init_recreates_them(tmp_path):
    db = h.build_apex_db(tmp_path, [h.EXAMPLES_DIR])
    drop(db, "alias_state", "journal", "catalog")
    r = apexctl(db, "check")
    assert r.returncode == 1, r.stderr
    assert r.stdout.splitlines() == [
        f"database: {what} is missing (run 'apexctl init' to recreate it)"
        for what in ("table alias_state", "table journal", "table catalog",
                     "index journal_by_zone")]
    r = apexctl(db, "init")
    assert r.returncode == 0, r.stderr
    assert "recreated table alias_state" in r.stdout and "recreated table catalog" in r.stdout
    assert apexctl(db, "init").stdout.count("recreated") == 0
    r = apexctl(db, "check")
    assert r.returncode == 0, r.stdout + r.stderr
    assert apexctl(db, "record", "add", "new.shop.example", "A", "192.0.2.77").returncode == 0
    assert apexctl(db, "catalog", "show").returncode == 0


def test_apexd_logs_failed_alias_saves_once_per_episode(tmp_path):
    db = alias_db(tmp_path)
    drop(db, "alias_state")
    server = h.start_apexd(tmp_path, db, CAFE, extra_args=("--resolver", "127.0.0.1:9"))
    assert "table alias_state is missing" in server.log_path.read_text()
    for address in ("192.0.2.211", "192.0.2.212", "192.0.2.213"):
        set_lb(db, address)
        took, last = h.wait_served(server.addr, CAFE, "A",
                                   lambda s: s.rdatas == frozenset({address}))
        assert took is not None, (last, server.log())
    log = server.log_path.read_text()
    assert log.count("ALIAS results not saved") == 1, log
    # Repaired under the running server: the next save works and says so.
    assert apexctl(db, "init").returncode == 0
    set_lb(db, "192.0.2.214")
    h.wait_served(server.addr, CAFE, "A", lambda s: s.rdatas == frozenset({"192.0.2.214"}))
    assert "ALIAS results saved again" in wait_log(server, "saved again"), server.log()
    assert any(row[0] == "www.hostco.example." for row in alias_rows(db))
    assert server.stop() == 0
