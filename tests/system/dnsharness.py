"""System-test harness: run apexd and NSD on free loopback ports and talk DNS to them.

Everything here is bounded in time: every subprocess call has a timeout, every
socket a deadline, and every server started is registered so that it is stopped
(its whole process group) even when a test fails or times out.

Binaries: apexd and apexctl are taken from $APEX_BUILD_DIR (default <repo>/build),
as <build>/server/apexd and <build>/admin/apexctl.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import dns.flags
import dns.message
import dns.name
import dns.rdatatype

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = Path(__file__).resolve().parent / "data"
EXAMPLES_DIR = REPO / "examples" / "zones"
LOOPBACK = "127.0.0.1"

STARTUP_TIMEOUT = float(os.environ.get("APEX_STARTUP_TIMEOUT", "20"))
STOP_TIMEOUT = 5.0
CLI_TIMEOUT = 60.0

_running: list["Server"] = []


class HarnessError(RuntimeError):
    """A server or tool could not be started or did not behave as a process should."""


# --- binaries -----------------------------------------------------------------

def build_dir() -> Path:
    """The CMake build directory holding apexd and apexctl."""
    return Path(os.environ.get("APEX_BUILD_DIR", REPO / "build"))


def apexd_binary() -> Path:
    return build_dir() / "server" / "apexd"


def apexctl_binary() -> Path:
    return build_dir() / "admin" / "apexctl"


def require_binary(path: Path) -> Path:
    """Fail (not skip) with a clear message when a binary is missing."""
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise HarnessError(f"{path} is missing: build first (cmake -S . -B build && "
                           f"cmake --build build), or set APEX_BUILD_DIR")
    return path


def nsd_binary() -> Path:
    found = shutil.which("nsd") or "/usr/sbin/nsd"
    return require_binary(Path(found))


# --- zone files -----------------------------------------------------------------

@dataclass(frozen=True)
class ZoneFile:
    """A master file and the zone it holds ($ORIGIN, else the file name)."""
    name: str
    path: Path


def zone_name_of(path: Path) -> str:
    """Zone name from the file's first $ORIGIN directive, else from 'NAME.zone'."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split(";", 1)[0].split()
            if len(parts) >= 2 and parts[0].upper() == "$ORIGIN":
                return parts[1].rstrip(".").lower() + "."
    return path.name[: -len(".zone")].rstrip(".").lower() + "."


def zone_files(*dirs: Path) -> list[ZoneFile]:
    """Every *.zone file in the given directories, sorted by zone name."""
    files = [p for d in dirs for p in sorted(Path(d).glob("*.zone"))]
    return sorted((ZoneFile(zone_name_of(p), p.resolve()) for p in files),
                  key=lambda z: z.name)


# --- processes ------------------------------------------------------------------

def run_tool(argv: list[str], timeout: float = CLI_TIMEOUT,
             check: bool = True) -> subprocess.CompletedProcess:
    """Run a command to completion within `timeout`; raise with its output on failure."""
    try:
        res = subprocess.run([str(a) for a in argv], capture_output=True, text=True,
                             timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        raise HarnessError(f"timed out after {timeout}s: {' '.join(map(str, argv))}") from e
    if check and res.returncode != 0:
        raise HarnessError(f"exit {res.returncode}: {' '.join(map(str, argv))}\n"
                           f"stdout: {res.stdout}\nstderr: {res.stderr}")
    return res


def _port_is_free(port: int) -> bool:
    """True when both UDP and TCP can bind 127.0.0.1:port right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
        try:
            t.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def free_port(attempts: int = 50) -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (bind port 0 on UDP, check TCP)."""
    for _ in range(attempts):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.bind((LOOPBACK, 0))
            port = u.getsockname()[1]
            if _port_is_free(port):
                return port
    raise HarnessError("no port free for both UDP and TCP")


def free_dual_port(attempts: int = 50) -> int:
    """A port free for UDP and TCP on both 127.0.0.1 and ::1."""
    for _ in range(attempts):
        port = free_port()
        try:
            for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                with socket.socket(socket.AF_INET6, kind) as s:
                    s.bind(("::1", port))
            return port
        except OSError:
            continue
    raise HarnessError("no port free on both 127.0.0.1 and ::1")


@dataclass
class Server:
    """A DNS server process listening on 127.0.0.1:port (UDP and TCP)."""
    kind: str
    proc: subprocess.Popen
    port: int
    workdir: Path
    log_path: Path
    extra: dict = field(default_factory=dict)

    @property
    def addr(self) -> tuple[str, int]:
        return (LOOPBACK, self.port)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self) -> int | None:
        """SIGTERM the process group, SIGKILL after STOP_TIMEOUT; return the exit code."""
        stop_process(self.proc)
        if self in _running:
            _running.remove(self)
        return self.proc.returncode

    def __str__(self) -> str:
        return f"{self.kind}@{LOOPBACK}:{self.port}"


