#!/usr/bin/env python3
"""Fleet convergence: how long a change takes to reach every secondary, apexd vs Knot as primary.

One NSD 4.6 and one Knot 3.2 secondary get N hosting zones (default 10,000) plus the provider
zone provider.example. from a primary on 127.0.0.1, with one TSIG key (RFC 8945), driven by
the primary's NOTIFY only (SOA refresh 1 h, RFC 1996). The secondaries ask for IXFR and take
the whole zone when the primary answers in the AXFR form (RFC 1995 §4), so a primary with a
journal of differences is measured with it. Each primary gets freshly started secondaries with
empty state; then, with the clock started just before the change command:

  initial   secondaries started empty -> every zone at the primary's serial on both
  apply     C records added in C distinct zones by one command:
              apexd  `apexctl apply FILE` (one transaction, one serial bump per zone)
              knot   one knotc process: zone-begin ZONES, zone-set each, zone-commit ZONES
  separate  C more records in C other zones, one command per change:
              apexd  C x `apexctl record add`      knot  C x knotc (zone-begin/set/commit)
  alias     (apexd only) the address of lb.provider.example. changes; every customer apex is
            an ALIAS to it, so apexd raises the serial of all N zones ([notify]
            alias_serial_interval_s = 1 here) and NOTIFY goes out paced by [notify] rate.
            Knot has no ALIAS: n/a.

Converged = both secondaries answer every changed record (UDP, polled in rounds of at most
one query per pending name and secondary). The customer zones are the same for both primaries
as the secondaries see them: apexd's apex is `ALIAS lb.provider.example.`, flattened into the
same A/AAAA (TTL 300) that Knot's zone files hold as static records. A scenario not converged
after --limit seconds is reported with what is missing, and the run goes on. Per scenario the
output also gives the transfers the Knot secondary took (AXFR or IXFR) and the primary's NOTIFY
accounting: apexd's counters (sent, resends included; acknowledged; given up), read from its
stats line, logged every second here; Knot's NOTIFYs logged as failed.

Both primaries run with their default thread counts; nothing is pinned. Not part of CI. bench/bench_fleet.sh wraps this (environment knobs there).
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import dns.message
import dns.rdatatype

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests" / "system"))
import gen_hosting_data as gen  # noqa: E402
import dnsharness as h  # noqa: E402

LOOPBACK = "127.0.0.1"
PROVIDER = "provider.example."
TARGET = f"lb.{PROVIDER}"
OLD_V4, OLD_V6 = "192.0.2.10", "2001:db8::10"
NEW_V4 = "203.0.113.77"
KEY_NAME = "xfr.fleet.example."
REFRESH = 3600   # SOA refresh: only NOTIFY moves the secondaries during a run

ZONE = """$ORIGIN {zone}
$TTL 3600
@       IN SOA ns1.hostco.example. hostmaster.hostco.example. {serial} {refresh} 1800 1209600 300
        NS      ns1.hostco.example.
        NS      ns2.hostco.example.
{apex}
        MX      10 mail
        TXT     "v=spf1 mx -all"
www     CNAME   @
mail    A       {mail4}
_dmarc  TXT     "v=DMARC1; p=reject"
"""
APEX_STATIC = f"@ 300 A {OLD_V4}\n@ 300 AAAA {OLD_V6}"
APEX_ALIAS = f"@ 300 ALIAS {TARGET}"
PROVIDER_ZONE = f"""$ORIGIN {PROVIDER}
$TTL 3600
@       IN SOA ns1.hostco.example. hostmaster.hostco.example. 1 {REFRESH} 1800 1209600 300
        NS      ns1.hostco.example.
        NS      ns2.hostco.example.
