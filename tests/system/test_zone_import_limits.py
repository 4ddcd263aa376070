"""`apexctl zone import` of zone files from strangers, with the real apexctl.

- `$INCLUDE /etc/passwd` is refused without --allow-include, and the message quotes no line
  of /etc/passwd.
- `$INCLUDE /dev/zero` (with --allow-include /), importing /dev/urandom, a file of one
  10 MB line and a NUL-filled file each fail within a few seconds, with a maximum resident
  set below 200 MB and a message shorter than 300 characters.
- After each refusal the database holds exactly what it held before.

Run from the repository root:
  APEX_BUILD_DIR=$PWD/build /usr/bin/python3 -m pytest tests/system/test_zone_import_limits.py -q
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import dnsharness as h

TIME_LIMIT_S = 5.0
RSS_LIMIT_KB = 200 * 1024
MESSAGE_LIMIT = 300

HEAD = ("$ORIGIN shop.test.\n$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
        "@ NS ns1\nns1 A 192.0.2.1\n")


class Outcome:
    def __init__(self, code: int, stderr: str, seconds: float, max_rss_kb: int):
        self.code, self.stderr, self.seconds, self.max_rss_kb = code, stderr, seconds, max_rss_kb


def measured_apexctl(db: Path, *args: str) -> Outcome:
    """apexctl --db DB ARGS…, with its own maximum resident set size (os.wait4 reports the
    one child's rusage, unlike RUSAGE_CHILDREN, which keeps the largest child of the
    session). Killed after twice the time limit."""
    binary = str(h.require_binary(h.apexctl_binary()))
    with tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen([binary, "--db", str(db), *args], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                break
            if time.monotonic() - start > 2 * TIME_LIMIT_S:
                os.kill(proc.pid, signal.SIGKILL)
            time.sleep(0.01)
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return Outcome(proc.returncode, stderr, seconds, usage.ru_maxrss)


def database_content(db: Path) -> str:
    """What a refused import must leave unchanged: the zones, their records, the log."""
    text = h.apexctl(db, "zone", "list", "--json").stdout
    text += h.apexctl(db, "zone", "export", "example.com").stdout
    text += h.apexctl(db, "log", "--json").stdout
    return text


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "apex.db"
    h.apexctl(path, "init")
    zone = tmp_path / "example.com.zone"
    zone.write_text("$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
                    "ns1 A 192.0.2.1\n")
    h.apexctl(path, "zone", "import", zone)
    return path


def refused(db: Path, *args: str, message_limit: int = MESSAGE_LIMIT) -> Outcome:
    """Runs a zone import that must fail fast, small, with a short message, changing
    nothing. The message names the files, so long paths need a larger message_limit."""
    before = database_content(db)
    outcome = measured_apexctl(db, "zone", "import", *args)
    assert outcome.code == 1, outcome.stderr[:MESSAGE_LIMIT]
    assert outcome.seconds < TIME_LIMIT_S, f"took {outcome.seconds:.1f} s"
    assert outcome.max_rss_kb < RSS_LIMIT_KB, f"max RSS {outcome.max_rss_kb} KB"
    assert 0 < len(outcome.stderr) < message_limit, outcome.stderr[:message_limit]
    assert database_content(db) == before
    print(f"{' '.join(args)[-60:]}: {outcome.seconds:.2f} s, max RSS {outcome.max_rss_kb} KB")
    return outcome


def test_include_of_etc_passwd_is_refused_by_default_without_quoting_it(db, tmp_path):
    zone = tmp_path / "shop.test.zone"
    zone.write_text(HEAD + "$INCLUDE /etc/passwd\n")
    outcome = refused(db, str(zone))
    assert outcome.stderr == (f"apexctl: {zone}:6: $INCLUDE /etc/passwd refused: including "
                              "files is not allowed (zone import --allow-include DIR allows "
                              "files inside DIR)\n")
    for line in Path("/etc/passwd").read_text().splitlines():
        if line.strip():
            assert line not in outcome.stderr


def test_include_outside_the_allowed_directory_is_refused(db, tmp_path):
    allowed = tmp_path / "customer"
    allowed.mkdir()
    zone = allowed / "shop.test.zone"
    zone.write_text(HEAD + "$INCLUDE ../../../../../../../../etc/passwd\n")
    outcome = refused(db, str(zone), "--allow-include", str(allowed),
                      message_limit=MESSAGE_LIMIT + 3 * len(str(allowed)))
    assert "refused: not below the include directory" in outcome.stderr
    assert "(it resolves to /etc/passwd)" in outcome.stderr
    assert "root:" not in outcome.stderr


def test_include_of_dev_zero_fails_fast_and_small(db, tmp_path):
    zone = tmp_path / "shop.test.zone"
    zone.write_text(HEAD + "$INCLUDE /dev/zero\n")
    outcome = refused(db, str(zone), "--allow-include", "/")
    assert outcome.stderr == (f"apexctl: {zone}:6: $INCLUDE cannot read /dev/zero: not a "
                              "regular file (a device, FIFO or socket is never read)\n")


def test_importing_dev_urandom_fails_fast_and_small(db):
    outcome = refused(db, "/dev/urandom")
    assert "not a regular file" in outcome.stderr


def test_one_10_mb_line_fails_fast_and_small(db, tmp_path):
    zone = tmp_path / "shop.test.zone"
    with zone.open("w") as f:
        f.write(HEAD + 'www TXT "' + "x" * (10 << 20) + '"\n')
    outcome = refused(db, str(zone))
    assert outcome.stderr == f"apexctl: {zone}:6: line longer than 65536 octets\n"


def test_nul_filled_files_fail_fast_and_small(db, tmp_path):
    # Sparse files: 400 MiB of NULs is below the size limit, so the line limit stops it.
    zeros = tmp_path / "zeros.zone"
    with zeros.open("wb") as f:
        f.truncate(400 << 20)
    outcome = refused(db, str(zeros))
    assert outcome.stderr == f"apexctl: {zeros}:1: line longer than 65536 octets\n"
    huge = tmp_path / "huge.zone"
    with huge.open("wb") as f:
        f.truncate(600 << 20)
    outcome = refused(db, str(huge))
    assert outcome.stderr == (f"apexctl: {huge}: cannot read: larger than 536870912 octets, "
                              "the limit for a zone with its included files\n")


def test_a_file_within_the_limits_still_imports_with_its_includes(db, tmp_path):
    allowed = tmp_path / "customer"
    allowed.mkdir()
    (allowed / "hosts.inc").write_text("www A 192.0.2.10\n")
    zone = allowed / "shop.test.zone"
    zone.write_bytes(b"\xef\xbb\xbf" + (HEAD + "$INCLUDE hosts.inc\n").encode())
    result = h.apexctl(db, "zone", "import", zone, "--allow-include", allowed)
    assert result.stdout == f"imported shop.test. from {zone}: 4 records\n"