def spawn(argv: list, log_path: Path, cwd: Path) -> subprocess.Popen:
    """Start a process in its own session (so its children die with it), output to a log."""
    log = open(log_path, "ab")
    try:
        return subprocess.Popen([str(a) for a in argv], stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=cwd, start_new_session=True)
    finally:
        log.close()


def stop_process(proc: subprocess.Popen, timeout: float = STOP_TIMEOUT) -> None:
    """Terminate the process and its group; escalate to SIGKILL; always reap."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, timeout)):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
    try:  # children of a group leader that already exited (e.g. NSD's xfrd)
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if proc.poll() is None:
        proc.wait(timeout=timeout)


def stop_all() -> None:
    """Stop every server still registered (used at session end and on interrupts)."""
    for server in list(_running):
        server.stop()


def probe(addr: tuple[str, int], qname: str, timeout: float = 0.2) -> bool:
    """True when a UDP query for qname/SOA gets a DNS response with the same ID."""
    q = dns.message.make_query(qname, "SOA")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(q.to_wire(), addr)
            data, _ = s.recvfrom(65535)
        except OSError:
            return False
    # A SERVFAIL means "still loading" (Knot answers before its zones are in).
    return len(data) >= 12 and data[:2] == q.to_wire()[:2] and (data[3] & 0x0F) != 2


def wait_ready(server: Server, qname: str, timeout: float = STARTUP_TIMEOUT) -> float:
    """Poll with DNS queries until the server answers; return seconds taken.

    Raises HarnessError (with the server log) if it exits or stays silent."""
    start = time.monotonic()
    deadline = start + timeout
    while time.monotonic() < deadline:
        if not server.alive():
            raise HarnessError(f"{server} exited with {server.proc.returncode} "
                               f"before answering:\n{server.log()}")
        if probe(server.addr, qname):
            return time.monotonic() - start
        time.sleep(0.02)
    raise HarnessError(f"{server} did not answer within {timeout}s:\n{server.log()}")


def start_server(kind: str, argv_for_port, workdir: Path, probe_name: str,
                 retries: int = 5, timeout: float = STARTUP_TIMEOUT,
                 pick_port=free_port) -> Server:
    """Start a server on a free port, retrying on another port if it dies at startup
    (e.g. someone took the port between our check and its bind)."""
    last_error = None
    for attempt in range(retries):
        port = pick_port()
        log_path = workdir / f"{kind}-{port}.log"
        proc = spawn(argv_for_port(port), log_path, workdir)
        server = Server(kind, proc, port, workdir, log_path)
        _running.append(server)
        try:
            server.extra["startup_seconds"] = wait_ready(server, probe_name, timeout)
            return server
        except HarnessError as e:
            last_error = e
            server.stop()
            if "did not answer" in str(e):
                break
    raise HarnessError(f"could not start {kind}: {last_error}")


# --- apexd ----------------------------------------------------------------------

def apexctl(db: Path, *args, timeout: float = CLI_TIMEOUT,
            check: bool = True) -> subprocess.CompletedProcess:
    """Run `apexctl --db DB ARGS…`."""
    return run_tool([require_binary(apexctl_binary()), "--db", db, *args],
                    timeout=timeout, check=check)


def build_apex_db(workdir: Path, sources: list[Path]) -> Path:
    """A fresh apexdns database holding every zone file of `sources` (files or dirs)."""
    db = workdir / "apex.db"
    apexctl(db, "init")
    for src in sources:
        apexctl(db, "zone", "import", src)
    return db


def start_apexd(workdir: Path, db: Path, probe_name: str, threads: int = 1,
                extra_args: tuple = (), timeout: float = STARTUP_TIMEOUT,
                ipv6: bool = False) -> Server:
    """apexd serving `db` on 127.0.0.1 (UDP and TCP on one port), and with ipv6 also
    on [::1] with the same port."""
    binary = require_binary(apexd_binary())

    def argv(port: int) -> list:
        v6 = ["--listen", f"[::1]:{port}"] if ipv6 else []
        return [binary, "--db", db, "--listen", f"{LOOPBACK}:{port}", *v6,
                "--threads", str(threads), *extra_args]

    server = start_server("apexd", argv, workdir, probe_name, timeout=timeout,
                          pick_port=free_dual_port if ipv6 else free_port)
    server.extra["db"] = db
    return server


# --- NSD ------------------------------------------------------------------------

def nsd_config(workdir: Path, port: int, zones: list[ZoneFile]) -> str:
    """nsd.conf for NSD 4.6: foreground-friendly, no privilege drop, no database,
    no response rate limiting, state files inside workdir, one server process."""
    lines = [
        "server:",
        f"    ip-address: {LOOPBACK}",
        f"    port: {port}",
        "    do-ip6: no",
        "    server-count: 1",
        "    reuseport: no",
        f'    zonesdir: "{workdir}"',
        '    database: ""',
        f'    zonelistfile: "{workdir}/zone.list"',
        f'    xfrdfile: "{workdir}/xfrd.state"',
        f'    xfrdir: "{workdir}"',
        f'    pidfile: "{workdir}/nsd.pid"',
        '    username: ""',
        '    chroot: ""',
        "    verbosity: 0",
        "    zonefiles-check: no",
        "    rrl-ratelimit: 0",
        "    rrl-whitelist-ratelimit: 0",
        "remote-control:",
        "    control-enable: no",
    ]
    for z in zones:
        lines += ["zone:", f'    name: "{z.name}"', f'    zonefile: "{z.path}"']
    return "\n".join(lines) + "\n"


def start_nsd(workdir: Path, zones: list[ZoneFile], probe_name: str | None = None,
              timeout: float = STARTUP_TIMEOUT) -> Server:
    """NSD in the foreground (`nsd -d -c conf`) serving `zones` on 127.0.0.1."""
    binary = nsd_binary()
    nsd_dir = workdir / "nsd"
    nsd_dir.mkdir(exist_ok=True)

    def argv(port: int) -> list:
        conf = nsd_dir / "nsd.conf"
        conf.write_text(nsd_config(nsd_dir, port, zones))
        return [binary, "-d", "-c", conf]

    probe_name = probe_name or (zones[0].name if zones else ".")
    return start_server("nsd", argv, nsd_dir, probe_name, timeout=timeout)


# --- Knot (a second reference, used to validate the harness's normalisations) ---

def knot_config(workdir: Path, port: int, zones: list[ZoneFile]) -> str:
    """knot.conf for Knot 3.2: one worker of each kind, state inside workdir,
    zone files read once and never written back."""
    lines = [
        "server:",
        f"    listen: {LOOPBACK}@{port}",
        f'    rundir: "{workdir}"',
        "    udp-workers: 1",
        "    tcp-workers: 1",
        "    background-workers: 1",
        "control:",
        f'    listen: "{workdir}/knot.sock"',
        "log:",
        "  - target: stderr",
        "    any: warning",
        "database:",
        f'    storage: "{workdir}"',
        "template:",
        "  - id: default",
        f'    storage: "{workdir}"',
        "    zonefile-sync: -1",
        "    journal-content: none",
        "    semantic-checks: off",
        "zone:",
    ]
    lines += [f'  - domain: "{z.name}"\n    file: "{z.path}"' for z in zones]
    return "\n".join(lines) + "\n"


def start_knot(workdir: Path, zones: list[ZoneFile], probe_name: str | None = None,
               timeout: float = STARTUP_TIMEOUT) -> Server:
    """knotd in the foreground serving `zones` on 127.0.0.1."""
    binary = require_binary(Path(shutil.which("knotd") or "/usr/sbin/knotd"))
    knot_dir = workdir / "knot"
    knot_dir.mkdir(exist_ok=True)

    def argv(port: int) -> list:
        conf = knot_dir / "knot.conf"
        conf.write_text(knot_config(knot_dir, port, zones))
        return [binary, "-c", conf]

    probe_name = probe_name or (zones[0].name if zones else ".")
    return start_server("knot", argv, knot_dir, probe_name, timeout=timeout)


# --- DNS exchanges ---------------------------------------------------------------

def exchange_udp(addr: tuple[str, int], wire: bytes, timeout: float = 1.0,
                 sock: socket.socket | None = None) -> bytes | None:
    """Send one datagram; return the first reply whose ID matches (None on time-out)."""
    own = sock is None
    s = sock or socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.sendto(wire, addr)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            s.settimeout(left)
            try:
                data, src = s.recvfrom(65535)
            except socket.timeout:
                return None
            if src[:2] == addr and (len(wire) < 2 or data[:2] == wire[:2]):
                return data
    finally:
        if own:
            s.close()


def recv_exact(sock: socket.socket, n: int) -> bytes | None:
    """Read exactly n bytes from a TCP socket; None if the peer closed first."""
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def tcp_connect(addr: tuple[str, int], timeout: float = 2.0) -> socket.socket:
    s = socket.create_connection(addr, timeout=timeout)
    s.settimeout(timeout)
    return s


def tcp_recv_message(sock: socket.socket) -> bytes | None:
    """One length-prefixed DNS message (RFC 1035 §4.2.2), or None if the peer closed."""
    head = recv_exact(sock, 2)
    if head is None:
        return None
    return recv_exact(sock, struct.unpack("!H", head)[0])


def exchange_tcp(addr: tuple[str, int], wire: bytes, timeout: float = 2.0,
                 sock: socket.socket | None = None) -> bytes | None:
    """Send one length-prefixed query over TCP and read one reply."""
    own = sock is None
    s = sock or tcp_connect(addr, timeout)
    try:
        s.sendall(struct.pack("!H", len(wire)) + wire)
        return tcp_recv_message(s)
    finally:
        if own:
            s.close()


def tcp_connect_from(source: str, addr: tuple[str, int], timeout: float = 3.0) -> socket.socket:
    """A TCP connection to addr from the given local address (127.0.0.0/8 is all local)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.settimeout(timeout)
        s.bind((source, 0))
        s.connect(addr)
    except OSError:
        s.close()
        raise
    return s