lb  300 A       {OLD_V4}
lb  300 AAAA    {OLD_V6}
"""


def log(msg: str) -> None:
    print(msg, flush=True)


def zone_name(i: int) -> str:
    return gen.small_zone_name(i)


# --- data ---------------------------------------------------------------------------------

def write_zones(out: Path, zones: int, apex: str) -> None:
    """N customer zones (apex as given) and the provider zone, one master file each."""
    shutil.rmtree(out, ignore_errors=True)
    (out / "customers").mkdir(parents=True)
    for i in range(1, zones + 1):
        z = zone_name(i)
        (out / "customers" / f"{z}zone").write_text(ZONE.format(
            zone=z, serial=2024000000 + i, refresh=REFRESH, apex=apex, mail4=gen.v4(i + 7)))
    (out / f"{PROVIDER}zone").write_text(PROVIDER_ZONE)


def prepare_data(workdir: Path, zones: int) -> tuple[Path, Path]:
    """(apexd's files with ALIAS apexes, Knot's with static apexes); reused when N matches."""
    stamp = workdir / "data.stamp"
    apex_dir, knot_dir = workdir / "data-apexd", workdir / "data-knot"
    if not (stamp.exists() and stamp.read_text() == f"{zones} v1"):
        t = time.monotonic()
        write_zones(apex_dir, zones, APEX_ALIAS)
        write_zones(knot_dir, zones, APEX_STATIC)
        stamp.write_text(f"{zones} v1")
        log(f"wrote {zones} zones twice in {time.monotonic() - t:.1f} s")
    return apex_dir, knot_dir


# --- processes ------------------------------------------------------------------------------

@dataclass
class Proc:
    label: str
    proc: subprocess.Popen
    port: int
    log_path: Path

    @property
    def addr(self) -> tuple[str, int]:
        return (LOOPBACK, self.port)

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            raise RuntimeError(f"{self.label} exited with {self.proc.returncode}:\n"
                               f"{self.log_path.read_text(errors='replace')[-3000:]}")


RUNNING: list[Proc] = []


def start(label: str, argv: list, workdir: Path, port: int, probe: str) -> Proc:
    """Spawns a server in its own process group; ready once it answers a query."""
    p = Proc(label, h.spawn(argv, workdir / f"{label}.log", workdir), port,
             workdir / f"{label}.log")
    RUNNING.append(p)
    deadline = time.monotonic() + 120
    while not h.probe(p.addr, probe, 0.2):
        p.check_alive()
        if time.monotonic() > deadline:
            raise RuntimeError(f"{label} does not answer on port {port}")
        time.sleep(0.05)
    return p


def stop(p: Proc) -> None:
    h.stop_process(p.proc, timeout=20)
    if p in RUNNING:
        RUNNING.remove(p)


def run(argv: list, stdin: str | None = None, timeout: float = 600) -> str:
    res = subprocess.run([str(a) for a in argv], input=stdin, capture_output=True, text=True,
                         timeout=timeout, stdin=None if stdin is not None else subprocess.DEVNULL)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv[:4]))} … -> {res.returncode}: "
                           f"{res.stdout[-2000:]}{res.stderr[-2000:]}")
    return res.stdout


def distinct_ports(n: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < n:
        p = h.free_port()
        if p not in ports:
            ports.append(p)
    return ports


# --- secondaries ----------------------------------------------------------------------------

def nsd_secondary(workdir: Path, port: int, primary_port: int, secret: str,
                  zones: list[str]) -> list:
    """NSD asks for IXFR (its default; an AXFR-form answer is taken whole), takes NOTIFY
    signed by the key from 127.0.0.1, keeps zones in memory only (no zone file writes)."""
    d = workdir
    lines = [
        "server:", f"    ip-address: {LOOPBACK}", f"    port: {port}", "    do-ip6: no",
        "    server-count: 1", "    reuseport: no", f'    zonesdir: "{d}"', '    database: ""',
        f'    zonelistfile: "{d}/zone.list"', f'    xfrdfile: "{d}/xfrd.state"',
        f'    xfrdir: "{d}"', f'    pidfile: "{d}/nsd.pid"', '    username: ""',
        '    chroot: ""', "    verbosity: 1", "    zonefiles-check: no",
        "    zonefiles-write: 0", "    rrl-ratelimit: 0", "    rrl-whitelist-ratelimit: 0",
        "remote-control:", "    control-enable: no",
        "key:", f'    name: "{KEY_NAME}"', "    algorithm: hmac-sha256", f'    secret: "{secret}"',
    ]
    for z in zones:
        lines += ["zone:", f'    name: "{z}"', f'    zonefile: "{d}/{z}zone"',
                  f"    request-xfr: {LOOPBACK}@{primary_port} {KEY_NAME}",
                  f"    allow-notify: {LOOPBACK} {KEY_NAME}"]
    conf = d / "nsd.conf"
    conf.write_text("\n".join(lines) + "\n")
    return ["nsd", "-d", "-c", conf]


def knot_secondary(workdir: Path, port: int, primary_port: int, secret: str,
                   zones: list[str]) -> list:
    """Knot with the primary as master, NOTIFY accepted signed from 127.0.0.1, default
    worker counts, no zone file written back (zonefile-sync -1); transfers logged at info."""
    d = workdir
    lines = [
        "server:", f"    listen: {LOOPBACK}@{port}", f'    rundir: "{d}"',
        "control:", f'    listen: "{d}/knot.sock"',
        "log:", "  - target: stderr", "    any: info",
        "database:", f'    storage: "{d}"',
        "key:", f"  - id: {KEY_NAME}", "    algorithm: hmac-sha256", f"    secret: {secret}",
        "remote:", "  - id: primary", f"    address: {LOOPBACK}@{primary_port}",
        f"    key: {KEY_NAME}",
        "acl:", "  - id: notify_from_primary", f"    address: {LOOPBACK}",
        f"    key: {KEY_NAME}", "    action: notify",
        "template:", "  - id: default", f'    storage: "{d}"', "    master: primary",
        "    acl: notify_from_primary", "    semantic-checks: off", "    zonefile-sync: -1",
        "zone:",
    ]
    lines += [f'  - domain: "{z}"' for z in zones]
    conf = d / "knot.conf"
    conf.write_text("\n".join(lines) + "\n")
    return ["knotd", "-c", conf]


def knot_transfer_counts(log_path: Path, offset: int) -> tuple[str, int]:
    """'AXFR a, IXFR i' transfers the Knot secondary finished since byte offset of its log."""
    with open(log_path, "rb") as f:
        f.seek(offset)
        text = f.read().decode(errors="replace")
    axfr = sum(1 for line in text.splitlines() if "AXFR, incoming" in line and "finished" in line)
    ixfr = sum(1 for line in text.splitlines() if "IXFR, incoming" in line and "finished" in line)
    return f"Knot secondary: {axfr} AXFR, {ixfr} IXFR", log_path.stat().st_size


# --- convergence polling --------------------------------------------------------------------

@dataclass(frozen=True)
class Want:
    """A name whose answer must carry `rdata` (text) of `rdtype`; `needle` is the wire form
    looked for first (cheap), a full parse confirms a hit."""
    qname: str
    rdtype: str
    rdata: str
    needle: bytes


def want_a(qname: str, address: str) -> Want:
    return Want(qname, "A", address, b"\x00\x04" + socket.inet_aton(address))


def want_serial(zone: str, serial: int) -> Want:
    # The SOA RDATA ends serial, refresh, retry, expire, minimum (RFC 1035 §3.3.13).
    return Want(zone, "SOA", str(serial), serial.to_bytes(4, "big") + REFRESH.to_bytes(4, "big"))


def confirmed(wire: bytes, want: Want) -> bool:
    try:
        m = dns.message.from_wire(wire)
    except Exception:  # noqa: BLE001 - a malformed reply is just not an answer yet
        return False
    rdtype = dns.rdatatype.from_text(want.rdtype)
    for rrset in m.answer:
        if rrset.rdtype != rdtype:
            continue
        for rd in rrset:
            if (rdtype == dns.rdatatype.SOA and str(rd.serial) == want.rdata) or \
                    rd.to_text() == want.rdata:
                return True
    return False


class Poller:
    """Asks each server for each pending Want over UDP in paced windows, and records when
    each was first answered as wanted. IDs are the Want's index, so replies match
    without state per query; a lost query or reply just leaves the Want for the next round."""
    WINDOW = 200        # queries in flight per server
    ROUND_MIN = 0.1     # seconds: a round of queries starts at most this often

    def __init__(self, servers: dict[str, tuple[str, int]], wants: list[Want]):
        assert len(wants) <= 65536
        self.servers, self.wants = servers, wants
        self.wires = []
        for i, w in enumerate(wants):
            q = dns.message.make_query(w.qname, w.rdtype)
            q.flags = 0
            wire = bytearray(q.to_wire())
            wire[0:2] = i.to_bytes(2, "big")
            self.wires.append(bytes(wire))
        self.done = {s: {} for s in servers}
        self.pending = {s: set(range(len(wants))) for s in servers}

    def _round(self, name: str, sock: socket.socket) -> None:
        addr, pending = self.servers[name], self.pending[name]
        todo = sorted(pending)
        in_flight = 0
        last_reply = time.monotonic()
        while todo or in_flight:
            while todo and in_flight < self.WINDOW:
                try:
                    sock.sendto(self.wires[todo.pop()], addr)
                    in_flight += 1
                except BlockingIOError:
                    break
            ready, _, _ = select.select([sock], [], [], 0.05)
            if not ready:
                if time.monotonic() - last_reply > 0.3:   # the rest were lost
                    return
                if not todo:
                    continue
                in_flight = max(0, in_flight - self.WINDOW // 4)  # let more go
                continue
            while True:
                try:
                    wire = sock.recv(65535)
                except BlockingIOError:
                    break
                last_reply = time.monotonic()
                in_flight = max(0, in_flight - 1)
                if len(wire) < 12:
                    continue
                i = int.from_bytes(wire[0:2], "big")
                if i not in pending or i >= len(self.wants):
                    continue
                w = self.wants[i]
                if w.needle in wire[12:] and confirmed(wire, w):
                    self.done[name][i] = last_reply
                    pending.discard(i)

    def run(self, t0: float, limit: float, alive=lambda: None) -> dict[str, float | None]:
        """Seconds from t0 until each server answered every Want, None for a server that
        had not after `limit` seconds (self.pending says what it lacks)."""
        socks = {}
        for name in self.servers:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
            s.setblocking(False)
            socks[name] = s
        try:
            while any(self.pending.values()) and time.monotonic() - t0 <= limit:
                started = time.monotonic()
                alive()
                for name, sock in socks.items():
                    if self.pending[name]:
                        self._round(name, sock)
                time.sleep(max(0.0, self.ROUND_MIN - (time.monotonic() - started)))
        finally:
            for s in socks.values():
                s.close()
        return {n: (max(self.done[n].values()) - t0 if self.done[n] else 0.0)
                if not self.pending[n] else None for n in self.servers}

    def missing(self) -> str:
        """What each server still lacks, e.g. "nsd: 3 (cust00614.example. …)"."""
        return "; ".join(f"{n}: {len(p)} ({', '.join(self.wants[i].qname for i in sorted(p)[:3])}"
                         f"{' …' if len(p) > 3 else ''})" for n, p in self.pending.items() if p)


def serving(label: str, addr: tuple[str, int], wants: list[Want], limit: float = 300) -> None:
    """Returns once addr answers every Want; raises after limit seconds."""
    poller = Poller({label: addr}, wants)
    if poller.run(time.monotonic(), limit)[label] is None:
        raise RuntimeError(f"{label} does not serve its zones after {limit:.0f} s: "
                           f"{poller.missing()}")


def serials(addr: tuple[str, int], zones: list[str]) -> dict[str, int]:
    """The SOA serial addr serves for each zone (one UDP query each, retried)."""
    out: dict[str, int] = {}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for z in zones:
            for _ in range(5):
                got = h.served(addr, z, "SOA", timeout=0.5, sock=s)
                if got.rcode == 0 and got.serial is not None:
                    out[z] = got.serial
                    break
            else:
                raise RuntimeError(f"{addr} does not serve {z}: {got}")
    return out


# --- primaries ------------------------------------------------------------------------------

class Primary:
    label = ""
    apply_how = ""
    separate_how = ""

    def __init__(self, workdir: Path, data: Path, zones: list[str], secret: str, build: Path,
                 ports: dict[str, int], rate: int):
        self.workdir, self.data, self.zones, self.secret = workdir, data, zones, secret
        self.build, self.ports, self.rate = build, ports, rate
        self.proc: Proc | None = None

    def start(self) -> None:
        raise NotImplementedError

    def apply(self, changes: list[tuple[str, str, str]]) -> None:
        raise NotImplementedError

    def separate(self, changes: list[tuple[str, str, str]]) -> None:
        raise NotImplementedError

    def change_alias_target(self, address: str) -> None:
        raise NotImplementedError

    def settled(self) -> None:
        """Returns once the primary has nothing queued from its own startup."""

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None

    def notify_mark(self):
        """Where the primary's NOTIFY accounting stands now (for notify_since)."""
        return None

    def notify_since(self, mark) -> tuple[str, object]:
        """What the primary's NOTIFY did since mark, and a new mark."""
        return "", mark


