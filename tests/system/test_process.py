"""apexd as a process: signals, exclusive listening addresses, a log sink that goes away.

Each scenario is one an operator hit: `kill -HUP` (logrotate, ExecReload) and `kill -USR1`
used to kill apexd silently; a second apexd on the same address silently took half of the
queries; `apexd … 2>&1 | head -3` died on the next log line (SIGPIPE).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import dns.message
import dns.query
import dns.rcode
import pytest

import dnsharness as h

QNAME = "www.hostco.example."


@pytest.fixture
def db(tmp_path) -> Path:
    return h.build_apex_db(tmp_path, [h.EXAMPLES_DIR])


def answers(addr, qname: str = QNAME, count: int = 20, transport: str = "udp") -> list[str]:
    """The last answer record of each of `count` answers ('' when a query got none)."""
    send = dns.query.udp if transport == "udp" else dns.query.tcp
    out = []
    for _ in range(count):
        try:
            reply = send(dns.message.make_query(qname, "A"), addr[0], port=addr[1], timeout=1.0)
            out.append(reply.answer[-1][0].to_text() if reply.answer else "")
        except (OSError, dns.exception.Timeout):
            out.append("")
    return out


def wait_for_log(server: h.Server, pattern: str, timeout: float = 5.0) -> re.Match:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(pattern, server.log_path.read_text(errors="replace"))
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"no log line matching {pattern!r}:\n{server.log()}")


def test_second_apexd_on_the_same_address_refuses_to_start(tmp_path, db):
    """A second apexd (another database) on a served address exits non-zero with a clear
    message, and every query keeps being answered by the first."""
    first = h.start_apexd(tmp_path, db, QNAME, threads=2)
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other_db = h.build_apex_db(other_dir, [])
    h.apexctl(other_db, "zone", "add", "hostco.example")
    h.apexctl(other_db, "record", "add", "www.hostco.example", "A", "203.0.113.99")
    second = subprocess.run(
        [h.apexd_binary(), "--db", other_db, "--listen", f"{h.LOOPBACK}:{first.port}",
         "--resolver", "127.0.0.1:9"], capture_output=True, text=True, timeout=20)
    assert second.returncode == 1, second.stderr
    assert f"127.0.0.1:{first.port}" in second.stderr and "in use" in second.stderr
    expected = answers(first.addr, count=1)[0]
    assert expected and expected != "203.0.113.99"
    served = answers(first.addr) + answers(first.addr, transport="tcp")
    assert served == [expected] * 40, served
    assert first.alive()


def test_port_zero_is_logged_as_the_port_bound(tmp_path, db):
    """--listen 127.0.0.1:0 serves on a port the kernel chose, the same for UDP and TCP, and
    the log names that port."""
    log_path = tmp_path / "apexd.log"
    proc = h.spawn([h.apexd_binary(), "--db", db, "--listen", "127.0.0.1:0", "--resolver",
                    "127.0.0.1:9"], log_path, tmp_path)
    server = h.Server("apexd", proc, 0, tmp_path, log_path)
    try:
        port = int(wait_for_log(server, r"serving UDP and TCP on 127\.0\.0\.1:(\d+)").group(1))
        assert port != 0
        addr = (h.LOOPBACK, port)
        assert all(answers(addr, count=3)) and all(answers(addr, count=3, transport="tcp"))
    finally:
        server.stop()


def test_stray_signals_do_not_stop_apexd(tmp_path, db):
    """SIGUSR1, SIGUSR2, SIGPIPE and SIGALRM are handled or ignored on purpose."""
    server = h.start_apexd(tmp_path, db, QNAME)
    for sig in (signal.SIGUSR1, signal.SIGUSR2, signal.SIGPIPE, signal.SIGALRM):
        os.kill(server.pid, sig)
    wait_for_log(server, r"received SIGUSR2, which apexd does not use: ignored")
    assert server.alive() and all(answers(server.addr, count=5))
    assert server.stop() == 0


@contextlib.contextmanager
def sighup_storm(pid: int, every: float):
    """SIGHUP to pid every `every` seconds while the block runs."""
    stop = threading.Event()

    def storm():
        while not stop.is_set():
            os.kill(pid, signal.SIGHUP)
            time.sleep(every)

    thread = threading.Thread(target=storm)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def write_config(path: Path, log_level: str, extra: str = "") -> None:
    path.write_text(f'[server]\nlog_level = "{log_level}"\n{extra}')


def test_every_configuration_problem_is_reported_at_once(tmp_path, db):
    """A file with three mistakes and a bad flag: four lines naming file, line and key (or the
    flag), exit 2, and no usage text burying them."""
    config = tmp_path / "apexd.toml"
    config.write_text('[server]\nthreadz = 2\nlog_level = "loud"\n[notify]\nrate = 0\n')
    run = subprocess.run([h.apexd_binary(), "--db", db, "--config", config, "--threads", "x"],
                         capture_output=True, text=True, timeout=20)
    assert run.returncode == 2, run.stderr
    assert run.stderr.splitlines() == [
        f"apexd: {config}:2: [server] unknown setting 'threadz'",
        f"apexd: {config}:3: [server] log_level must be one of debug, info, warning, error",
        f"apexd: {config}:5: [notify] rate must be an integer from 1 to 100000",
        "apexd: --threads: 'x' is not a number from 0 to 256"], run.stderr


def test_sighup_reloads_without_losing_a_query(tmp_path, db):
    """Queries sent while SIGHUP arrives again and again are all answered; the new log level
    is in force; a broken file is reported and the running configuration stays."""
    config = tmp_path / "apexd.toml"
    write_config(config, "info")
    server = h.start_apexd(tmp_path, db, QNAME, extra_args=("--config", config))
    with sighup_storm(server.pid, every=0.01):
        served = answers(server.addr, count=300)
    assert served.count("") == 0 and server.alive()

    write_config(config, "warning", 'tcp_idle_timeout_ms = 5000\n')
    os.kill(server.pid, signal.SIGHUP)
    wait_for_log(server, r"changed settings that take effect after a restart: tcp_idle_timeout_ms")
    # The new level is in force: the next SIGHUP's info line is no longer written.
    hups = server.log_path.read_text().count("received SIGHUP")
    os.kill(server.pid, signal.SIGHUP)
    time.sleep(0.5)
    assert server.log_path.read_text().count("received SIGHUP") == hups

    config.write_text("[server]\nno_such_setting = 1\n")
    os.kill(server.pid, signal.SIGHUP)
    wait_for_log(server, r"reload failed, the running configuration stays in force: .*no_such_setting")
    assert server.alive() and all(answers(server.addr, count=5))
    assert server.stop() == 0


def test_sighup_storm_under_dnsperf_loses_no_query(tmp_path, db):
    """dnsperf (3 s, 2,000 queries/s) while SIGHUP arrives every 20 ms: no query lost, and the
    configuration written before the storm is in force afterwards."""
    config = tmp_path / "apexd.toml"
    write_config(config, "info")
    server = h.start_apexd(tmp_path, db, QNAME, extra_args=("--config", config))
    queries = tmp_path / "queries.txt"
    queries.write_text(f"{QNAME} A\nhostco.example. SOA\nnope.hostco.example. A\n")
    write_config(config, "warning")
    with sighup_storm(server.pid, every=0.02):
        run = subprocess.run(["dnsperf", "-s", server.addr[0], "-p", str(server.addr[1]),
                              "-d", queries, "-l", "3", "-Q", "2000", "-c", "4", "-t", "2"],
                             capture_output=True, text=True, timeout=30)
    sent = re.search(r"Queries sent:\s+(\d+)", run.stdout)
    lost = re.search(r"Queries lost:\s+(\d+)", run.stdout)
    assert sent and lost, run.stdout + run.stderr
    assert int(sent.group(1)) >= 3000 and int(lost.group(1)) == 0, run.stdout
    # The new level is in force: a SIGHUP's info line is no longer written.
    hups = server.log_path.read_text().count("received SIGHUP")
    os.kill(server.pid, signal.SIGHUP)
    time.sleep(0.5)
    assert server.log_path.read_text().count("received SIGHUP") == hups
    assert server.stop() == 0


def test_a_log_pipe_that_closes_does_not_stop_apexd(tmp_path, db):
    """`apexd 2>&1 | head -3`: once the reader is gone, log lines fail with EPIPE (SIGPIPE is
    ignored) and are counted, and apexd keeps serving."""
    port = h.free_port()
    proc = subprocess.Popen([str(h.apexd_binary()), "--db", str(db), "--listen",
                             f"{h.LOOPBACK}:{port}", "--resolver", "127.0.0.1:9"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        assert proc.stdout.readline()  # apexd has started logging
        h.wait_ready(h.Server("apexd", proc, port, tmp_path, tmp_path / "none"), QNAME)
        proc.stdout.close()  # the reader goes away
        for _ in range(5):
            os.kill(proc.pid, signal.SIGHUP)  # each logs a line into the closed pipe
        time.sleep(0.3)
        assert proc.poll() is None
        assert all(answers((h.LOOPBACK, port), count=5))
    finally:
        h.stop_process(proc)
    assert proc.returncode == 0
