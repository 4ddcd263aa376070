"""Response rate limiting: a UDP flood from one address is answered at the configured rate,
the rest slipped (TC=1, question only) or dropped as BIND's slip defines, the counts match
apexd's own counters, TCP stays unlimited, and a bad [rrl] value stops apexd at start.

As Knot's RRL test does it: a paced flood, counted by outcome, compared with expectations
within a tolerance (the exact split depends on where the second boundaries fall)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import dns.flags
import dns.message
import dns.query
import dns.rcode
import pytest

import dnsharness as h

ZONE = """$ORIGIN rrl.test.
$TTL 300
@    IN SOA ns hostmaster 1 7200 1800 1209600 300
     IN NS  ns
ns   IN A   192.0.2.1
www  IN A   192.0.2.80
*.wild IN A 192.0.2.81
text IN TXT "no address here"
sub  IN NS  ns.elsewhere.test.
"""
RATE = 20
WINDOW = 5


@pytest.fixture
def db(tmp_path) -> Path:
    zone = tmp_path / "rrl.test.zone"
    zone.write_text(ZONE)
    return h.build_apex_db(tmp_path, [zone])


def start(tmp_path, db, rrl: str):
    config = tmp_path / "apexd.toml"
    config.write_text(f"[server]\nstats_interval_s = 1\n[rrl]\n{rrl}")
    return h.start_apexd(tmp_path, db, "ns.rrl.test.", extra_args=("--config", config))


def flood(addr, qname_of, per_second: int = 300, seconds: float = 3.0) -> dict:
    """Paced UDP queries from one socket; each reply is matched by ID and classed as full
    (TC=0), slipped (TC=1, no records) or missing."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    replies: dict[int, dns.message.Message] = {}
    sending = threading.Event()
    sending.set()

    def receive():
        quiet_since = None
        while True:
            try:
                data, _ = sock.recvfrom(65535)
            except socket.timeout:
                if not sending.is_set():
                    quiet_since = quiet_since or time.monotonic()
                    if time.monotonic() - quiet_since > 0.5:
                        return
                continue
            message = dns.message.from_wire(data)
            replies[message.id] = message

    receiver = threading.Thread(target=receive)
    receiver.start()
    total = int(per_second * seconds)
    start_time = time.monotonic()
    try:
        for i in range(total):
            # Paced in steps of 10 ms, so the flood is spread over the seconds it spans.
            due = start_time + i / per_second
            if due - time.monotonic() > 0.002:
                time.sleep(due - time.monotonic())
            query = dns.message.make_query(qname_of(i), "A")
            query.id = i
            sock.sendto(query.to_wire(), addr)
    finally:
        sending.clear()
        receiver.join()
        sock.close()
    full = sum(1 for m in replies.values() if not m.flags & dns.flags.TC)
    slipped = [m for m in replies.values() if m.flags & dns.flags.TC]
    for m in slipped:  # header and question only
        assert not m.answer and not m.authority and not m.additional and len(m.question) == 1
    return {"sent": total, "full": full, "slipped": len(slipped), "missing": total - len(replies)}


def rrl_counters(server) -> tuple[int, int]:
    """slipped, dropped from the last stats line (after stop: the shutdown one)."""
    lines = re.findall(r"RRL (\d+) slipped/(\d+) dropped/(\d+) log-only",
                       server.log_path.read_text())
    assert lines, server.log()
    return int(lines[-1][0]), int(lines[-1][1])


def tcp_answers(addr, count: int, out: list):
    for _ in range(count):
        reply = dns.query.tcp(dns.message.make_query("www.rrl.test.", "A"), addr[0],
                              port=addr[1], timeout=2.0)
        out.append(reply.rcode() == dns.rcode.NOERROR and len(reply.answer) == 1)
        time.sleep(0.1)