class Apexd(Primary):
    label = "apexd"
    apply_how = "one `apexctl apply FILE` (one transaction)"
    separate_how = "one `apexctl record add` per change"

    def start(self) -> None:
        self.apexctl = self.build / "admin" / "apexctl"
        self.db = self.workdir / "apex.db"
        t = time.monotonic()
        run([self.apexctl, "--db", self.db, "init"])
        run([self.apexctl, "--db", self.db, "zone", "import", self.data / f"{PROVIDER}zone",
             "--provider"])
        run([self.apexctl, "--db", self.db, "zone", "import", self.data / "customers"])
        run([self.apexctl, "--db", self.db, "tsig", "add", KEY_NAME, "--algorithm",
             "hmac-sha256", "--secret", self.secret])
        for sec in ("nsd", "knot-sec"):
            run([self.apexctl, "--db", self.db, "secondary", "add",
                 f"{LOOPBACK}:{self.ports[sec]}", "--key", KEY_NAME])
        log(f"   apexctl import of {len(self.zones)} zones + tsig + secondaries: "
            f"{time.monotonic() - t:.1f} s")
        conf = self.workdir / "apexd.toml"
        conf.write_text(f"[server]\nstats_interval_s = 1\n[notify]\nrate = {self.rate}\n"
                        "alias_serial_interval_s = 1\n")
        # No upstream resolver: every ALIAS target is in the provider zone.
        argv = [self.build / "server" / "apexd", "--db", self.db, "--config", conf,
                "--listen", f"{LOOPBACK}:{self.ports['primary']}", "--resolver",
                f"{LOOPBACK}:9"]
        self.proc = start("apexd", argv, self.workdir, self.ports["primary"], PROVIDER)
        # Every apex flattened before the secondaries come.
        serving("apexd", self.proc.addr, [want_a(z, OLD_V4) for z in self.zones
                                          if z != PROVIDER])

    def settled(self) -> None:
        # apexd NOTIFYs every zone to every secondary at startup, paced by [notify] rate, and
        # resends those that went out before the secondaries listened: wait until each of
        # those is acknowledged or given up, so that no scenario queues behind them.
        start, tasks = time.monotonic(), 2 * len(self.zones)
        while True:
            _, _, acked, given_up = self._counters()
            if acked + given_up >= tasks:
                break
            if time.monotonic() - start > 600:
                raise RuntimeError(f"apexd's startup NOTIFYs not done: {acked} acknowledged, "
                                   f"{given_up} given up of {tasks}")
            time.sleep(1)
        log(f"   apexd's startup NOTIFYs done after another {time.monotonic() - start:.0f} s")

    def _counters(self) -> tuple[int, int, int, int]:
        # The last stats line (every second here): "... N zone transfers (R refused),
        # NOTIFY a sent/b acknowledged/c unanswered, ...", counted since the start.
        counts = (0, 0, 0, 0)
        for line in self.proc.log_path.read_text(errors="replace").splitlines():
            if "stats:" in line and "NOTIFY " in line:
                xfr = int(line.split(" zone transfers", 1)[0].rsplit(" ", 1)[1])
                sent, acked, lost = line.split("NOTIFY ", 1)[1].split(",", 1)[0].split("/")[:3]
                counts = (xfr, int(sent.split()[0]), int(acked.split()[0]),
                          int(lost.split()[0]))
        return counts

    def notify_mark(self):
        return self._counters()

    def notify_since(self, mark) -> tuple[str, object]:
        time.sleep(1.1)   # the next stats line
        now = self._counters()
        return (f"{now[0] - mark[0]} transfers, NOTIFY {now[1] - mark[1]} sent (resends "
                f"included), {now[2] - mark[2]} acknowledged, {now[3] - mark[3]} given up"), now

    def apply(self, changes) -> None:
        path = self.workdir / "apply.txt"
        path.write_text("".join(f"record add {owner} A {addr}\n" for _, owner, addr in changes))
        run([self.apexctl, "--db", self.db, "--actor", "bench", "apply", path])

    def separate(self, changes) -> None:
        for _, owner, addr in changes:
            run([self.apexctl, "--db", self.db, "--actor", "bench", "record", "add", owner, "A",
                 addr])

    def change_alias_target(self, address: str) -> None:
        run([self.apexctl, "--db", self.db, "--actor", "bench", "record", "set", TARGET, "A",
             address])


