#!/usr/bin/env python3
"""Driver of bench_dnssec_alias.sh: writes the data set, waits until every signed zone serves
the shared ALIAS target's address, and measures one change of that address: when each zone
answers the new address signed, what answering cost meanwhile (dnsperf before and during),
the signatures made, and apexd's memory."""
from __future__ import annotations

import argparse
import math
import os
import random
import re
import select
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROVIDER = "provider.test."
TARGET = f"lb.{PROVIDER}"
TYPE_A = 1
TYPE_RRSIG = 46
WINDOW = 200          # queries in flight while polling
QUERY_TIMEOUT = 0.1   # seconds before a poll query counts as unanswered (asked again next sweep)


def zone_name(i: int) -> str:
    return f"cust{i:05d}.example."


CUSTOMER_ZONE = """$ORIGIN {zone}
$TTL 3600
@       IN SOA ns1.hostco.example. hostmaster.hostco.example. 1 7200 1800 1209600 300
        NS      ns1.hostco.example.
        NS      ns2.hostco.example.
@   300 ALIAS   {target}
        MX      10 mail
        TXT     "v=spf1 mx -all"
www     CNAME   @
mail    A       198.51.100.{mail}
"""

PROVIDER_ZONE = f"""$ORIGIN {PROVIDER}
$TTL 3600
@       IN SOA ns1.hostco.example. hostmaster.hostco.example. 1 7200 1800 1209600 300
        NS      ns1.hostco.example.
lb  300 A       {{address}}
"""


def cmd_gen(args: argparse.Namespace) -> None:
    """N signed-to-be customer zones with an apex ALIAS to TARGET, the provider zone, and a
    dnsperf query list: the apexes (A, the flattened answer), www (CNAME to the apex), the
    mail host, a NODATA (AAAA at the apex: the target has no AAAA) and an NXDOMAIN."""
    out = Path(args.out)
    (out / "customers").mkdir(parents=True, exist_ok=True)
    (out / "provider").mkdir(parents=True, exist_ok=True)
    for i in range(args.zones):
        (out / "customers" / f"{zone_name(i)}zone").write_text(
            CUSTOMER_ZONE.format(zone=zone_name(i), target=TARGET, mail=1 + i % 250))
    (out / "provider" / f"{PROVIDER}zone").write_text(PROVIDER_ZONE.format(address=args.address))
    lines = []
    for i in range(args.zones):
        z = zone_name(i)
        lines += [f"{z} A", f"{z} A", f"www.{z} A", f"mail.{z} A", f"{z} AAAA", f"nx.{z} A"]
    random.Random(1).shuffle(lines)
    (out / "queries.txt").write_text("\n".join(lines) + "\n")


# --- a minimal DNS client, fast enough to poll every zone several times a second ----------

def encode_name(name: str) -> bytes:
    return b"".join(bytes([len(p)]) + p.encode() for p in name.rstrip(".").split(".")) + b"\0"


def query(qname: str, qid: int) -> bytes:
    """An A query with EDNS (RFC 6891), 1232-octet buffer, DO=1 (RFC 3225)."""
    opt = b"\0" + struct.pack(">HHBBHH", 41, 1232, 0, 0, 0x8000, 0)
    return struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 1) + encode_name(qname) + \
        struct.pack(">HH", TYPE_A, 1) + opt


def skip_name(msg: bytes, pos: int) -> int:
    while True:
        n = msg[pos]
        if n & 0xC0 == 0xC0:
            return pos + 2
        if n == 0:
            return pos + 1
        pos += 1 + n


def signed_address(msg: bytes) -> str | None:
    """The first A address of a NOERROR answer that also carries an RRSIG covering A; None
    for anything else (an unsigned A, SERVFAIL, no answer)."""
    if len(msg) < 12 or msg[3] & 0x0F != 0:
        return None
    qd, an = struct.unpack(">HH", msg[4:8])
    pos = 12
    for _ in range(qd):
        pos = skip_name(msg, pos) + 4
    address, signed = None, False
    for _ in range(an):
        pos = skip_name(msg, pos)
        rtype, _, _, rdlen = struct.unpack(">HHIH", msg[pos:pos + 10])
        pos += 10
        if rtype == TYPE_A and rdlen == 4 and address is None:
            address = ".".join(str(b) for b in msg[pos:pos + 4])
        elif rtype == TYPE_RRSIG and rdlen >= 2 and struct.unpack(">H", msg[pos:pos + 2])[0] == TYPE_A:
            signed = True
        pos += rdlen
    return address if signed else None


