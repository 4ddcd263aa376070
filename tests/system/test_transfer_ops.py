"""Zone-transfer operations: the limit on transfers served at once ([transfer]
max_concurrent, SERVFAIL beyond it as from BIND beyond transfers-out), and NOTIFY to a
secondary as soon as `apexctl secondary add` lets it transfer (RFC 1996 §1), so it does not
wait for its retry timer."""

from __future__ import annotations

import re
import socket
import time

import dns.rcode
import dns.rdatatype
import pytest

import dnsharness as h
import secondaries as S
import test_transfer as T


def start_apexd_with(tmp_path, db, probe: str, config: str) -> h.Server:
    conf = tmp_path / "apexd.toml"
    conf.write_text(config)
    return h.start_apexd(tmp_path, db, probe, threads=2, extra_args=("--config", conf))


def big_zone_primary(tmp_path, zone: str, config: str) -> h.Server:
    """apexd with configuration `config`, serving a 20,000-name zone to a secondary at
    127.0.0.1 that signs with T.KEY."""
    path = tmp_path / f"{zone}zone"
    path.write_text(T.big_zone_text(zone))
    db = tmp_path / "apex.db"
    h.apexctl(db, "init")
    h.apexctl(db, "zone", "import", path)
    h.apexctl(db, "tsig", "add", T.KEY.name, "--secret", T.KEY.secret)
    h.apexctl(db, "secondary", "add", h.LOOPBACK, "--key", T.KEY.name)
    return start_apexd_with(tmp_path, db, zone, config)


def rest_of_transfer(sock: socket.socket, opening: bytes, what: str) -> tuple[int, int]:
    """Reads a transfer whose first message was `opening` up to the message with the
    closing SOA; returns the records of all its messages and how many messages there were."""
    records, messages = len(h.raw_reply(opening).records), 1
    while True:
        m = h.tcp_recv_message(sock)
        assert m is not None, f"{what} was cut after {messages} messages"
        messages += 1
        types = [t for _, t in h.raw_reply(m).records]
        records += len(types)
        if dns.rdatatype.SOA in types:
            return records, messages


@pytest.mark.timeout_seconds(90)
def test_transfer_beyond_max_concurrent_gets_servfail_while_the_first_completes(tmp_path,
                                                                              report):
    zone = "big.example."
    apexd = big_zone_primary(tmp_path, zone, "[transfer]\nmax_concurrent = 1\n")
    try:
        key = T.dns_key()
        # The first transfer: one message read, then the reader stalls (a slow secondary),
        # so the stream holds its slot while the second request arrives.
        q1 = T.transfer_query(zone, key=key)
        first = h.tcp_connect_from(h.LOOPBACK, apexd.addr, timeout=10.0)
        first.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        wire1 = q1.to_wire()
        first.sendall(len(wire1).to_bytes(2, "big") + wire1)
        opening = h.tcp_recv_message(first)
        assert opening is not None, "the first transfer sent nothing"

        # Any other worker, any connection: the second is answered at once, without data.
        q2 = T.transfer_query(zone, key=key)
        replies = T.refused_exchange(apexd.addr, q2.to_wire())
        busy = T.single_error(replies, "second AXFR")
        assert busy.rcode == dns.rcode.SERVFAIL, dns.rcode.to_text(busy.rcode)
        assert busy.tsig is not None, "the signed request's answer is not signed"
        # Queries are never held back by the transfer limit, on UDP or TCP.
        assert h.served(apexd.addr, f"host7.{zone}", "A", 1.0).rdatas == {"10.0.0.7"}
        q3 = T.transfer_query(zone, "SOA")
        with h.tcp_connect_from(h.LOOPBACK, apexd.addr) as sock:
            w = q3.to_wire()
            sock.sendall(len(w).to_bytes(2, "big") + w)
            assert h.raw_reply(h.tcp_recv_message(sock)).rcode == dns.rcode.NOERROR

        # The first completes, whole: the records of every message, up to the closing SOA.
        records, messages = rest_of_transfer(first, opening, "the first transfer")
        first.close()
        assert records == T.BIG_NAMES + 3

        # The slot is free again.
        rcode, records, _ = T.xfr(apexd.addr, zone, key=key)
        assert rcode == dns.rcode.NOERROR and len(records) == T.BIG_NAMES + 3
        log = apexd.log_path.read_text(errors="replace")
        assert re.search(rf"AXFR of {re.escape(zone)} to 127\.0\.0\.1 refused \(SERVFAIL\): 1 "
                         r"transfers under way", log), log[-2000:]
        assert log.count(f"AXFR of {zone} to 127.0.0.1: serial 1, ") == 2, log[-2000:]
        report(f"first transfer: {messages} messages; second: SERVFAIL at once")
    finally:
        code = apexd.stop()
    assert code == 0, f"apexd exited with {code}:\n{apexd.log()}"


