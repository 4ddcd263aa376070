"""Listening: apexd serves UDP and TCP on every --listen address, IPv4 and IPv6, with
several worker threads, and exits cleanly on SIGTERM.

Specified (issue 2, "Interface"): `apexd --listen ADDR:PORT` is repeatable and
`[::1]:PORT` is the IPv6 form; every address answers over both UDP and TCP.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

import dns.flags
import dns.message
import dns.query
import dns.rcode
import pytest

import dnsharness as h


@pytest.fixture(scope="module")
def dual_stack_apexd(tmp_path_factory):
    """apexd with two worker threads listening on 127.0.0.1:P and [::1]:P."""
    workdir = tmp_path_factory.mktemp("dual")
    db = h.build_apex_db(workdir, [h.EXAMPLES_DIR])
    server = h.start_apexd(workdir, db, "hostco.example.", threads=2, ipv6=True)
    try:
        yield server
    finally:
        code = server.stop()
    assert code == 0, f"apexd exited with {code} on SIGTERM:\n{server.log()}"


@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_every_listen_address_answers(dual_stack_apexd, address, transport):
    """Each listen address answers a query over each transport, authoritatively."""
    query = dns.message.make_query("www.hostco.example.", "A")
    send = dns.query.udp if transport == "udp" else dns.query.tcp
    reply = send(query, address, timeout=2.0, port=dual_stack_apexd.port)
    assert reply.id == query.id and reply.rcode() == dns.rcode.NOERROR
    assert reply.flags & dns.flags.AA and reply.answer, reply.to_text()


def test_many_queries_across_threads(dual_stack_apexd):
    """A few hundred queries in a row over one UDP socket are all answered (with two
    workers sharing the port, none is lost or answered twice)."""
    query = dns.message.make_query("shop.example.", "MX")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        answered = 0
        for i in range(300):
            query.id = i
            wire = h.exchange_udp(("127.0.0.1", dual_stack_apexd.port), query.to_wire(), 1.0, s)
            answered += wire is not None and dns.message.from_wire(wire).id == i
    assert answered == 300


def udp_receive_buffers(port: int) -> list[int]:
    """The kernel's receive buffer (skmem rb, twice the bytes asked: socket(7)) of every UDP
    socket bound to port, as `ss` reports it."""
    out = h.run_tool(["ss", "-uanmH", f"sport = :{port}"], timeout=5.0).stdout
    return [int(rb) for rb in re.findall(r"\brb(\d+)", out)]


def test_udp_sockets_get_the_configured_receive_buffer(dual_stack_apexd, tmp_path):
    """Every worker's UDP socket holds udp_receive_buffer (4 MiB by default, so a burst is not
    dropped while a worker is off its core); a configured size replaces it."""
    default = udp_receive_buffers(dual_stack_apexd.port)
    assert default and all(rb == 2 * (4 << 20) for rb in default), default
    assert len(default) == 4  # two workers, on 127.0.0.1 and ::1

    config = tmp_path / "apexd.toml"
    config.write_text("[server]\nudp_receive_buffer = 1048576\n")
    db = h.build_apex_db(tmp_path, [h.EXAMPLES_DIR])
    server = h.start_apexd(tmp_path, db, "hostco.example.", extra_args=("--config", str(config)))
    try:
        sized = udp_receive_buffers(server.port)
        assert sized == [2 * (1 << 20)], sized
    finally:
        assert server.stop() == 0, server.log()

    # The largest setting, 1 GiB, gets the most Linux grants (INT_MAX / 2 bytes), no warning.
    config.write_text("[server]\nudp_receive_buffer = 1073741824\n")
    server = h.start_apexd(tmp_path, db, "hostco.example.", extra_args=("--config", str(config)))
    try:
        assert udp_receive_buffers(server.port) == [2 * ((2**31 - 1) // 2)]
        assert "UDP receive buffer" not in server.log_path.read_text(), server.log()
    finally:
        assert server.stop() == 0, server.log()


def test_a_receive_buffer_capped_by_the_kernel_is_warned_of(tmp_path):
    """Without CAP_NET_ADMIN (dropped from the bounding set, as under apexd.service) the kernel
    caps the buffer at net.core.rmem_max: apexd serves with what it got and says so."""
    rmem_max = int(Path("/proc/sys/net/core/rmem_max").read_text())
    asked = min(2 * rmem_max, 1 << 30)
    config = tmp_path / "apexd.toml"
    config.write_text(f"[server]\nudp_receive_buffer = {asked}\n")
    db = h.build_apex_db(tmp_path, [h.EXAMPLES_DIR])
    binary = h.require_binary(h.apexd_binary())
    server = h.start_server(
        "apexd", lambda port: ["setpriv", "--bounding-set=-net_admin", binary, "--db", db,
                               "--listen", f"127.0.0.1:{port}", "--threads", "1",
                               "--config", config], tmp_path, "hostco.example.")
    try:
        assert udp_receive_buffers(server.port) == [2 * rmem_max]
        assert (f"UDP receive buffer: {rmem_max} bytes granted of the {asked} asked"
                in server.log_path.read_text()), server.log()
    finally:
        assert server.stop() == 0, server.log()
