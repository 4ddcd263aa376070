"""Real components for the ALIAS system tests (issue 4): NSD serving the target zones,
Unbound as the upstream recursive resolver (stub zones pointing at that NSD), apexd
flattening through it, and small Python stand-ins where a real component cannot
misbehave on purpose (a resolver that forges replies, one that never answers, TCP
listeners for health checks).

Everything listens on loopback only: Unbound's root is a stub pointing at the same NSD,
so a name outside the target zones gets REFUSED there and no query leaves the machine.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset

import dnsharness as h

# --- target zones (served by NSD) ----------------------------------------------------------

SOA_LINE = "@ {ttl} IN SOA ns1.{zone} hostmaster.{zone} {serial} 3600 600 86400 {neg}\n"


@dataclass
class TargetZone:
    """A zone NSD serves: name and body lines (relative owners, explicit TTLs); the
    SOA serial moves with every write."""
    name: str
    body: list[str]
    serial: int = 1
    negative_ttl: int = 1

    def text(self) -> str:
        head = f"$ORIGIN {self.name}\n" + SOA_LINE.format(
            ttl=3600, zone=self.name, serial=self.serial, neg=self.negative_ttl)
        head += f"@ 3600 IN NS ns1.{self.name}\nns1 3600 IN A 127.0.0.1\n"
        return head + "".join(line.rstrip("\n") + "\n" for line in self.body)


def default_target_zones() -> list[TargetZone]:
    """cdn.test and edge.test: the targets the tests alias to.

    lb        two A and one AAAA (TTL 300)          short    A/AAAA, TTL 2, rewritten by a test
    v4only    A only                                steady   A/AAAA, TTL 2 (outage tests)
    c1 -> c2.edge.test -> c3 -> end: a CNAME chain of depth 3, TTLs 100, 200, 50, 400
    loop1 <-> loop2: a CNAME loop                    fading   TTL 2, removed by a test
    hc        127.0.0.2 and 127.0.0.3 (health checks) t0..t49 A/AAAA TTL 5 (bounded work)
    """
    cdn = TargetZone("cdn.test.", [
        "lb 300 IN A 192.0.2.10", "lb 300 IN A 192.0.2.11", "lb 300 IN AAAA 2001:db8::10",
        "short 2 IN A 192.0.2.20", "short 2 IN AAAA 2001:db8::20",
        "v4only 300 IN A 192.0.2.30",
        "steady 2 IN A 192.0.2.60", "steady 2 IN AAAA 2001:db8::60",
        "c1 100 IN CNAME c2.edge.test.",
        "c3 50 IN CNAME end", "end 400 IN A 192.0.2.40", "end 400 IN AAAA 2001:db8::40",
        "loop1 300 IN CNAME loop2", "loop2 300 IN CNAME loop1",
        "fading 2 IN A 192.0.2.50", "fading 2 IN AAAA 2001:db8::50",
        "hc 300 IN A 127.0.0.2", "hc 300 IN A 127.0.0.3",
        "hcb 300 IN A 127.0.0.4", "hcb 300 IN A 127.0.0.5",
    ] + [f"t{i} 5 IN A 198.51.100.{i + 1}" for i in range(50)]
      + [f"t{i} 5 IN AAAA 2001:db8:1::{i + 1:x}" for i in range(50)])
    edge = TargetZone("edge.test.", ["c2 200 IN CNAME c3.cdn.test."])
    return [cdn, edge]


# --- NSD with a control socket ---------------------------------------------------------------

class TargetNsd:
    """NSD serving TargetZones from files it reloads on `nsd-control reload ZONE`."""

    def __init__(self, workdir: Path, zones: list[TargetZone]):
        self.dir = workdir / "target-nsd"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.zones = {z.name: z for z in zones}
        for z in zones:
            self._write(z)
        self.server: h.Server | None = None

    def _path(self, z: TargetZone) -> Path:
        return self.dir / f"{z.name}zone"

    def _write(self, z: TargetZone) -> None:
        tmp = self._path(z).with_suffix(".tmp")
        tmp.write_text(z.text())
        tmp.replace(self._path(z))

    def conf_path(self) -> Path:
        return self.dir / "nsd.conf"

    def _config(self, port: int) -> str:
        d = self.dir
        lines = [
            "server:", "    ip-address: 127.0.0.1", f"    port: {port}", "    do-ip6: no",
            "    server-count: 1", "    reuseport: no", '    database: ""',
            f'    zonelistfile: "{d}/zone.list"', f'    xfrdfile: "{d}/xfrd.state"',
            f'    xfrdir: "{d}"', f'    pidfile: "{d}/nsd.pid"', '    username: ""',
            '    chroot: ""', "    verbosity: 1", "    zonefiles-check: yes",
            "    zonefiles-write: 0", "    rrl-ratelimit: 0", "    rrl-whitelist-ratelimit: 0",
            "remote-control:", "    control-enable: yes",
            f'    control-interface: "{d}/nsd.ctl"',
        ]
        for z in self.zones.values():
            lines += ["zone:", f'    name: "{z.name}"', f'    zonefile: "{self._path(z)}"']
        return "\n".join(lines) + "\n"

    def start(self, port: int | None = None) -> h.Server:
        """Start (or restart on the same port) NSD."""
        binary = h.nsd_binary()
        fixed = port

        def argv(p: int) -> list:
            self.conf_path().write_text(self._config(p))
            (self.dir / "zone.list").unlink(missing_ok=True)
            return [binary, "-d", "-c", self.conf_path()]

        pick = (lambda: fixed) if fixed else h.free_port
        self.server = h.start_server("nsd", argv, self.dir, next(iter(self.zones)),
                                     retries=1 if fixed else 5, pick_port=pick)
        return self.server

    @property
    def port(self) -> int:
        assert self.server is not None
        return self.server.port

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def set_records(self, zone: str, owner: str, lines: list[str]) -> None:
        """Replace every record at `owner` (relative) in `zone` with `lines`, bump the
        serial and reload the zone; returns once NSD serves the new serial."""
        z = self.zones[zone]
        z.body = [l for l in z.body if l.split()[0] != owner] + lines
        z.serial += 1
        self._write(z)
        h.run_tool(["nsd-control", "-c", self.conf_path(), "reload", z.name], timeout=20)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if h.served(self.server.addr, z.name, "SOA").serial == z.serial:
                return
            time.sleep(0.02)
        raise h.HarnessError(f"NSD did not load {z.name} serial {z.serial}:\n"
                             f"{self.server.log()}")


# --- Unbound ----------------------------------------------------------------------------------

class Unbound:
    """Unbound (iterator only, no validation, no serve-expired) with stub zones for the
    target zones and the root, all pointing at the target NSD; control socket in its
    directory (unbound-control without certificates)."""

    def __init__(self, workdir: Path, nsd_port: int, stub_zones: list[str]):
        self.dir = workdir / "unbound"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.nsd_port = nsd_port
        self.stub_zones = stub_zones
        self.server: h.Server | None = None

    def conf_path(self) -> Path:
        return self.dir / "unbound.conf"

    def _config(self, port: int) -> str:
        d = self.dir
        lines = [
            "server:", "    interface: 127.0.0.1", f"    port: {port}", "    do-ip6: no",
            "    num-threads: 1", "    so-reuseport: no", '    username: ""',
            '    chroot: ""', f'    directory: "{d}"', f'    pidfile: "{d}/unbound.pid"',
            '    logfile: ""', "    use-syslog: no", "    verbosity: 1",
            "    log-queries: no", "    do-not-query-localhost: no",
            '    module-config: "iterator"', "    access-control: 127.0.0.0/8 allow",
            "    serve-expired: no", "    prefetch: no", "    qname-minimisation: no",
            "    cache-min-ttl: 0", "    cache-max-negative-ttl: 1",
            "    infra-host-ttl: 2", "    infra-keep-probing: yes",
            '    target-fetch-policy: "0 0 0 0 0"', "    harden-referral-path: no",
            '    local-zone: "test." nodefault',
        ]
        for zone in self.stub_zones + ["."]:
            lines += ["stub-zone:", f'    name: "{zone}"',
                      f"    stub-addr: 127.0.0.1@{self.nsd_port}", "    stub-prime: no"]
        lines += ["remote-control:", "    control-enable: yes",
                  f'    control-interface: "{d}/unbound.ctl"', "    control-use-cert: no"]
        return "\n".join(lines) + "\n"

    def start(self, port: int | None = None) -> h.Server:
        binary = h.require_binary(Path(shutil.which("unbound") or "/usr/sbin/unbound"))
        fixed = port

        def argv(p: int) -> list:
            self.conf_path().write_text(self._config(p))
            return [binary, "-d", "-c", self.conf_path()]

        pick = (lambda: fixed) if fixed else h.free_port
        # Unbound answers its own probe for "test." SOA by asking NSD: any answer is fine.
        self.server = h.start_server("unbound", argv, self.dir, "cdn.test.",
                                     retries=1 if fixed else 5, pick_port=pick)
        return self.server

    @property
    def port(self) -> int:
        assert self.server is not None
        return self.server.port

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def control(self, *args: str) -> str:
        res = h.run_tool(["unbound-control", "-c", self.conf_path(), *args], timeout=20)
        return res.stdout

    def stats(self) -> dict[str, float]:
        """unbound-control stats_noreset as a dict."""
        out = {}
        for line in self.control("stats_noreset").splitlines():
            if "=" in line:
                key, value = line.split("=", 1)
                try:
                    out[key] = float(value)
                except ValueError:
                    pass
        return out

    def queries(self) -> int:
        return int(self.stats().get("total.num.queries", 0))

    def resolve(self, qname: str, qtype: str) -> dns.message.Message:
        """A recursive query (RD set) to Unbound."""
        q = dns.message.make_query(qname, qtype)
        wire = h.exchange_udp(self.server.addr, q.to_wire(), 3.0)
        if wire is None:
            raise h.HarnessError(f"Unbound did not answer {qname}/{qtype}")
        return dns.message.from_wire(wire)


# --- apexd with a [flatten] configuration ----------------------------------------------------

FAST_FLATTEN = {
    "try_timeout_ms": 300, "tries": 2, "max_in_flight": 64, "max_queries_per_second": 2000,
    "refresh_floor_s": 1, "refresh_ceiling_s": 60, "stale_ttl_s": 7, "max_stale_s": 6,
    "negative_grace_s": 4, "retry_initial_s": 1, "retry_max_s": 1,
    "health_interval_s": 1, "health_timeout_ms": 300, "health_fail_open": True,
}


class Upstream:
    """NSD with the target zones, and Unbound resolving them."""

    def __init__(self, workdir):
        self.nsd = TargetNsd(workdir, default_target_zones())
        self.nsd.start()
        self.unbound = Unbound(workdir, self.nsd.port, ["cdn.test.", "edge.test."])
        try:
            self.unbound.start()
        except Exception:
            self.nsd.stop()
            raise

    def stop(self):
        self.unbound.stop()
        self.nsd.stop()


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, str):
        return f'"{v}"'
    return str(v)


def flatten_config(path: Path, resolvers: list[str], **overrides) -> Path:
    settings = dict(FAST_FLATTEN, resolvers=resolvers)
    settings.update(overrides)
    path.write_text("[flatten]\n" + "".join(f"{k} = {toml_value(v)}\n"
                                            for k, v in settings.items()))
    return path


def alias_zone_text(zone: str, aliases: list[tuple[str, int, str]],
                    extra: list[str] = ()) -> str:
    """A customer zone: SOA, NS, and ALIAS lines (owner relative or '@', TTL, target)."""
    lines = [f"$ORIGIN {zone}", "$TTL 3600",
             "@ IN SOA ns1.hostco.example. hostmaster.hostco.example. 1 7200 1800 1209600 300",
             "@ IN NS ns1.hostco.example."]
    lines += [f"{owner} {ttl} IN ALIAS {target}" for owner, ttl, target in aliases]
    lines += list(extra)
    return "\n".join(lines) + "\n"


class Apex:
    """apexd on its own database, flattening through the given resolvers."""

    def __init__(self, workdir: Path, resolvers: list[str], **flatten):
        self.dir = workdir / "apexd"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.db = self.dir / "apex.db"
        self.config = flatten_config(self.dir / "apexd.toml", resolvers, **flatten)
        h.apexctl(self.db, "init")
        self.import_zone(alias_zone_text("probe.test.", []))
        self.server: h.Server | None = None

    def import_zone(self, text: str, provider: bool = False) -> None:
        """Imports a zone; provider=True marks it provider-owned (ALIAS targets in it are
        resolved from apexd's own data)."""
        name = text.split()[1]
        path = self.dir / f"{name}zone"
        path.write_text(text)
        self.ctl("zone", "import", str(path), *(("--provider",) if provider else ()))

    def ctl(self, *args: str, check: bool = True):
        return h.apexctl(self.db, *args, check=check)

    def start(self) -> h.Server:
        self.server = h.start_apexd(self.dir, self.db, "probe.test.",
                                    extra_args=("--config", self.config))
        return self.server

    def kill9(self) -> None:
        import os
        import signal
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.proc.wait(timeout=5)
        self.server.stop()

    def stop(self) -> int | None:
        return self.server.stop() if self.server else None

    @property
    def addr(self):
        return self.server.addr

    def ask(self, qname: str, qtype: str = "A", timeout: float = 1.0) -> h.Served:
        return h.served(self.addr, qname, qtype, timeout=timeout)

    def status(self, name: str) -> str:
        res = self.ctl("alias", "status", name, check=False)
        return (res.stdout + res.stderr).strip() or "(no output)"

    def wait_for(self, qname: str, qtype: str, predicate, timeout: float,
                 what: str) -> tuple[float, h.Served]:
        """Poll until predicate holds; fail with the served answer, `alias status` and
        the log otherwise (the usual cause while the flattener is not wired in: apexd
        answers SERVFAIL or nothing at an ALIAS owner)."""
        took, last = h.wait_served(self.addr, qname, qtype, predicate, timeout=timeout,
                                   interval=0.05)
        if took is None:
            raise AssertionError(
                f"{what}: not seen within {timeout} s for {qname}/{qtype}; last answer "
                f"{last}\n`apexctl alias status {qname}`: {self.status(qname)}\n"
                f"apexd log:\n{self.server.log()[-1500:]}")
        return took, last


# --- stand-ins ---------------------------------------------------------------------------------

class SilentResolver:
    """A UDP and TCP "resolver" that counts what it receives and never answers."""

    def __init__(self):
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.port = self.udp.getsockname()[1]
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.tcp.bind(("127.0.0.1", self.port))
            self.tcp.listen(16)
        except OSError:
            self.tcp.close()
            self.tcp = None
        self.received: list[bytes] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _run(self) -> None:
        self.udp.settimeout(0.1)
        while not self.stopping.is_set():
            try:
                data, _ = self.udp.recvfrom(65535)
                self.received.append(data)
            except OSError:
                continue

    def questions(self) -> list[str]:
        """The query names received (lower case), garbage left out."""
        names = []
        for data in list(self.received):
            try:
                names.append(dns.message.from_wire(data).question[0].name.to_text().lower())
            except Exception:  # noqa: BLE001
                continue
        return names

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=2)
        self.udp.close()
        if self.tcp:
            self.tcp.close()


