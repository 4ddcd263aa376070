"""A validating resolver for system tests: Unbound, with a trust anchor for one zone that it
resolves through a stub zone pointing at apexd, so a test can ask whether apexd's signed
answers validate (AD), and whether a wrong anchor makes them fail."""

from __future__ import annotations

import shutil
import subprocess
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


def tool(name: str) -> str:
    """A Debian tool's path; fails (not skips) when it is missing."""
    path = shutil.which(name) or f"/usr/bin/{name}"
    if not Path(path).exists():
        raise h.HarnessError(f"{name} is missing: run scripts/setup.sh")
    return path


def verify_signed_zone(zone_file: Path, zone: str) -> None:
    """ldns-verify-zone, dnssec-verify -z and kzonecheck -d on accept the signed zone in
    zone_file; the AssertionError names the verifier that did not, with its output."""
    origin = zone.rstrip(".")
    for argv in ([tool("ldns-verify-zone"), str(zone_file)],
                 [tool("dnssec-verify"), "-z", "-o", origin, str(zone_file)],
                 [tool("kzonecheck"), "-o", origin, "-d", "on", str(zone_file)]):
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, \
            f"{argv[0]} failed on {zone_file.name}:\n{result.stdout}\n{result.stderr}\n" \
            f"{zone_file.read_text()}"