class Poller:
    """Queries a set of zones' apex A (DO=1) with WINDOW queries in flight; the query ID is
    the zone's index, so one sweep asks each zone at most once."""

    def __init__(self, port: int) -> None:
        self.addr = ("127.0.0.1", port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.setblocking(False)
        self.sent = 0
        self.unanswered = 0

    def sweep(self, zones: list[int]) -> dict[int, tuple[str | None, float]]:
        """zone index -> (signed address or None, time answered) for each zone answered."""
        results: dict[int, tuple[str | None, float]] = {}
        todo = list(reversed(zones))
        inflight: dict[int, float] = {}
        while todo or inflight:
            while todo and len(inflight) < WINDOW:
                i = todo.pop()
                try:
                    self.sock.sendto(query(zone_name(i), i), self.addr)
                except BlockingIOError:
                    todo.append(i)
                    break
                inflight[i] = time.monotonic()
                self.sent += 1
            ready, _, _ = select.select([self.sock], [], [], 0.05)
            now = time.monotonic()
            while ready:
                try:
                    msg = self.sock.recv(4096)
                except BlockingIOError:
                    break
                if len(msg) < 12:
                    continue
                i = struct.unpack(">H", msg[:2])[0]
                if i in inflight:
                    del inflight[i]
                    results[i] = (signed_address(msg), now)
            for i, sent in list(inflight.items()):
                if now - sent > QUERY_TIMEOUT:
                    del inflight[i]
                    self.unanswered += 1
        return results


def wait_all(poller: Poller, zones: int, address: str, timeout: float) -> float:
    """Sweeps until every zone answers ADDRESS signed; returns the seconds it took."""
    start = time.monotonic()
    left = list(range(zones))
    while left:
        got = poller.sweep(left)
        left = [i for i in left if got.get(i, (None, 0))[0] != address]
        if left and time.monotonic() - start > timeout:
            sys.exit(f"bench: {len(left)} of {zones} zones do not answer {address} signed "
                     f"after {timeout:.0f} s (e.g. {zone_name(left[0])})")
        if left:
            time.sleep(0.05)
    return time.monotonic() - start


def cmd_startup(args: argparse.Namespace) -> None:
    """After apexd's start: how many zones come to answer the target's address signed within
    --settle seconds. The rest are reported, not waited for: the warm-up change of
    `measure` brings every zone to the next address."""
    poller = Poller(args.port)
    start = time.monotonic()
    left = list(range(args.zones))
    got: dict[int, tuple[str | None, float]] = {}
    while left and time.monotonic() - start < args.settle:
        got = poller.sweep(left)
        left = [i for i in left if got.get(i, (None, 0))[0] != args.address]
        if left:
            time.sleep(0.2)
    if not left:
        print(f"  every one of {args.zones} zones answers {args.address} with an RRSIG "
              f"({time.monotonic() - start:.1f} s of polling)")
        return
    print(f"  STARTUP: {len(left)} of {args.zones} zones still answer their apex A without "
          f"{args.address} {args.settle:.0f} s after apexd answered (first: "
          f"{', '.join(zone_name(i) for i in left[:3])}); `dig +dnssec` one of them")


def warm_up(args: argparse.Namespace, poller: Poller) -> None:
    """START -> OLD, unmeasured: every zone serves OLD signed and has its signatures stored,
    as before any later change."""
    # Not at once: a change the flattener publishes before apexd's first served-address
    # comparison (250 ms after start) is taken as the baseline and never reaches the signed
    # zones (seen with the change made 0.2 s after the first answer: 10,000 of 10,000 zones
    # kept the old address for 300 s).
    time.sleep(3)
    set_target(args, args.old)
    took = wait_all(poller, args.zones, args.old, args.timeout)
    print(f"  warm-up change {args.start} -> {args.old}: every one of {args.zones} zones "
          f"answers {args.old} with an RRSIG after {took:.1f} s of polling")


def set_target(args: argparse.Namespace, address: str) -> None:
    ctl = subprocess.run([args.apexctl, "--db", args.db, "record", "set", TARGET, "A", address,
                          "--ttl", "300"], capture_output=True, text=True)
    if ctl.returncode != 0:
        sys.exit("bench: apexctl record set failed: " + ctl.stderr)


# --- measurement --------------------------------------------------------------------------

def signatures_total(metrics_port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5) as r:
        for line in r.read().decode().splitlines():
            if line.startswith("apexd_dnssec_signatures_total "):
                return int(float(line.split()[1]))
    sys.exit("bench: no apexd_dnssec_signatures_total in /metrics")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_busy_ticks(cpu: int) -> int:
    """user + nice + system ticks of that CPU since boot."""
    for line in Path("/proc/stat").read_text().splitlines():
        f = line.split()
        if f[0] == f"cpu{cpu}":
            return int(f[1]) + int(f[2]) + int(f[3])
    return 0


def process_ticks(pid: int) -> int:
    """utime + stime of the process, all its threads."""
    f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])