def tcp_replies(sock: socket.socket, quiet: float = 0.5, limit: int = 100) -> list[bytes]:
    """Every message the peer sends until it closes or stays quiet for `quiet` s."""
    replies = []
    old = sock.gettimeout()
    sock.settimeout(quiet)
    try:
        while len(replies) < limit:
            try:
                wire = tcp_recv_message(sock)
            except (socket.timeout, ConnectionResetError):
                break
            if wire is None:
                break
            replies.append(wire)
    finally:
        sock.settimeout(old)
    return replies


@dataclass(frozen=True)
class RawReply:
    """A reply read without dnspython's TSIG validation (which refuses unverifiable error
    replies): header rcode, flags, the (owner, type) of every record outside the question
    except the TSIG, and the TSIG's RDATA (dns.rdtypes.ANY.TSIG) when there is one."""
    rcode: int
    flags: int
    records: tuple[tuple[str, int], ...]
    tsig: object | None
    tsig_offset: int = 0  # where the TSIG RR starts in the wire

    @property
    def tsig_error(self) -> int | None:
        return None if self.tsig is None else self.tsig.error


def raw_reply(wire: bytes) -> RawReply:
    import dns.rdata
    import dns.wire
    p = dns.wire.Parser(wire)
    _, flags, qd, an, ns, ar = p.get_struct("!HHHHHH")
    for _ in range(qd):
        p.get_name()
        p.get_struct("!HH")
    records, tsig, tsig_offset = [], None, 0
    for _ in range(an + ns + ar):
        start = p.current
        name = p.get_name()
        rdtype, rdclass, _, rdlen = p.get_struct("!HHIH")
        if rdtype == dns.rdatatype.TSIG:
            with p.restrict_to(rdlen):
                tsig = dns.rdata.from_wire_parser(rdclass, rdtype, p)
            tsig_offset = start
        else:
            p.get_bytes(rdlen)
            records.append((name.to_text().lower(), rdtype))
    return RawReply(flags & 0x0F, flags, tuple(records), tsig, tsig_offset)


