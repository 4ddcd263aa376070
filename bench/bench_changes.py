#!/usr/bin/env python3
"""Operating benchmark (issue 3): apexd, NSD and Knot side by side on the same data.

For each server, on N hosting zones of 10 records each (default 100,000 zones /
1,000,000 records, bench/gen_hosting_data.py):
  import   time to get the data into the server's store: `apexctl zone import DIR` for
           apexd; NSD and Knot have no import step (they parse the master files at startup,
           which the startup column includes);
  startup  spawn -> the last zone and a random sample of 100 zones answer SOA NOERROR;
  memory   RSS and PSS summed over the server's processes after startup;
  changes  C changes (a new A record in a random zone), each: the time from issuing the
           change to the first UDP answer carrying it (polled every 2 ms), and how long
           the change command itself took. How each server is changed:
             apexd        `apexctl record add NAME A ADDR` (apexd follows the change log)
             nsd          rewrite the zone file (record added, serial + 1), then
                          `nsd-control reload ZONE` (unix control socket)
             knot-txn     one knotc process: zone-begin, zone-set, zone-commit
             knot-reload  rewrite the zone file (record added, serial + 1), then
                          `knotc zone-reload ZONE`
The server runs pinned to CPU 0, the measuring client on CPU 1. Not part of CI.

Usage: bench/bench_changes.py [--zones N] [--changes C] [--servers apexd,nsd,knot-txn,…]
       [--dir DIR] [--apexd-reload-ms MS]   (bench/bench_changes.sh wraps this)
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests" / "system"))
import gen_hosting_data as gen  # noqa: E402
import dnsharness as h  # noqa: E402

SERVER_CPU, CLIENT_CPU = "0", "1"
STARTUP_LIMIT = 600.0
CHANGE_LIMIT = 30.0        # seconds a change may take to be served before we give up
SAMPLE = 100


def log(msg: str) -> None:
    print(msg, flush=True)


# --- data -----------------------------------------------------------------------------

def zone_name(i: int) -> str:
    return gen.small_zone_name(i)


def prepare_data(workdir: Path, zones: int) -> Path:
    """Master files for `zones` hosting zones (reused when the count matches)."""
    zdir = workdir / "zones"
    stamp = workdir / "zones.stamp"
    if stamp.exists() and stamp.read_text() == f"{zones} v1":
        return zdir
    shutil.rmtree(zdir, ignore_errors=True)
    zdir.mkdir(parents=True)
    t = time.monotonic()
    records = gen.write_small_zones(zdir, zones)
    log(f"generated {zones} zones / {records} records in {time.monotonic() - t:.1f} s")
    stamp.write_text(f"{zones} v1")
    return zdir


def fresh_copy(src: Path, dst: Path) -> Path:
    """A private copy of the master files (NSD and Knot reload changes from them)."""
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    return dst


# --- processes --------------------------------------------------------------------------

def pin(argv: list) -> list:
    return ["taskset", "-c", SERVER_CPU, *map(str, argv)]


def group_memory(pgid: int) -> tuple[int, int]:
    """(RSS, PSS) in KiB summed over the processes of a process group."""
    rss = pss = 0
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            for line in (d / "smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return rss, pss


def answers_soa(addr, qname: str, sock: socket.socket) -> bool:
    s = h.served(addr, qname, "SOA", timeout=0.3, sock=sock)
    return s.rcode == 0 and s.aa and bool(s.answer)


def wait_loaded(proc: subprocess.Popen, addr, probes: list[str], log_path: Path) -> float:
    """Seconds until every probe zone answers SOA NOERROR (Knot answers SERVFAIL for a
    zone it has not loaded yet, so the whole sample is polled)."""
    start = time.monotonic()
    pending = list(probes)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        while pending:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}:\n"
                                   f"{log_path.read_text()[-3000:]}")
            if time.monotonic() - start > STARTUP_LIMIT:
                raise RuntimeError(f"not loaded after {STARTUP_LIMIT} s")
            pending = [z for z in pending if not answers_soa(addr, z, s)]
            if pending:
                time.sleep(0.02)
    return time.monotonic() - start


# --- servers -----------------------------------------------------------------------------

class Peer:
    """One server under test: start(), change(i, zone, owner, addr), stop()."""
    label = ""
    how = ""

    def __init__(self, workdir: Path, zdir: Path, zones: int, port: int):
        self.workdir, self.zdir, self.zones, self.port = workdir, zdir, zones, port
        self.proc: subprocess.Popen | None = None
        self.log_path = workdir / f"{self.label}.log"

    @property
    def addr(self):
        return ("127.0.0.1", self.port)

    def import_data(self) -> float | None:
        return None

    def argv(self) -> list:
        raise NotImplementedError

    def start(self, probes: list[str]) -> tuple[float, tuple[int, int]]:
        self.proc = h.spawn(pin(self.argv()), self.log_path, self.workdir)
        took = wait_loaded(self.proc, self.addr, probes, self.log_path)
        time.sleep(1.0)   # let startup work settle before reading memory
        return took, group_memory(self.proc.pid)

    def change(self, zone: str, owner: str, address: str) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        if self.proc is not None:
            h.stop_process(self.proc, timeout=30)
            self.proc = None


def run(argv: list, timeout: float = 60.0) -> None:
    res = subprocess.run([str(a) for a in argv], capture_output=True, text=True,
                         timeout=timeout, stdin=subprocess.DEVNULL)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} -> {res.returncode}: "
                           f"{res.stdout}{res.stderr}")


def add_to_zone_file(path: Path, owner: str, address: str) -> None:
    """Append an A record and bump the SOA serial (the generator's SOA line form)."""
    lines = path.read_text().splitlines(keepends=True)
    for i, line in enumerate(lines):
        if " SOA " in line:
            f = line.split()
            serial_at = f.index("SOA") + 3
            f[serial_at] = str(int(f[serial_at]) + 1)
            lines[i] = " ".join(f) + "\n"
            break
    lines.append(f"{owner} 3600 IN A {address}\n")
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(lines))
    os.replace(tmp, path)