@pytest.mark.timeout_seconds(60)
def test_a_flood_is_answered_at_the_rate_and_the_rest_slipped_or_dropped(tmp_path, db):
    server = start(tmp_path, db, f"responses_per_second = {RATE}\nwindow = {WINDOW}\nslip = 2\n")
    tcp: list[bool] = []
    tcp_thread = threading.Thread(target=tcp_answers, args=(server.addr, 15, tcp))
    tcp_thread.start()
    counts = flood(server.addr, lambda i: "www.rrl.test.")
    tcp_thread.join()
    # One account: RATE credits to start with, then the flood keeps it in debt (-window * rate
    # is reached within the first second, and RATE a second never pays it back). Credits come
    # at whole seconds: when the first one ends while the debt is still small, up to RATE more
    # are answered.
    assert RATE <= counts["full"] <= 2 * RATE, counts
    limited = counts["sent"] - counts["full"]
    assert abs(counts["slipped"] - limited / 2) <= 2, counts
    assert abs(counts["missing"] - limited / 2) <= 2, counts
    assert tcp == [True] * 15  # TCP is exempt
    assert server.stop() == 0
    slipped, dropped = rrl_counters(server)
    assert abs(slipped - counts["slipped"]) <= 1, (slipped, counts)
    assert abs(dropped - counts["missing"]) <= 1, (dropped, counts)
    assert "response rate limit: limiting responses to 127.0.0.0/24" in server.log_path.read_text()


@pytest.mark.timeout_seconds(60)
def test_random_names_under_a_wildcard_are_one_account(tmp_path, db):
    server = start(tmp_path, db, f"responses_per_second = {RATE}\nslip = 1\n")
    counts = flood(server.addr, lambda i: f"r{i}.wild.rrl.test.", per_second=200, seconds=1.5)
    assert RATE <= counts["full"] <= 2 * RATE, counts  # a second boundary may fall inside
    assert counts["missing"] == 0 and counts["slipped"] == counts["sent"] - counts["full"]
    nx = flood(server.addr, lambda i: f"nx{i}.rrl.test.", per_second=200, seconds=1.0)
    assert RATE <= nx["full"] <= 2 * RATE, nx  # NXDOMAIN: one account for the zone
    assert server.stop() == 0


@pytest.mark.timeout_seconds(60)
def test_referrals_and_nodata_have_rates_of_their_own(tmp_path, db):
    server = start(tmp_path, db, f"responses_per_second = {RATE}\nreferrals_per_second = 5\n"
                   "nodata_per_second = 0\nslip = 1\n")
    nodata = flood(server.addr, lambda i: "text.rrl.test.", per_second=200, seconds=1.0)
    assert nodata["full"] == nodata["sent"], nodata  # 0: that class is not limited
    referrals = flood(server.addr, lambda i: f"r{i}.sub.rrl.test.", per_second=200, seconds=1.5)
    assert 5 <= referrals["full"] <= 10, referrals  # one account for the delegation point
    assert referrals["missing"] == 0, referrals
    assert referrals["slipped"] == referrals["sent"] - referrals["full"], referrals
    assert server.stop() == 0


@pytest.mark.timeout_seconds(60)
def test_log_only_and_sighup(tmp_path, db):
    """log_only answers everything and counts; SIGHUP then turns limiting on."""
    server = start(tmp_path, db, f"responses_per_second = {RATE}\nlog_only = true\n")
    counts = flood(server.addr, lambda i: "www.rrl.test.", per_second=200, seconds=1.0)
    assert counts["full"] == counts["sent"], counts
    config = tmp_path / "apexd.toml"
    config.write_text(f"[server]\nstats_interval_s = 1\n[rrl]\nresponses_per_second = {RATE}\n"
                      "slip = 0\n")
    os.kill(server.pid, signal.SIGHUP)
    deadline = time.monotonic() + 5
    while "[rrl] settings applied" not in server.log_path.read_text():
        assert time.monotonic() < deadline, server.log()
        time.sleep(0.05)
    limited = flood(server.addr, lambda i: "www.rrl.test.", per_second=200, seconds=1.0)
    assert limited["full"] <= 2 * RATE and limited["slipped"] == 0, limited
    assert server.stop() == 0
    assert re.search(r"RRL 0 slipped/\d+ dropped/1[0-9]{2} log-only", server.log_path.read_text())


@pytest.mark.parametrize("setting, named", [("slip = 11", "slip"), ("window = 0", "window"),
                                            ('exempt = ["10.0.0.0/99"]', "exempt")])
def test_a_bad_rrl_value_stops_apexd_naming_it(tmp_path, db, setting, named):
    config = tmp_path / "apexd.toml"
    config.write_text(f"[rrl]\n{setting}\n")
    run = subprocess.run([str(h.apexd_binary()), "--db", str(db), "--config", str(config),
                          "--listen", f"127.0.0.1:{h.free_port()}"],
                         capture_output=True, text=True, timeout=10)
    assert run.returncode != 0
    assert f"[rrl] {named}" in run.stderr + run.stdout