class Knot(Primary):
    label = "knot"
    apply_how = "one knotc process: zone-begin ZONES, zone-set each, zone-commit ZONES"
    separate_how = "one knotc process (zone-begin, zone-set, zone-commit) per change"

    def start(self) -> None:
        d = self.workdir
        self.sock = d / "knot.sock"
        lines = [
            "server:", f"    listen: {LOOPBACK}@{self.ports['primary']}", f'    rundir: "{d}"',
            "control:", f'    listen: "{self.sock}"',
            "log:", "  - target: stderr", "    any: warning",
            "database:", f'    storage: "{d}"',
            "key:", f"  - id: {KEY_NAME}", "    algorithm: hmac-sha256",
            f"    secret: {self.secret}",
            "remote:",
            "  - id: nsd", f"    address: {LOOPBACK}@{self.ports['nsd']}", f"    key: {KEY_NAME}",
            "  - id: knot-sec", f"    address: {LOOPBACK}@{self.ports['knot-sec']}",
            f"    key: {KEY_NAME}",
            "acl:", "  - id: transfer", f"    address: {LOOPBACK}", f"    key: {KEY_NAME}",
            "    action: transfer",
            "template:", "  - id: default", f'    storage: "{self.data}/customers"',
            "    notify: [nsd, knot-sec]", "    acl: transfer", "    semantic-checks: off",
            "    serial-policy: increment", "    zonefile-sync: -1",
            "zone:",
            f'  - domain: "{PROVIDER}"', f'    file: "{self.data}/{PROVIDER}zone"',
        ]
        lines += [f'  - domain: "{z}"' for z in self.zones if z != PROVIDER]
        (d / "knot.conf").write_text("\n".join(lines) + "\n")
        self.proc = start("knot", ["knotd", "-c", d / "knot.conf"], d, self.ports["primary"],
                          PROVIDER)
        # Knot answers SERVFAIL for a zone not loaded yet: wait for the last ones.
        serving("knot", self.proc.addr, [want_a(z, OLD_V4) for z in self.zones
                                         if z != PROVIDER])

    def _knotc(self, script: str) -> None:
        out = run(["knotc", "-s", self.sock], stdin=script)
        if "error" in out.lower():
            raise RuntimeError(f"knotc: {out[-2000:]}")

    @staticmethod
    def _txn(zone: str, owner: str, addr: str) -> str:
        return f"zone-begin {zone}\nzone-set {zone} {owner} 3600 A {addr}\nzone-commit {zone}\n"

    def apply(self, changes) -> None:
        # One transaction over all the zones (knotc takes a zone list), as close to one
        # apexctl apply as Knot comes: each zone still commits on its own.
        zones = " ".join(zone for zone, _, _ in changes)
        self._knotc(f"zone-begin {zones}\n"
                    + "".join(f"zone-set {z} {o} 3600 A {a}\n" for z, o, a in changes)
                    + f"zone-commit {zones}\n")

    def separate(self, changes) -> None:
        for c in changes:
            self._knotc(self._txn(*c))

    def settled(self) -> None:
        time.sleep(2)

    def notify_mark(self):
        return self.proc.log_path.stat().st_size

    def notify_since(self, mark) -> tuple[str, object]:
        # Knot 3.2 logs failed outgoing NOTIFYs at warning; it replans one only after the
        # zone's retry interval (the SOA retry, 1800 s here).
        with open(self.proc.log_path, "rb") as f:
            f.seek(mark)
            text = f.read().decode(errors="replace")
        failed = sum(1 for line in text.splitlines()
                     if "notify, outgoing" in line and "failed" in line)
        return f"{failed} NOTIFYs failed", mark + len(text.encode())


