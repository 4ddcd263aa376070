#!/usr/bin/env python3
"""Helper of bench_alias_change.sh: writes the data set, strips its aliases for the memory
baseline, and measures how long an `apexctl alias set` takes to show in apexd's answers."""
from __future__ import annotations

import argparse
import random
import socket
import sqlite3
import struct
import subprocess
import sys
import time
from pathlib import Path

ALIAS_TYPE = 65401
PROVIDER = "cdn.bench.example.net."


def target_name(t: int) -> str:
    return f"t{t:04d}.{PROVIDER}"


def target_v4(t: int) -> str:
    return f"10.{t // 250 % 250}.{t % 250}.{1 + t // 62500}"


def zone_name(i: int) -> str:
    return f"cust{i:06d}.example."


def soa(origin: str) -> str:
    return (f"$ORIGIN {origin}\n$TTL 300\n"
            f"@ IN SOA ns1.hostco.example. hostmaster.hostco.example. 1 3600 900 604800 300\n"
            f"@ IN NS ns1.hostco.example.\n")


def cmd_gen(args: argparse.Namespace) -> None:
    provider = Path(args.out) / "provider"
    customers = Path(args.out) / "customers"
    provider.mkdir(parents=True, exist_ok=True)
    customers.mkdir(parents=True, exist_ok=True)
    with open(provider / "cdn.zone", "w") as f:
        f.write(soa(PROVIDER))
        for t in range(args.targets):
            f.write(f"{target_name(t)} 300 IN A {target_v4(t)}\n")
    for i in range(args.zones):
        with open(customers / f"{zone_name(i)}zone", "w") as f:
            f.write(soa(zone_name(i)))
            f.write(f"@ 300 IN ALIAS {target_name(i % args.targets)}\n")
            f.write(f"www 300 IN A 192.0.2.{1 + i % 250}\n")


def cmd_strip(args: argparse.Namespace) -> None:
    """The same database without ALIAS records: apexd's memory without the aliases."""
    db = sqlite3.connect(args.db)
    db.execute("DELETE FROM records WHERE type = ?", (ALIAS_TYPE,))
    db.commit()
    db.execute("VACUUM")
    db.close()


def query(qname: str, qid: int) -> bytes:
    wire = b"".join(bytes([len(p)]) + p.encode() for p in qname.rstrip(".").split(".")) + b"\0"
    return struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0) + wire + struct.pack(">HH", 1, 1)


def answer_a(response: bytes, qid: int) -> str | None:
    """The first A address of the answer section (None: not our response, or no A)."""
    if len(response) < 12 or struct.unpack(">H", response[:2])[0] != qid:
        return None
    ancount = struct.unpack(">H", response[6:8])[0]
    pos = 12
    while response[pos] != 0:  # the question name (never compressed)
        pos += 1 + response[pos]
    pos += 5
    for _ in range(ancount):
        if response[pos] & 0xC0 == 0xC0:
            pos += 2
        else:
            while response[pos] != 0:
                pos += 1 + response[pos]
            pos += 1
        rtype, _, _, rdlen = struct.unpack(">HHIH", response[pos:pos + 10])
        pos += 10
        if rtype == 1 and rdlen == 4:
            return ".".join(str(b) for b in response[pos:pos + 4])
        pos += rdlen
    return None


def ask(sock: socket.socket, port: int, qname: str, qid: int) -> str | None:
    sock.sendto(query(qname, qid), ("127.0.0.1", port))
    try:
        while True:
            data, _ = sock.recvfrom(4096)
            if struct.unpack(">H", data[:2])[0] == qid:
                return answer_a(data, qid)
    except socket.timeout:
        return None


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def cmd_wait(args: argparse.Namespace) -> None:
    """Until a sample of aliases answers their target's address (every alias flattened)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(0.5)
    rng = random.Random(1)
    sample = [0, args.zones - 1] + [rng.randrange(args.zones) for _ in range(200)]
    deadline = time.monotonic() + args.timeout
    for n, i in enumerate(sample):
        want = target_v4(i % args.targets)
        while ask(sock, args.port, zone_name(i), n % 65536) != want:
            if time.monotonic() > deadline:
                sys.exit(f"bench: {zone_name(i)} does not answer {want}")
            time.sleep(0.05)


def cmd_changes(args: argparse.Namespace) -> None:
    """N times: re-point one alias with apexctl, poll until apexd answers the new address."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(0.2)
    rng = random.Random(args.seed)
    current: dict[int, int] = {}
    total: list[float] = []
    after_commit: list[float] = []
    qid = 0
    for _ in range(args.changes):
        i = rng.randrange(args.zones)
        old = current.get(i, i % args.targets)
        new = (old + 1 + rng.randrange(args.targets - 1)) % args.targets
        want = target_v4(new)
        start = time.monotonic()
        proc = subprocess.Popen([args.apexctl, "--db", args.db, "alias", "set",
                                 zone_name(i), target_name(new), "--ttl", "300"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        committed = None
        while True:
            if committed is None and proc.poll() is not None:
                committed = time.monotonic()
                if proc.returncode != 0:
                    sys.exit("bench: apexctl alias set failed: " + proc.stderr.read().decode())
            qid = (qid + 1) % 65536
            if ask(sock, args.port, zone_name(i), qid) == want:
                break
            if time.monotonic() - start > 10:
                sys.exit(f"bench: {zone_name(i)} still not {want} after 10 s")
        done = time.monotonic()
        proc.wait()
        if committed is None:
            committed = done  # answered before apexctl even exited
        current[i] = new
        total.append((done - start) * 1000)
        after_commit.append(max(0.0, done - committed) * 1000)
        time.sleep(args.pause)
    for label, values in (("apexctl start -> new answer", total),
                          ("apexctl exit  -> new answer", after_commit)):
        print(f"{label}: p50 {percentile(values, 50):7.2f} ms  p90 {percentile(values, 90):7.2f} ms"
              f"  p99 {percentile(values, 99):7.2f} ms  max {max(values):7.2f} ms"
              f"  ({len(values)} changes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("gen")
    gen.add_argument("out")
    gen.add_argument("--zones", type=int, required=True)
    gen.add_argument("--targets", type=int, required=True)
    strip = sub.add_parser("strip")
    strip.add_argument("db")
    wait = sub.add_parser("wait")
    changes = sub.add_parser("changes")
    for p in (wait, changes):
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--zones", type=int, required=True)
        p.add_argument("--targets", type=int, required=True)
    wait.add_argument("--timeout", type=float, default=300)
    changes.add_argument("--apexctl", required=True)
    changes.add_argument("--db", required=True)
    changes.add_argument("--changes", type=int, default=200)
    changes.add_argument("--seed", type=int, default=7)
    changes.add_argument("--pause", type=float, default=0.05)
    args = parser.parse_args()
    {"gen": cmd_gen, "strip": cmd_strip, "wait": cmd_wait, "changes": cmd_changes}[args.command](args)


if __name__ == "__main__":
    main()