def thread_ticks(pid: int) -> dict[str, int]:
    """CPU ticks so far of apexd's control thread (the main one), its signing thread and
    the rest (workers, flattener, ...)."""
    out = {"control": 0, "signer": 0, "other": 0}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime
        kind = "control" if task.name == str(pid) else \
            "signer" if comm == "apexd-signer" else "other"
        out[kind] += ticks
    return out


class CpuShare:
    """What a window cost the server: its CPU time, and CPU time on its core spent by other
    processes (a share above a few percent means the machine was not quiet)."""

    def __init__(self, pid: int, cpu: int) -> None:
        self.pid, self.cpu = pid, cpu
        self.t0, self.c0, self.w0 = process_ticks(pid), cpu_busy_ticks(cpu), time.monotonic()
        self.threads0 = thread_ticks(pid)

    def threads(self) -> str:
        """CPU seconds each kind of apexd thread used since the window started."""
        hz = os.sysconf("SC_CLK_TCK")
        now = thread_ticks(self.pid)
        return ", ".join(f"{k} {(now[k] - self.threads0[k]) / hz:.1f} s" for k in now)

    def result(self) -> tuple[float, float]:
        hz = os.sysconf("SC_CLK_TCK")
        own = process_ticks(self.pid) - self.t0
        other = cpu_busy_ticks(self.cpu) - self.c0 - own
        wall = time.monotonic() - self.w0
        return own / hz / wall * 100, max(0, other) / hz / wall * 100


def start_dnsperf(args: argparse.Namespace, seconds: float, rate: float = 0) -> subprocess.Popen:
    """dnsperf as fast as apexd answers, or at rate queries a second."""
    paced = ["-Q", str(int(rate))] if rate > 0 else []
    return subprocess.Popen(
        ["taskset", "-c", str(args.client_cpu), "dnsperf", "-s", "127.0.0.1", "-p",
         str(args.port), "-d", args.queries, "-c", str(args.clients), "-T", "1", "-l",
         str(seconds), "-t", "2", "-D", "-S", "1", *paced],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def dnsperf_result(proc: subprocess.Popen, log: Path) -> dict:
    out, _ = proc.communicate()
    with open(log, "a") as f:
        f.write(out + "\n")
    r: dict = {"per_second": []}
    for line in out.splitlines():
        if m := re.match(r"^\s*Queries completed:\s+(\d+)", line):
            r["completed"] = int(m.group(1))
        elif m := re.match(r"^\s*Queries lost:\s+(\d+)", line):
            r["lost"] = int(m.group(1))
        elif m := re.match(r"^\s*Queries per second:\s+([\d.]+)", line):
            r["qps"] = float(m.group(1))
        elif m := re.match(r"^\s*Response codes:\s+(.*)$", line):
            r["rcodes"] = m.group(1).strip()
        elif m := re.match(r"^\s*Average Latency \(s\):\s+([\d.]+) \(min ([\d.]+), max ([\d.]+)\)", line):
            r["avg_ms"], r["max_ms"] = float(m.group(1)) * 1e3, float(m.group(3)) * 1e3
        elif m := re.match(r"^\s*[\d.]+: ([\d.]+)\s*$", line):
            r["per_second"].append(float(m.group(1)))
    if "qps" not in r:
        sys.exit("bench: cannot read dnsperf's output:\n" + out)
    return r


def log_signing(log: Path, offset: int) -> tuple[int, int, int, list[str]]:
    """From apexd's log after OFFSET: zones rebuilt signed, signatures made and reused, and
    the "applied ..." lines (one per follower poll)."""
    text = log.read_bytes()[offset:].decode(errors="replace")
    zones = made = reused = 0
    for m in re.finditer(r"signed: (\d+) signature\(s\) made, (\d+) reused", text):
        zones += 1
        made += int(m.group(1))
        reused += int(m.group(2))
    applied = re.findall(r"applied \d+ change\(s\) to \d+ zone\(s\) in [\d.]+ ?m?s", text)
    return zones, made, reused, applied


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(len(ordered) * p / 100) - 1))]


