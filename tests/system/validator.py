"""A validating resolver for system tests: Unbound, with a trust anchor for one zone that it
resolves through a stub zone pointing at apexd, so a test can ask whether apexd's signed
answers validate (AD), and whether a wrong anchor makes them fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import dns.message

import dnsharness as h


def unbound_binary() -> Path:
    return h.require_binary(Path(shutil.which("unbound") or "/usr/sbin/unbound"))


def start_unbound(workdir: Path, apexd_port: int, zone: str, anchor: str,
                  more_zones: tuple = ()) -> h.Server:
    """Unbound validating with anchor (a DS or DNSKEY line) for zone, which it asks apexd
    for (a stub zone), as it does more_zones (e.g. a child zone below zone), and nothing
    else."""
    d = workdir / f"unbound-{abs(hash(anchor)) % 10000}"
    top_label = zone.rstrip(".").split(".")[-1]  # test., example.: Unbound serves them itself
    d.mkdir(exist_ok=True)

    def argv(port: int) -> list:
        conf = d / "unbound.conf"
        conf.write_text("\n".join([
            "server:", "    interface: 127.0.0.1", f"    port: {port}", "    do-ip6: no",
            "    num-threads: 1", "    so-reuseport: no", '    username: ""', '    chroot: ""',
            f'    directory: "{d}"', f'    pidfile: "{d}/unbound.pid"', '    logfile: ""',
            "    use-syslog: no", "    verbosity: 1", "    do-not-query-localhost: no",
            '    module-config: "validator iterator"', "    access-control: 127.0.0.0/8 allow",
            f'    local-zone: "{top_label}." nodefault', "    qname-minimisation: no",
            '    target-fetch-policy: "0 0 0 0 0"', "    cache-max-ttl: 1",
            "    cache-max-negative-ttl: 1", "    val-log-level: 2",
            f'    trust-anchor: "{anchor}"',
            *[line for name in (zone, *more_zones) for line in (
                "stub-zone:", f'    name: "{name}"', f"    stub-addr: 127.0.0.1@{apexd_port}",
                "    stub-prime: no")],
            "remote-control:", "    control-enable: no"]) + "\n")
        return [unbound_binary(), "-d", "-c", conf]

    # "invalid." is one of Unbound's own local zones: it answers at once, whatever the anchor.
    return h.start_server("unbound", argv, d, "invalid.")


def resolve(server: h.Server, qname: str, qtype: str) -> dns.message.Message:
    q = dns.message.make_query(qname, qtype, want_dnssec=True)
    wire = h.exchange_udp(server.addr, q.to_wire(), 5.0)
    assert wire is not None, f"Unbound did not answer {qname}/{qtype}"
    return dns.message.from_wire(wire)
