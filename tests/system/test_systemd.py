"""apexd under systemd: the sd_notify protocol on a stand-in $NOTIFY_SOCKET (READY=1 once
serving, RELOADING=1 + MONOTONIC_USEC then READY=1 around SIGHUP, STOPPING=1 on SIGTERM), the
unit file in packaging/ (systemd-analyze verify, security exposure at most 3.0), and
`--user`: bound as root, then serving as an unprivileged user with no capabilities."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import dnsharness as h

REPO = Path(__file__).resolve().parents[2]
UNIT = REPO / "packaging" / "apexd.service"


def messages(sock: socket.socket, until: str, timeout: float = 10.0) -> list[str]:
    """Datagrams received until one contains `until` (each split into its lines)."""
    got: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sock.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            data = sock.recv(4096).decode()
        except socket.timeout:
            break
        got.append(data)
        if until in data.split("\n"):
            return got
    raise AssertionError(f"no {until!r} within {timeout} s; got {got}")


def test_ready_reloading_stopping_on_notify_socket(tmp_path, monkeypatch):
    db = tmp_path / "apex.db"
    h.apexctl(db, "init")
    h.apexctl(db, "zone", "add", "shop.example")
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        monkeypatch.setenv("NOTIFY_SOCKET", str(path))
        server = h.start_apexd(tmp_path, db, "shop.example.")
        first = messages(sock, "READY=1")
        assert any(m.startswith("STATUS=loading zones") for m in first), first
        assert h.served(server.addr, "shop.example.", "SOA").serial, "READY=1 before serving"
        os.kill(server.proc.pid, signal.SIGHUP)
        reload = messages(sock, "READY=1")
        assert re.search(r"RELOADING=1\nMONOTONIC_USEC=\d+", reload[0]), reload
        os.kill(server.proc.pid, signal.SIGTERM)
        assert messages(sock, "STOPPING=1")
        server.proc.wait(timeout=10)


def test_unit_file_verifies_and_is_locked_down(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.fail("systemd-analyze missing (Debian package systemd)")
    unit = tmp_path / "apexd.service"
    # verify wants ExecStart's program to exist: point it at the build.
    unit.write_text(UNIT.read_text().replace("/usr/local/bin/apexd", str(h.apexd_binary())))
    verify = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                            text=True, timeout=60)
    assert verify.returncode == 0, verify.stderr
    security = subprocess.run(["systemd-analyze", "security", "--offline=true", str(unit)],
                              capture_output=True, text=True, timeout=60)
    score = re.search(r"Overall exposure level for apexd.service: ([0-9.]+)", security.stdout)
    assert score, security.stdout[-2000:]
    assert float(score.group(1)) <= 3.0, security.stdout[-3000:]


def status_field(pid: int, field: str) -> str:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"no {field} in /proc/{pid}/status")


@pytest.fixture
def request_cleanup():
    dirs: list[Path] = []
    yield dirs
    for d in dirs:
        shutil.rmtree(d, ignore_errors=True)


def test_user_switch_drops_every_capability_and_keeps_serving(tmp_path, request_cleanup):
    if os.geteuid() != 0:
        pytest.skip("switching users needs root")
    nobody = pwd.getpwnam("nobody")
    # Outside pytest's root-only tree, so that nobody can reach the database.
    data = Path(tempfile.mkdtemp(prefix="apexdns-user-"))
    request_cleanup.append(data)
    db = data / "apex.db"
    h.apexctl(db, "init")
    h.apexctl(db, "zone", "add", "shop.example")
    for p in [data, *data.iterdir()]:
        os.chown(p, nobody.pw_uid, nobody.pw_gid)
    server = h.start_apexd(tmp_path, db, "shop.example.", extra_args=("--user", "nobody"))
    pid = server.proc.pid
    assert status_field(pid, "CapEff") == "0000000000000000"
    assert status_field(pid, "CapPrm") == "0000000000000000"
    assert status_field(pid, "Uid").split()[:2] == [str(nobody.pw_uid)] * 2
    assert status_field(pid, "NoNewPrivs") == "1"
    # A change made by the same user is followed: apexd can still read and write its database.
    subprocess.run(["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}",
                    "--clear-groups", str(h.apexctl_binary()), "--db", str(db), "record", "add",
                    "www.shop.example", "A", "192.0.2.80"], check=True, timeout=30,
                   capture_output=True)
    took, last = h.wait_served(server.addr, "www.shop.example.", "A",
                               lambda r: "192.0.2.80" in r.rdatas,
                               timeout=5.0)
    assert took is not None, f"change not served by the unprivileged apexd: {last}"


def test_user_that_does_not_exist_is_refused(tmp_path):
    db = tmp_path / "apex.db"
    h.apexctl(db, "init")
    res = subprocess.run([str(h.apexd_binary()), "--db", str(db), "--listen",
                          f"127.0.0.1:{h.free_port()}", "--user", "no-such-user-apexdns"],
                         capture_output=True, text=True, timeout=30)
    assert res.returncode == 1
    assert "user 'no-such-user-apexdns' does not exist" in res.stdout + res.stderr