# --- one primary's run ----------------------------------------------------------------------

def measure(label: str, secs: dict[str, Proc], wants: list[Want], change, limit: float,
            marks: dict) -> float | str:
    """Runs change() in a thread while polling: seconds until both secondaries serve every
    Want, or, when one does not within limit, a text saying so."""
    took = [0.0]
    failed: list[BaseException] = []

    def do_change():
        t = time.monotonic()
        try:
            change()
        except BaseException as e:  # noqa: BLE001 - re-raised in the polling thread
            failed.append(e)
        took[0] = time.monotonic() - t

    def alive():
        if failed:
            raise failed[0]
        for p in secs.values():
            p.check_alive()

    poller = Poller({n: p.addr for n, p in secs.items()}, wants)
    t0 = time.monotonic()
    worker = threading.Thread(target=do_change)
    worker.start()
    try:
        per = poller.run(t0, limit, alive)
    finally:
        worker.join()
    if failed:
        raise failed[0]
    counts, marks["knot_log"] = knot_transfer_counts(secs["knot-sec"].log_path,
                                                     marks["knot_log"])
    notify, marks["notify"] = marks["primary"].notify_since(marks["notify"])

    def text(v: float | None) -> str:
        return f"{v:.2f} s" if v is not None else f"not after {limit:.0f} s"

    converged = all(v is not None for v in per.values())
    head = (f"converged in {max(per.values()):.2f} s" if converged
            else f"NOT converged after {limit:.0f} s, missing {poller.missing()}")
    log(f"   {label}: {head} (NSD {text(per['nsd'])}, Knot {text(per['knot-sec'])}; change "
        f"command {took[0]:.2f} s; {counts}; primary: {notify})")
    if converged:
        return max(per.values())
    return f">{limit:.0f} ({sum(len(p) for p in poller.pending.values())} missing)"


