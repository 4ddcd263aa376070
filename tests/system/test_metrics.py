"""The metrics endpoint of apexd (--metrics ADDR:PORT): Prometheus text that promtool
accepts, counters that move by exactly the queries sent, a series count independent of
the number of zones, /healthz and /readyz, and HTTP errors that leave DNS serving."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import dns.rcode
import dns.rdatatype
import dns.zone
import pytest

import dnsharness as h

sys.path.insert(0, str(h.REPO / "bench"))
import gen_hosting_data as gen  # noqa: E402

ZONE = gen.small_zone_name(1)
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$')


def small_db(workdir: Path, zones: int) -> Path:
    """A database of `zones` small hosting zones, imported with one apexctl call."""
    zdir = workdir / "zones"
    zdir.mkdir()
    gen.write_small_zones(zdir, zones)
    db = workdir / "apex.db"
    h.apexctl(db, "init")
    h.apexctl(db, "zone", "import", zdir, timeout=300)
    return db


def start(workdir: Path, db: Path) -> tuple[h.Server, tuple[str, int]]:
    metrics = (h.LOOPBACK, h.free_port())
    server = h.start_apexd(workdir, db, ZONE, timeout=60,
                           extra_args=("--metrics", f"{metrics[0]}:{metrics[1]}"))
    return server, metrics


def http(addr: tuple[str, int], raw: bytes) -> tuple[int, dict[str, str], str]:
    """Send raw octets; return the status, the header fields (lower-case names) and body."""
    with socket.create_connection(addr, timeout=5) as s:
        s.sendall(raw)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), fields, body.decode()


def get(addr: tuple[str, int], path: str, method: str = "GET") -> tuple[int, dict, str]:
    return http(addr, f"{method} {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())


def scrape(addr: tuple[str, int]) -> dict[str, float]:
    """Every sample of /metrics: 'name{labels}' -> value."""
    status, fields, body = get(addr, "/metrics")
    assert status == 200
    assert fields["content-type"].startswith("text/plain; version=0.0.4")
    out = {}
    for line in body.splitlines():
        if line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        assert m, f"not a sample line: {line!r}"
        out[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return out


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("metrics")
    server, metrics = start(workdir, small_db(workdir, 10))
    try:
        yield server, metrics
    finally:
        code = server.stop()
    assert code == 0, f"apexd exited with {code}:\n{server.log()}"


def ask(server: h.Server, name: str, qtype: str, transport: str = "udp") -> int:
    wire = h.make_query(name, qtype, edns=True).to_wire()
    reply = (h.exchange_udp if transport == "udp" else h.exchange_tcp)(server.addr, wire)
    assert reply is not None
    return h.parse(reply).rcode()


def test_promtool_accepts_the_exposition(served):
    _, metrics = served
    _, _, body = get(metrics, "/metrics")
    res = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True,
                         text=True, timeout=30)
    assert res.returncode == 0, res.stdout + res.stderr
    assert 'apexd_build_info{version="' in body


def test_counters_move_by_exactly_what_was_sent(served):
    server, metrics = served
    before = scrape(metrics)
    for _ in range(7):
        assert ask(server, f"mail.{ZONE}", "A") == dns.rcode.NOERROR
    for _ in range(3):
        assert ask(server, f"mail.{ZONE}", "A", "tcp") == dns.rcode.NOERROR
    for _ in range(2):
        assert ask(server, f"nothing.{ZONE}", "AAAA") == dns.rcode.NXDOMAIN
    assert ask(server, "not-served.test.", "MX") == dns.rcode.REFUSED
    malformed = h.make_query(f"mail.{ZONE}", "A", edns=False).to_wire() + b"\x07"
    reply = h.exchange_udp(server.addr, malformed)
    assert reply is not None and reply[3] & 0x0F == dns.rcode.FORMERR
    after = scrape(metrics)

    def delta(name):
        return after[name] - before[name]

    assert delta('apexd_queries_total{transport="udp",family="ipv4"}') == 11
    assert delta('apexd_queries_total{transport="tcp",family="ipv4"}') == 3
    assert delta('apexd_queries_total{transport="udp",family="ipv6"}') == 0
    assert delta('apexd_responses_total{rcode="NOERROR"}') == 10
    assert delta('apexd_responses_total{rcode="NXDOMAIN"}') == 2
    assert delta('apexd_responses_total{rcode="REFUSED"}') == 1
    assert delta('apexd_responses_total{rcode="FORMERR"}') == 1
    assert delta('apexd_responses_total{rcode="SERVFAIL"}') == 0
    assert delta('apexd_queries_by_type_total{type="A"}') == 11
    assert delta('apexd_queries_by_type_total{type="AAAA"}') == 2
    assert delta('apexd_queries_by_type_total{type="MX"}') == 1
    assert delta("apexd_malformed_total") == 1
    assert delta("apexd_dropped_total") == 0
    assert delta("apexd_truncated_total") == 0
    assert delta("apexd_request_duration_seconds_count") == 14
    assert delta('apexd_request_duration_seconds_bucket{le="+Inf"}') == 14
    assert delta("apexd_response_size_bytes_count") == 14
    assert delta("apexd_response_size_bytes_sum") > 14 * 12
    assert after["apexd_zones"] == 10
    assert abs(after["apexd_last_reload_timestamp_seconds"] - time.time()) < 600
    assert after["apexd_dnssec_signatures_total"] == 0  # no zone is signed


def rrsets_to_sign(zone_file: Path) -> int:
    """RFC 4035 §2.2: an RRSIG per authoritative RRset, and the signer adds the DNSKEY, CDS
    and CDNSKEY RRsets at the apex (RFC 7344) and an NSEC RRset at every owner (these zones
    have no delegation)."""
    zone = dns.zone.from_file(str(zone_file), relativize=False)
    return sum(len(node.rdatasets) for node in zone.values()) + 3 + len(zone.nodes)


def test_signatures_are_counted_when_zones_load_and_never_per_query(tmp_path):
    """Signing happens when a zone is published: the counter holds exactly the RRSIGs of the
    signed zones after the load, and stays still under DO=1 queries of every kind."""
    db = small_db(tmp_path, 3)
    signed = [gen.small_zone_name(1), gen.small_zone_name(3)]
    for zone in signed:
        h.apexctl(db, "dnssec", "enable", zone)
    expected = sum(rrsets_to_sign(tmp_path / "zones" / f"{zone}zone") for zone in signed)
    server, metrics = start(tmp_path, db)
    try:
        before = scrape(metrics)["apexd_dnssec_signatures_total"]
        assert before == expected
        for zone in signed:
            for name, qtype in ((zone, "DNSKEY"), (f"www.{zone}", "A"), (f"nx.{zone}", "A"),
                                (f"mail.{zone}", "AAAA"), (zone, "MX")):
                q = h.make_query(name, qtype, edns=True, dnssec_ok=True)
                reply = h.parse(h.exchange_udp(server.addr, q.to_wire()))
                assert any(r.rdtype == dns.rdatatype.RRSIG for r in reply.answer + reply.authority)
        assert scrape(metrics)["apexd_dnssec_signatures_total"] == before
        stats = json.loads(h.apexctl(db, "stats", "--json").stdout)["stats"]
        assert stats["dnssec_signatures"] == before
    finally:
        code = server.stop()
    assert code == 0, f"apexd exited with {code}:\n{server.log()}"


def test_readyz_healthz_and_http_errors(served):
    server, metrics = served
    assert get(metrics, "/readyz")[0] == 200
    status, _, body = get(metrics, "/healthz")
    assert (status, body) == (200, "ok\n")
    assert get(metrics, "/nothing-here")[0] == 404
    status, fields, _ = get(metrics, "/metrics", "POST")
    assert status == 405 and fields["allow"] == "GET"
    assert http(metrics, b"\x16\x03\x01 garbage\r\n\r\n")[0] == 400
    oversize = b"GET /metrics HTTP/1.1\r\nX: " + b"a" * 9000 + b"\r\n\r\n"
    assert http(metrics, oversize)[0] == 400
    # The listener and DNS both still serve.
    assert get(metrics, "/healthz")[0] == 200
    assert ask(server, f"mail.{ZONE}", "A") == dns.rcode.NOERROR


def test_a_silent_client_is_closed_and_holds_no_one_up(served):
    _, metrics = served
    with socket.create_connection(metrics, timeout=10) as idle:
        idle.sendall(b"GET /metrics HTTP/1.1\r\n")  # and never the rest
        assert get(metrics, "/healthz")[0] == 200
        started = time.monotonic()
        assert idle.recv(100) == b""  # closed by apexd, nothing sent
        assert 3 < time.monotonic() - started < 9


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    return small_db(tmp_path_factory.mktemp("metrics-big"), 10_000)


def test_series_do_not_depend_on_the_number_of_zones(served, big_db, tmp_path):
    _, small_metrics = served
    big, big_metrics = start(tmp_path, big_db)
    try:
        many = scrape(big_metrics)
    finally:
        assert big.stop() == 0, big.log()
    few = scrape(small_metrics)
    assert many["apexd_zones"] == 10_000 and few["apexd_zones"] == 10
    assert sorted(many) == sorted(few)


def poll_readyz(addr: tuple[str, int], until: int, timeout: float = 30) -> list[tuple]:
    """(status, body) of /readyz every millisecond, until status `until` is seen."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _, body = get(addr, "/readyz")
        except OSError:  # not listening yet
            time.sleep(0.001)
            continue
        if not seen or seen[-1] != (status, body):
            seen.append((status, body))
        if status == until:
            return seen
        time.sleep(0.001)
    raise AssertionError(f"/readyz never answered {until}: {seen}")