def verify_sample(port: int, zones: int, address: str, count: int) -> tuple[int, int]:
    """Validates COUNT zones' apex A RRSIG against their DNSKEY RRset (itself validated by
    its own RRSIG): (validated, asked)."""
    import dns.dnssec
    import dns.message
    import dns.name
    import dns.query
    import dns.rdataclass
    import dns.rdatatype

    ok = 0
    sample = random.Random(2).sample(range(zones), min(count, zones))
    for i in sample:
        zone = dns.name.from_text(zone_name(i))

        def ask(rdtype):
            q = dns.message.make_query(zone, rdtype, want_dnssec=True, payload=4096)
            r = dns.query.udp(q, "127.0.0.1", port=port, timeout=2)
            rrset = r.find_rrset(r.answer, zone, dns.rdataclass.IN, rdtype)
            sig = r.find_rrset(r.answer, zone, dns.rdataclass.IN, dns.rdatatype.RRSIG, rdtype)
            return rrset, sig

        try:
            keys, keys_sig = ask(dns.rdatatype.DNSKEY)
            dns.dnssec.validate(keys, keys_sig, {zone: keys})
            a, a_sig = ask(dns.rdatatype.A)
            dns.dnssec.validate(a, a_sig, {zone: keys})
            if [r.address for r in a] == [address]:
                ok += 1
            else:
                print(f"  {zone}: A {[r.address for r in a]}, expected {address}")
        except Exception as e:  # noqa: BLE001 - reported, counted as a failure
            print(f"  {zone}: not validated: {type(e).__name__}: {e}")
    return ok, len(sample)