class Apexd(Peer):
    label = "apexd"
    how = "apexctl record add (apexd follows the change log, woken by inotify)"

    def __init__(self, *a, build: Path, reload_ms: int | None = None):
        super().__init__(*a)
        self.apexd = build / "server" / "apexd"
        self.apexctl = build / "admin" / "apexctl"
        self.db = self.workdir / "apex.db"
        self.reload_ms = reload_ms
        if reload_ms is not None:
            self.how = (f"apexctl record add (apexd follows the change log, "
                        f"reload_interval_ms {reload_ms})")

    def import_data(self) -> float:
        for f in self.zdir.iterdir():     # warm the page cache: time apexctl, not the disk
            f.read_bytes()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.db}{suffix}").unlink(missing_ok=True)
        start = time.monotonic()
        run([self.apexctl, "--db", self.db, "init"])
        subprocess.run([str(self.apexctl), "--db", str(self.db), "zone", "import",
                        str(self.zdir)], stdout=subprocess.DEVNULL, check=True,
                       timeout=3600)
        return time.monotonic() - start

    def argv(self) -> list:
        config = []
        if self.reload_ms is not None:
            path = self.workdir / "apexd.toml"
            path.write_text(f"[server]\nreload_interval_ms = {self.reload_ms}\n")
            config = ["--config", path]
        return [self.apexd, "--db", self.db, "--listen", f"127.0.0.1:{self.port}",
                "--threads", "1", *config]

    def change(self, zone: str, owner: str, address: str) -> None:
        run([self.apexctl, "--db", self.db, "--actor", "bench", "record", "add",
             owner, "A", address])