def knot_with_long_retry(workdir, port, primary_port, key, zones) -> h.Server:
    """Knot as the secondary, retrying a failed transfer only after an hour."""
    original = S.knot_secondary_config

    def config(*args):
        return original(*args).replace(
            "    semantic-checks: off\n",
            "    semantic-checks: off\n    retry-min-interval: 3600\n"
            "    refresh-min-interval: 3600\n")
    S.knot_secondary_config = config
    try:
        return S.start_secondary("knot", workdir, port, primary_port, key, zones)
    finally:
        S.knot_secondary_config = original


@pytest.mark.timeout_seconds(60)
def test_secondary_added_is_notified_and_transfers_at_once(tmp_path, report):
    zone = "shop.example."
    db = tmp_path / "apex.db"
    h.apexctl(db, "init")
    for z in h.zone_files(h.EXAMPLES_DIR):
        if z.name == zone:
            h.apexctl(db, "zone", "import", z.path)
    h.apexctl(db, "tsig", "add", T.KEY.name, "--algorithm", T.KEY.algorithm,
              "--secret", T.KEY.secret)
    apexd = h.start_apexd(tmp_path, db, zone)
    port = T.distinct_free_ports(1)[0]
    knot = None
    try:
        # The secondary starts first: its first transfer is refused, it is not allowed yet.
        knot = knot_with_long_retry(tmp_path, port, apexd.port, T.KEY, [zone])
        deadline = time.monotonic() + 10
        while "refused: not a secondary" not in apexd.log_path.read_text(errors="replace"):
            assert time.monotonic() < deadline, f"no refused transfer:\n{apexd.log()}"
            time.sleep(0.05)
        assert h.served(knot.addr, zone, "SOA").rcode != dns.rcode.NOERROR
        knot_mark = len(knot.log_path.read_text(errors="replace"))

        started = time.monotonic()
        h.apexctl(db, "secondary", "add", f"{h.LOOPBACK}:{port}", "--key", T.KEY.name)
        serial = T.soa_serial(apexd.addr, zone)
        took, last = h.wait_served(knot.addr, zone, "SOA",
                                   lambda s: s.serial == serial, timeout=3.0, interval=0.05)
        assert took is not None, f"knot: {last}\n{knot.log()}\n--- apexd ---\n{apexd.log()}"
        # It was the NOTIFY that brought it, not a retry timer.
        knot_log = knot.log_path.read_text(errors="replace")[knot_mark:]
        assert "notify, incoming" in knot_log, knot_log
        assert "NOTIFY of 1 zone(s) to new secondaries" in apexd.log_path.read_text()
        report(f"secondary added: knot has {zone} serial {serial} after "
               f"{time.monotonic() - started:.2f} s")
    finally:
        if knot:
            knot.stop()
        code = apexd.stop()
    assert code == 0, f"apexd exited with {code}:\n{apexd.log()}"


@pytest.mark.timeout_seconds(90)
def test_sigterm_drains_a_transfer_under_way_and_closes_idle_connections(tmp_path, report):
    zone = "big.example."
    apexd = big_zone_primary(tmp_path, zone, "[server]\ndrain_timeout_ms = 20000\n")
    key = T.dns_key()
    idle = h.tcp_connect_from(h.LOOPBACK, apexd.addr, timeout=10.0)
    busy = h.tcp_connect_from(h.LOOPBACK, apexd.addr, timeout=10.0)
    busy.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    wire = T.transfer_query(zone, key=key).to_wire()
    busy.sendall(len(wire).to_bytes(2, "big") + wire)
    opening = h.tcp_recv_message(busy)
    assert opening is not None, "the transfer sent nothing"
    time.sleep(0.2)  # the stream now waits on the slow reader

    apexd.proc.send_signal(15)
    idle.settimeout(5.0)
    assert idle.recv(1) == b"", "the idle connection was not closed at SIGTERM"
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:  # the listener stops taking connections
        try:
            socket.create_connection(apexd.addr, timeout=0.5).close()
            time.sleep(0.05)
        except OSError:
            break
    else:
        pytest.fail("apexd still accepts TCP connections while draining")
    assert apexd.proc.poll() is None, "apexd exited with a transfer under way"

    records, _ = rest_of_transfer(busy, opening, "the transfer under way at SIGTERM")
    busy.close()
    assert records == T.BIG_NAMES + 3
    assert apexd.proc.wait(timeout=10) == 0
    log = apexd.log_path.read_text()
    assert "stopping: no new TCP connections" in log and "stopped" in log
    report(f"transfer of {records} records finished after SIGTERM; apexd exited 0")