def run_primary(kind: str, args, data: Path, zones: list[str], secret: str,
                changes: dict[str, list]) -> dict[str, float | str | None]:
    workdir = args.dir / kind
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    ports = dict(zip(("primary", "nsd", "knot-sec"), distinct_ports(3)))
    cls = Apexd if kind == "apexd" else Knot
    primary = cls(workdir, data, zones, secret, args.build, ports, args.notify_rate)
    results: dict[str, float | str | None] = {}
    secs: dict[str, Proc] = {}
    try:
        log(f"== {kind} as primary (port {ports['primary']}), NSD on {ports['nsd']}, "
            f"Knot on {ports['knot-sec']}")
        primary.start()
        expected = serials(primary.proc.addr, zones)
        for name, make in (("nsd", nsd_secondary), ("knot-sec", knot_secondary)):
            d = workdir / name
            d.mkdir()
            argv = make(d, ports[name], ports["primary"], secret, zones)
            secs[name] = Proc(name, h.spawn(argv, d / f"{name}.log", d), ports[name],
                              d / f"{name}.log")
            RUNNING.append(secs[name])
        marks = {"primary": primary, "knot_log": 0, "notify": primary.notify_mark()}
        wants = [want_serial(z, expected[z]) for z in zones]
        results["initial"] = measure(
            "initial transfer of every zone", secs, wants, lambda: None, args.limit, marks)
        primary.settled()
        now = serials(primary.proc.addr, zones)
        moved = [z for z in zones if now[z] != expected[z]]
        if moved:   # e.g. a serial raised after startup: let the fleet catch up, untimed
            log(f"   {len(moved)} serials moved after startup; waiting for the fleet")
            measure("catch-up", secs, [want_serial(z, now[z]) for z in moved], lambda: None,
                    args.limit, marks)

        batch, single = changes["apply"], changes["separate"]
        results["apply"] = measure(
            f"apply ({primary.apply_how})", secs, [want_a(o, a) for _, o, a in batch],
            lambda: primary.apply(batch), args.limit, marks)
        if single:
            results["separate"] = measure(
                f"separate ({primary.separate_how})", secs,
                [want_a(o, a) for _, o, a in single], lambda: primary.separate(single),
                args.limit, marks)
        if kind == "apexd":
            time.sleep(1.5)   # past the ALIAS serial damping interval (1 s) of any earlier bump
            results["alias"] = measure(
                f"alias target change ({len(zones) - 1} apexes, [notify] rate "
                f"{args.notify_rate})", secs,
                [want_a(z, NEW_V4) for z in zones if z != PROVIDER],
                lambda: primary.change_alias_target(NEW_V4), args.limit, marks)
        else:
            results["alias"] = None
    finally:
        for p in secs.values():
            stop(p)
        primary.stop()
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--zones", type=int, default=10000)
    ap.add_argument("--changes", type=int, default=1000)
    ap.add_argument("--separate", type=int, default=1,
                    help="1: also measure one command per change")
    ap.add_argument("--primaries", default="apexd,knot")
    ap.add_argument("--notify-rate", type=int, default=1000,
                    help="apexd's [notify] rate (its default is 1000)")
    ap.add_argument("--limit", type=float, default=120,
                    help="seconds a scenario may take before it counts as not converged")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/apexdns-bench-fleet"))
    ap.add_argument("--build", type=Path,
                    default=Path(os.environ.get("APEX_BUILD_DIR", REPO / "build")))
    args = ap.parse_args()
    if 2 * args.changes > args.zones:
        raise SystemExit("--changes: at most half of --zones (each change has its own zone)")

    args.dir.mkdir(parents=True, exist_ok=True)
    apex_data, knot_data = prepare_data(args.dir, args.zones)
    zones = [zone_name(i) for i in range(1, args.zones + 1)] + [PROVIDER]
    secret = base64.b64encode(os.urandom(32)).decode()
    rng = random.Random(11)
    picked = rng.sample(range(1, args.zones + 1), 2 * args.changes)

    def change_list(kind: str, ids: list[int]) -> list[tuple[str, str, str]]:
        return [(zone_name(z), f"{kind}-{n}.{zone_name(z)}", f"198.51.100.{n % 250 + 1}")
                for n, z in enumerate(ids)]

    changes = {"apply": change_list("batch", picked[:args.changes]),
               "separate": change_list("one", picked[args.changes:])
               if args.separate else []}
    results = {}
    for kind in args.primaries.split(","):
        data = apex_data if kind == "apexd" else knot_data
        results[kind] = run_primary(kind, args, data, zones, secret, changes)

    rows = [("initial", f"initial transfer, {len(zones)} zones, 2 empty secondaries"),
            ("apply", f"{args.changes} records in {args.changes} zones, one command"),
            ("separate", f"{args.changes} records in {args.changes} zones, one command each"),
            ("alias", f"ALIAS target change, {args.zones} apexes")]
    log("")
    log(f"seconds until NSD 4.6 and Knot 3.2 secondaries both serve the change "
        f"(apexd [notify] rate {args.notify_rate}, alias_serial_interval_s 1)")
    log(f"{'scenario':58s} {'apexd':>16s} {'knot':>16s} {'apexd/knot':>10s}")

    def cell(kind: str, key: str) -> str:
        v = results.get(kind, {}).get(key)
        if isinstance(v, float):
            return f"{v:16.2f}"
        return f"{v or 'n/a':>16s}"

    for key, title in rows:
        if all(key not in r for r in results.values()):
            continue
        a = results.get("apexd", {}).get(key)
        k = results.get("knot", {}).get(key)
        both = isinstance(a, float) and isinstance(k, float) and k > 0
        ratio = f"{a / k:10.2f}" if both else f"{'n/a':>10s}"
        log(f"{title:58s} {cell('apexd', key)} {cell('knot', key)} {ratio}")
    log("apply: apexd `apexctl apply FILE`; Knot one knotc process: zone-begin ZONES, "
        "zone-set per record, zone-commit ZONES")
    log("separate: apexd `apexctl record add` per change; Knot one knotc process per change")
    return 0


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)   # unwinds through the finally below


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        sys.exit(main())
    finally:
        for p in list(RUNNING):
            stop(p)