class Nsd(Peer):
    label = "nsd"
    how = "zone file rewritten (record + serial), then nsd-control reload ZONE"

    def conf_path(self) -> Path:
        return self.workdir / "nsd.conf"

    def argv(self) -> list:
        d = self.workdir
        lines = [
            "server:", "    ip-address: 127.0.0.1", f"    port: {self.port}",
            "    do-ip6: no", "    server-count: 1", "    reuseport: no",
            '    database: ""', f'    zonelistfile: "{d}/zone.list"',
            f'    xfrdfile: "{d}/xfrd.state"', f'    xfrdir: "{d}"',
            f'    pidfile: "{d}/nsd.pid"', '    username: ""', '    chroot: ""',
            "    verbosity: 0", "    zonefiles-check: no", "    zonefiles-write: 0",
            "    rrl-ratelimit: 0", "    rrl-whitelist-ratelimit: 0",
            "remote-control:", "    control-enable: yes",
            f'    control-interface: "{d}/nsd.ctl"',
        ]
        for i in range(1, self.zones + 1):
            z = zone_name(i)
            lines += ["zone:", f'    name: "{z}"', f'    zonefile: "{self.zdir}/{z}zone"']
        self.conf_path().write_text("\n".join(lines) + "\n")
        (d / "zone.list").unlink(missing_ok=True)
        return ["nsd", "-d", "-c", self.conf_path()]

    def change(self, zone: str, owner: str, address: str) -> None:
        add_to_zone_file(self.zdir / f"{zone}zone", owner, address)
        run(["nsd-control", "-c", self.conf_path(), "reload", zone])


class Knot(Peer):
    label = "knot"

    def __init__(self, *a, mode: str):
        self.mode = mode
        self.label = f"knot-{mode}"
        self.how = ("one knotc process: zone-begin, zone-set, zone-commit" if mode == "txn"
                    else "zone file rewritten (record + serial), then knotc zone-reload ZONE")
        super().__init__(*a)

    def sock(self) -> Path:
        return self.workdir / "knot.sock"

    def argv(self) -> list:
        d = self.workdir
        for f in ("timers", "journal", "catalog"):
            shutil.rmtree(d / f, ignore_errors=True)
        lines = [
            "server:", f"    listen: 127.0.0.1@{self.port}", f'    rundir: "{d}"',
            "    udp-workers: 1", "    tcp-workers: 1", "    background-workers: 1",
            "control:", f'    listen: "{self.sock()}"',
            "log:", "  - target: stderr", "    any: warning",
            "database:", f'    storage: "{d}"',
            "template:", "  - id: default", f'    storage: "{self.zdir}"',
            "    zonefile-sync: -1", "    journal-content: none",
            "    semantic-checks: off", "    serial-policy: increment",
            "zone:",
        ]
        lines += [f'  - domain: "{zone_name(i)}"' for i in range(1, self.zones + 1)]
        conf = d / "knot.conf"
        conf.write_text("\n".join(lines) + "\n")
        return ["knotd", "-c", conf]

    def change(self, zone: str, owner: str, address: str) -> None:
        if self.mode == "txn":
            script = (f"zone-begin {zone}\nzone-set {zone} {owner} 3600 A {address}\n"
                      f"zone-commit {zone}\n")
            res = subprocess.run(["knotc", "-s", str(self.sock())], input=script,
                                 capture_output=True, text=True, timeout=60)
            if res.returncode != 0 or "error" in res.stdout.lower():
                raise RuntimeError(f"knotc: {res.stdout}{res.stderr}")
        else:
            add_to_zone_file(self.zdir / f"{zone}zone", owner, address)
            run(["knotc", "-s", self.sock(), "zone-reload", zone])


# --- measurements ------------------------------------------------------------------------