class Client:
    """Sequential DNS client to one server, reusing one UDP socket and one TCP
    connection (reconnecting when the server closes it)."""

    def __init__(self, addr: tuple[str, int], timeout: float = 2.0):
        self.addr = addr
        self.timeout = timeout
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.tcp: socket.socket | None = None

    def close(self) -> None:
        self.udp.close()
        if self.tcp:
            self.tcp.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def ask(self, query: dns.message.Message, transport: str) -> bytes | None:
        """Raw reply bytes for `query` over 'udp' or 'tcp' (None on time-out/close)."""
        wire = query.to_wire()
        if transport == "udp":
            return exchange_udp(self.addr, wire, self.timeout, self.udp)
        for attempt in range(2):
            try:
                if self.tcp is None:
                    self.tcp = tcp_connect(self.addr, self.timeout)
                reply = exchange_tcp(self.addr, wire, self.timeout, self.tcp)
                if reply is not None:
                    return reply
            except OSError:
                if attempt:
                    raise
            self.tcp.close()
            self.tcp = None
        return None


def make_query(qname: str | dns.name.Name, qtype: str | int, edns: bool,
               payload: int = 1232, dnssec_ok: bool = False,
               qclass: str | int = "IN") -> dns.message.Message:
    """A standard query (RD clear, as a resolver sends to an authoritative server)."""
    q = dns.message.make_query(qname, qtype, rdclass=qclass, use_edns=0 if edns else False,
                               payload=payload, want_dnssec=dnssec_ok)
    q.flags &= ~dns.flags.RD
    return q