def cmd_measure(args: argparse.Namespace) -> None:
    os.sched_setaffinity(0, {args.client_cpu})
    log = Path(args.log)
    dnsperf_log = Path(args.dir) / "dnsperf.log"
    dnsperf_log.write_text("")
    poller = Poller(args.port)
    zones = list(range(args.zones))
    warm_up(args, poller)
    time.sleep(2)  # startup's last writes (signatures stored, journal) out of the way

    # Paced: first apexd's capacity (dnsperf as fast as it answers, with the poller
    # sweeping), then both windows at a fraction of it, so that apexd has CPU time to spare.
    rate = 0.0
    capacity = None
    if args.rate_fraction > 0:
        perf = start_dnsperf(args, args.duration)
        while perf.poll() is None:
            poller.sweep(zones)
        capacity = dnsperf_result(perf, dnsperf_log)
        rate = capacity["qps"] * args.rate_fraction

    # Before: dnsperf for D seconds while the poller sweeps the zones as it will after the
    # change, so the client side costs the same in both windows.
    rss_before = rss_kib(args.pid)
    perf = start_dnsperf(args, args.duration, rate)
    share = CpuShare(args.pid, args.server_cpu)
    while perf.poll() is None:
        poller.sweep(zones)
    cpu_before = share.result()
    before = dnsperf_result(perf, dnsperf_log)
    sigs_before = signatures_total(args.metrics_port)
    log_offset = log.stat().st_size

    # The change, at the start of the second dnsperf window.
    perf = start_dnsperf(args, args.duration, rate)
    share = CpuShare(args.pid, args.server_cpu)
    time.sleep(0.3)  # dnsperf's own start (reading the query list) before the change
    t0 = time.monotonic()
    set_target(args, args.new)
    committed = time.monotonic() - t0
    first_new: dict[int, float] = {}
    old_seen_after: dict[int, float] = {}
    left = zones
    sweeps = 0
    sweep_times: list[float] = []
    while left and time.monotonic() - t0 < args.timeout:
        s0 = time.monotonic()
        got = poller.sweep(left)
        sweep_times.append(time.monotonic() - s0)
        sweeps += 1
        for i, (addr, when) in got.items():
            if addr == args.new:
                first_new[i] = when - t0
            elif addr == args.old:
                old_seen_after[i] = when - t0
        left = [i for i in left if i not in first_new]
    converged = time.monotonic() - t0
    # Keep the poller's share of the client core the same as before until dnsperf ends.
    while perf.poll() is None:
        poller.sweep(zones)
    cpu_during = share.result()
    threads_during = share.threads()
    during = dnsperf_result(perf, dnsperf_log)
    time.sleep(1)
    sigs_after = signatures_total(args.metrics_port)
    rss_after = rss_kib(args.pid)
    zones_signed, made, reused, applied = log_signing(log, log_offset)
    ok, asked = verify_sample(args.port, args.zones, args.new, args.verify)

    times = sorted(first_new.values())
    print(f"\n== results: {args.zones} signed zones (ECDSA P-256 CSK, NSEC), apex ALIAS to "
          f"{TARGET} in a provider zone of the same apexd; apexd on CPU {args.server_cpu}, "
          f"dnsperf -c {args.clients} and the poller on CPU {args.client_cpu} ==")
    if capacity:
        print(f"paced: dnsperf at {rate:.0f} QPS, {args.rate_fraction:.2f} of the "
              f"{capacity['qps']:.0f} QPS apexd answered as fast as it could")
    print(f"change: apexctl record set {TARGET} A {args.new} (was {args.old}), "
          f"committed {committed * 1e3:.0f} ms after its start")
    if left:
        print(f"NOT CONVERGED: {len(left)} zones still without {args.new} signed after "
              f"{args.timeout:.0f} s (e.g. {zone_name(left[0])})")
    if times:
        print(f"zones answering the new A with an RRSIG (DO=1), from the change: "
              f"50 % {percentile(times, 50):.2f} s, 99 % {percentile(times, 99):.2f} s, "
              f"100 % {times[-1]:.2f} s; first {times[0]:.2f} s")
        last_old = max(old_seen_after.values()) if old_seen_after else 0.0
        print(f"  poll resolution: {sweeps} sweeps, each {min(sweep_times):.2f}–"
              f"{max(sweep_times):.2f} s (median {percentile(sweep_times, 50):.2f} s); the old address was still answered up to "
              f"{last_old:.2f} s; converged (poll loop ended) at {converged:.2f} s")
    print(f"signatures made (apexd_dnssec_signatures_total): {sigs_after - sigs_before} "
          f"({(sigs_after - sigs_before) / max(1, args.zones):.2f} a zone)")
    print(f"  apexd's log: {zones_signed} signed zone rebuilds, {made} signatures made, "
          f"{reused} reused; follower polls: {'; '.join(applied) or 'none logged'}")
    for name, r, cpu in (("before", before, cpu_before), ("during", during, cpu_during)):
        ps = r["per_second"]
        print(f"CPU {args.server_cpu} {name:6}: apexd {cpu[0]:.0f} %, other processes "
              f"{cpu[1]:.0f} % (above 5 %: the machine was not quiet)")
        print(f"dnsperf DO=1 {name:6}: {r['qps']:9.0f} QPS over {args.duration} s, lost "
              f"{r.get('lost', 0)}, latency avg {r.get('avg_ms', 0):.2f} ms max "
              f"{r.get('max_ms', 0):.1f} ms, per-second QPS min {min(ps) if ps else 0:.0f} "
              f"max {max(ps) if ps else 0:.0f}; rcodes {r.get('rcodes', '?')}")
    print(f"apexd CPU time by thread in the during window: {threads_during}")
    print(f"  during/before QPS: {during['qps'] / before['qps']:.3f}; per-second during: "
          f"{' '.join(f'{q:.0f}' for q in during['per_second'])}")
    print(f"apexd RSS: {rss_before} KiB before, {rss_after} KiB after "
          f"({(rss_after - rss_before) / 1024:+.1f} MiB)")
    print(f"RRSIG verified (dnspython, DNSKEY RRset validated by itself first): {ok} of {asked} "
          f"sampled zones")
    print(f"poller: {poller.sent} queries, {poller.unanswered} unanswered after "
          f"{QUERY_TIMEOUT} s")
    if left or ok != asked:
        sys.exit(1)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("out")
    g.add_argument("--zones", type=int, required=True)
    g.add_argument("--address", required=True)
    w = sub.add_parser("startup")
    w.add_argument("--port", type=int, required=True)
    w.add_argument("--zones", type=int, required=True)
    w.add_argument("--address", required=True)
    w.add_argument("--settle", type=float, default=20)
    m = sub.add_parser("measure")
    for a in ("--port", "--metrics-port", "--zones", "--pid", "--clients", "--server-cpu",
              "--client-cpu", "--verify"):
        m.add_argument(a, type=int, required=True)
    for a in ("--start", "--old", "--new", "--apexctl", "--db", "--queries", "--log", "--dir"):
        m.add_argument(a, required=True)
    m.add_argument("--duration", type=int, required=True)
    m.add_argument("--timeout", type=float, default=300)
    m.add_argument("--rate-fraction", type=float, default=0)
    args = p.parse_args()
    {"gen": cmd_gen, "startup": cmd_startup, "measure": cmd_measure}[args.cmd](args)


if __name__ == "__main__":
    main()