def measure_changes(peer: Peer, count: int, zones: int, seed: int) -> tuple[list, list]:
    """(issue -> served, command duration) in seconds for `count` changes."""
    rng = random.Random(seed)
    served, command = [], []
    used: set[int] = set()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for i in range(count):
            z = rng.randint(1, zones)
            while z in used and len(used) < zones:   # one change per zone: file mtimes
                z = rng.randint(1, zones)
            used.add(z)
            zone = zone_name(z)
            owner = f"chg{i}.{zone}"
            address = f"198.51.100.{i % 250 + 1}"
            # A random pause, so that changes arrive at random moments of a polling
            # server's cycle instead of in step with it.
            time.sleep(rng.uniform(0.0, 0.3))
            t0 = time.monotonic()
            peer.change(zone, owner, address)
            t1 = time.monotonic()
            while True:
                got = h.served(peer.addr, owner, "A", timeout=0.5, sock=s)
                if got.rcode == 0 and address in got.rdatas:
                    break
                if time.monotonic() - t0 > CHANGE_LIMIT:
                    raise RuntimeError(f"{peer.label}: {owner} not served after "
                                       f"{CHANGE_LIMIT} s: {got}")
                time.sleep(0.002)
            served.append(time.monotonic() - t0)
            command.append(t1 - t0)
    return served, command


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--zones", type=int, default=100000)
    ap.add_argument("--changes", type=int, default=300)
    ap.add_argument("--servers", default="apexd,nsd,knot-txn,knot-reload")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/apexdns-bench-changes"))
    ap.add_argument("--apexd-reload-ms", type=int, default=None,
                    help="[server] reload_interval_ms for apexd (default: apexd's own)")
    ap.add_argument("--build", type=Path,
                    default=Path(os.environ.get("APEX_BUILD_DIR", REPO / "build")))
    args = ap.parse_args()

    os.sched_setaffinity(0, {int(CLIENT_CPU)})
    args.dir.mkdir(parents=True, exist_ok=True)
    master = prepare_data(args.dir, args.zones)
    rng = random.Random(7)
    probes = [zone_name(args.zones)] + [zone_name(rng.randint(1, args.zones))
                                        for _ in range(SAMPLE)]
    results = []
    for i, name in enumerate(args.servers.split(",")):
        workdir = args.dir / name
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        port = h.free_port()
        if name == "apexd":
            peer: Peer = Apexd(workdir, master, args.zones, port, build=args.build,
                               reload_ms=args.apexd_reload_ms)
        elif name == "nsd":
            peer = Nsd(workdir, fresh_copy(master, workdir / "zones"), args.zones, port)
        elif name in ("knot-txn", "knot-reload"):
            peer = Knot(workdir, fresh_copy(master, workdir / "zones"), args.zones, port,
                        mode=name.split("-")[1])
        else:
            raise SystemExit(f"unknown server {name}")
        log(f"== {name}: {peer.how}")
        imported = peer.import_data()
        if imported is not None:
            log(f"   import: {imported:.1f} s")
        try:
            startup, (rss, pss) = peer.start(probes)
            log(f"   startup: {startup:.2f} s, memory: RSS {rss / 1024:.0f} MiB, "
                f"PSS {pss / 1024:.0f} MiB")
            served, command = measure_changes(peer, args.changes, args.zones, seed=i)
        finally:
            peer.stop()
        log(f"   change -> served: p50 {pct(served, 50) * 1000:.0f} ms, "
            f"p99 {pct(served, 99) * 1000:.0f} ms, max {max(served) * 1000:.0f} ms; "
            f"command alone: p50 {pct(command, 50) * 1000:.0f} ms")
        results.append((name, peer.how, imported, startup, rss, pss, served, command))

    records = args.zones * gen.SMALL_RECORDS
    log("")
    log(f"{args.zones} zones / {records} records, {args.changes} changes per server "
        f"(latency = change issued -> first UDP answer carrying it, polled every 2 ms; "
        f"changes 0-300 ms apart at random)")
    head = (f"{'server':12s} {'import s':>9s} {'startup s':>10s} {'RSS MiB':>8s} "
            f"{'PSS MiB':>8s} {'p50 ms':>7s} {'p99 ms':>7s} {'max ms':>7s} "
            f"{'cmd p50 ms':>10s}")
    log(head)
    for name, how, imported, startup, rss, pss, served, command in results:
        imp = f"{imported:9.1f}" if imported is not None else f"{'n/a':>9s}"
        log(f"{name:12s} {imp} {startup:10.2f} {rss / 1024:8.0f} {pss / 1024:8.0f} "
            f"{pct(served, 50) * 1000:7.0f} {pct(served, 99) * 1000:7.0f} "
            f"{max(served) * 1000:7.0f} {pct(command, 50) * 1000:10.0f}")
    log("")
    log("how each change was applied:")
    for name, how, *_ in results:
        log(f"  {name:12s} {how}")
    log("import n/a: NSD and Knot read the master files at startup (in 'startup s').")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        h.stop_all()