def parse(wire: bytes) -> dns.message.Message:
    """Parse a reply keeping one RR per RRset, so duplicates stay visible."""
    return dns.message.from_wire(wire, one_rr_per_rrset=True, ignore_trailing=False)


def is_alive(server: Server, qname: str) -> bool:
    """The process runs and answers a valid UDP query."""
    return server.alive() and any(probe(server.addr, qname, 0.5) for _ in range(3))


# --- polling what a server serves --------------------------------------------------

@dataclass(frozen=True)
class Served:
    """What a server answered for (qname, qtype): rcode, AA flag, the answer section's
    RRs as sorted "name ttl class type rdata" lines, and the SOA serial in the
    answer or authority section (None if absent). rcode -1 means no reply."""
    rcode: int
    aa: bool
    answer: tuple[str, ...]
    serial: int | None = None

    @property
    def rdatas(self) -> frozenset[str]:
        """The rdata texts of the answer section (owner, TTL and type left out)."""
        return frozenset(line.split(None, 4)[4] for line in self.answer)

    @property
    def ttls(self) -> frozenset[int]:
        return frozenset(int(line.split(None, 4)[1]) for line in self.answer)


NO_REPLY = Served(-1, False, ())


def served(addr: tuple[str, int], qname: str, qtype: str = "A", timeout: float = 0.5,
           sock: socket.socket | None = None) -> Served:
    """One UDP query (EDNS, RD clear); NO_REPLY on time-out."""
    q = make_query(qname, qtype, edns=True)
    wire = exchange_udp(addr, q.to_wire(), timeout, sock)
    if wire is None:
        return NO_REPLY
    m = dns.message.from_wire(wire)
    lines = []
    for rrset in m.answer:
        lines += [f"{rrset.name} {rrset.ttl} IN {dns.rdatatype.to_text(rrset.rdtype)} "
                  f"{rd.to_text()}" for rd in rrset]
    serial = None
    for rrset in m.answer + m.authority:
        if rrset.rdtype == dns.rdatatype.SOA:
            serial = rrset[0].serial
    return Served(m.rcode(), bool(m.flags & dns.flags.AA), tuple(sorted(lines)), serial)


def wait_served(addr: tuple[str, int], qname: str, qtype: str, predicate,
                timeout: float = 5.0, interval: float = 0.02) -> tuple[float | None, Served]:
    """Query every `interval` s until predicate(Served) holds. Returns (seconds from the
    call to the first reply that satisfied it, or None after `timeout`; last reply)."""
    start = time.monotonic()
    last = NO_REPLY
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        while True:
            asked = time.monotonic()
            last = served(addr, qname, qtype, min(0.5, timeout), s)
            if predicate(last):
                return time.monotonic() - start, last
            if asked - start >= timeout:
                return None, last
            time.sleep(max(0.0, interval - (time.monotonic() - asked)))


# --- reporting ---------------------------------------------------------------------

def terminal_writer(config):
    """A function printing one line on the terminal, past pytest's output capture."""
    terminal = config.pluginmanager.getplugin("terminalreporter")
    capture = config.pluginmanager.getplugin("capturemanager")

    def say(line: str) -> None:
        if terminal is None:
            print(line, file=sys.__stderr__)
            return
        if capture is not None:
            with capture.global_and_fixture_disabled():
                terminal.write_line(line)
        else:
            terminal.write_line(line)
    return say