def test_readyz_is_503_while_loading_and_while_draining(big_db, tmp_path):
    """Loading 10,000 zones takes long enough (some 100 ms) to see; draining lasts while
    a TCP query is half received (up to drain_timeout_ms)."""
    dns_port, metrics = h.free_port(), (h.LOOPBACK, h.free_port())
    proc = h.spawn([h.apexd_binary(), "--db", big_db, "--listen", f"{h.LOOPBACK}:{dns_port}",
                    "--threads", "1", "--metrics", f"{metrics[0]}:{metrics[1]}"],
                   tmp_path / "apexd.log", tmp_path)
    try:
        assert poll_readyz(metrics, 200) == [(503, "loading zones\n"), (200, "serving\n")]
        with socket.create_connection((h.LOOPBACK, dns_port), timeout=5) as busy:
            busy.sendall(b"\x00\x20\x12")  # a 32-octet query, 1 octet of it sent
            time.sleep(0.2)
            proc.send_signal(signal.SIGTERM)
            assert poll_readyz(metrics, 503, timeout=4)[-1] == (503, "draining\n")
            assert get(metrics, "/healthz")[0] == 200
        assert proc.wait(timeout=10) == 0
    finally:
        h.stop_process(proc)


def test_a_metrics_address_in_use_stops_apexd(served, tmp_path):
    server, _ = served
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind((h.LOOPBACK, 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = subprocess.run([str(h.apexd_binary()), "--db", str(server.extra["db"]),
                              "--listen", f"{h.LOOPBACK}:{h.free_port()}",
                              "--metrics", f"{h.LOOPBACK}:{port}",
                              # the first apexd holds the control socket beside the database
                              "--control", str(tmp_path / "second.sock")],
                             capture_output=True, text=True, timeout=30,
                             stdin=subprocess.DEVNULL, cwd=tmp_path)
    assert res.returncode == 1
    assert f"127.0.0.1:{port}" in res.stderr