class ForgingResolver:
    """A UDP resolver that answers every query (A or AAAA) with forged replies first,
    then the genuine one:
      1. the right port and question, a wrong ID;
      2. the right ID and question, from another source port;
      3. the right ID and port, another question name (the answer for the real name);
      4. the right ID and port, the right name with another type;
      5. the right ID, question and port, from another source address (127.0.0.2);
      then the genuine reply. Forged replies carry FORGED_V4/FORGED_V6.
    It records (source port, ID) of every query for the RFC 5452 checks."""

    FORGED_V4, FORGED_V6 = "203.0.113.66", "2001:db8:bad::66"

    def __init__(self, answers: dict[tuple[str, str], tuple[list[str], int]]):
        self.answers = answers     # (name, "A"/"AAAA") -> (addresses, ttl)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.other_port = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.other_port.bind(("127.0.0.1", 0))
        self.other_addr = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.other_addr.bind(("127.0.0.2", self.port))
        self.seen: list[tuple[int, int, str, str]] = []   # (src port, id, name, type)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _reply(self, query: dns.message.Message, name: str, rdtype: str,
               addresses: list[str], ttl: int, msg_id: int | None = None,
               question: str | None = None) -> bytes:
        r = dns.message.make_response(query)
        r.flags |= dns.flags.RA
        r.question = [dns.rrset.RRset(dns.name.from_text(question or name), 1,
                                      dns.rdatatype.from_text(rdtype))]
        if addresses:
            r.answer.append(dns.rrset.from_text_list(name, ttl, "IN", rdtype, addresses))
        if msg_id is not None:
            r.id = msg_id
        return r.to_wire()

    def _run(self) -> None:
        self.sock.settimeout(0.1)
        while not self.stopping.is_set():
            try:
                data, src = self.sock.recvfrom(65535)
            except OSError:
                continue
            try:
                q = dns.message.from_wire(data)
                qname = q.question[0].name.to_text().lower()
                qtype = dns.rdatatype.to_text(q.question[0].rdtype)
            except Exception:  # noqa: BLE001 - a stand-in ignores garbage
                continue
            self.seen.append((src[1], q.id, qname, qtype))
            real, ttl = self.answers.get((qname, qtype), ([], 60))
            forged = [self.FORGED_V4] if qtype == "A" else [self.FORGED_V6]
            other_type = "AAAA" if qtype == "A" else "A"
            other_forged = [self.FORGED_V6] if qtype == "A" else [self.FORGED_V4]
            self.sock.sendto(self._reply(q, qname, qtype, forged, ttl,
                                         msg_id=q.id ^ 0x5A5A), src)
            self.other_port.sendto(self._reply(q, qname, qtype, forged, ttl), src)
            self.sock.sendto(self._reply(q, qname, qtype, forged, ttl,
                                         question="forged." + qname), src)
            self.sock.sendto(self._reply(q, qname, other_type, other_forged, ttl), src)
            self.other_addr.sendto(self._reply(q, qname, qtype, forged, ttl), src)
            time.sleep(0.01)
            self.sock.sendto(self._reply(q, qname, qtype, real, ttl), src)

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=2)
        for s in (self.sock, self.other_port, self.other_addr):
            s.close()


class TcpListener:
    """Accepts (and closes) TCP connections on ADDR:PORT until closed: a healthy
    address for apexd's TCP health checks."""

    def __init__(self, address: str, port: int):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((address, port))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.accepted = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=2)
        self.sock.close()


def free_port_on(address: str) -> int:
    """A TCP port free on `address` (and on 127.0.0.1, so no listener exists anywhere)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((address, 0))
            port = s.getsockname()[1]
        if h._port_is_free(port):
            return port
    raise h.HarnessError("no free TCP port")
