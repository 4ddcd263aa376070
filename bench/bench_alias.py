#!/usr/bin/env python3
"""Data and checks for the ALIAS pace benchmark (bench/bench_alias.sh).

Subcommands:
  gen OUT --zones N --targets T
      writes, deterministically:
        target/cdn.example.net.zone  the target zone NSD serves: lb0 … lb{T-1}, each two A
                                     and two AAAA records (TTL 300), plus its NS host;
        alias/                       N customer zones alias00001.example. … whose apex is
                                     `@ 300 IN ALIAS lb{i % T}.cdn.example.net.`;
        static/                      N customer zones static00001.example. … whose apex has
                                     the same addresses as static A/AAAA records (TTL 300);
                                     otherwise both kinds hold the same records (SOA, 2 NS,
                                     MX, SPF TXT, mail A);
        queries-alias.txt, queries-static.txt
                                     apex A and apex AAAA of every zone (50/50), shuffled;
        expected.tsv                 "qname<TAB>qtype<TAB>addr,addr" for every query.
  pdns-db DB --schema SQL --zones N --targets T
      a PowerDNS gsqlite3 database holding the same alias zones (ALIAS at the apex).
  wait-fresh --apexctl BIN --db DB --count N --timeout S
      polls `apexctl alias status --json` until N aliases are listed and all are "fresh".
  check --port P --sample K
      asks the server on 127.0.0.1:P K queries (or all with K=0) of a query file and checks
      each answer: NOERROR, AA, exactly the expected addresses. Exit 1 on any mismatch.
Uses documentation addresses only (RFC 5737, RFC 3849).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import random
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype

TARGET_ZONE = "cdn.example.net."
TARGET_TTL = 300
APEX_TTL = 300
NS_HOSTS = ("ns1.hostco.example.", "ns2.hostco.example.")
SOA_TAIL = "hostmaster.hostco.example. {serial} 7200 1800 1209600 300"

CUSTOMER_ZONE = """$ORIGIN {zone}
$TTL 3600
@       IN SOA ns1.hostco.example. hostmaster.hostco.example. {serial} 7200 1800 1209600 300
        NS      ns1.hostco.example.
        NS      ns2.hostco.example.
{apex}        MX      10 mail
        TXT     "v=spf1 mx -all"
mail    A       {mail4}
"""


def target_name(t: int) -> str:
    return f"lb{t}.{TARGET_ZONE}"


def target_v4(t: int) -> list[str]:
    net = "198.51.100" if t % 250 < 125 else "203.0.113"
    return [f"{net}.{2 * t % 250 + 1}", f"{net}.{2 * t % 250 + 2}"]


def target_v6(t: int) -> list[str]:
    return [str(ipaddress.IPv6Address(f"2001:db8:cd::{t:x}:{k}")) for k in (1, 2)]


def zone_name(kind: str, i: int) -> str:
    return f"{kind}{i:05d}.example."


def target_of(i: int, targets: int) -> int:
    return i % targets


def mail_v4(i: int) -> str:
    return f"192.0.2.{1 + i % 254}"


def write_target_zone(out: Path, targets: int) -> None:
    lines = [f"$ORIGIN {TARGET_ZONE}", "$TTL 3600",
             f"@ IN SOA ns1.{TARGET_ZONE} {SOA_TAIL.format(serial=1)}",
             f"@ IN NS ns1.{TARGET_ZONE}", "ns1 IN A 127.0.0.1"]
    for t in range(targets):
        lines += [f"lb{t} {TARGET_TTL} IN A {a}" for a in target_v4(t)]
        lines += [f"lb{t} {TARGET_TTL} IN AAAA {a}" for a in target_v6(t)]
    (out / f"{TARGET_ZONE}zone").write_text("\n".join(lines) + "\n")


def write_customer_zones(out: Path, kind: str, zones: int, targets: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for i in range(1, zones + 1):
        t = target_of(i, targets)
        if kind == "alias":
            apex = f"@ {APEX_TTL} IN ALIAS {target_name(t)}\n"
        else:
            apex = "".join(f"@ {APEX_TTL} IN A {a}\n" for a in target_v4(t))
            apex += "".join(f"@ {APEX_TTL} IN AAAA {a}\n" for a in target_v6(t))
        zone = zone_name(kind, i)
        (out / f"{zone}zone").write_text(CUSTOMER_ZONE.format(
            zone=zone, serial=2024000000 + i, apex=apex, mail4=mail_v4(i)))


def write_queries(out: Path, zones: int, targets: int, seed: int) -> None:
    expected = []
    for kind in ("alias", "static"):
        queries = []
        for i in range(1, zones + 1):
            t = target_of(i, targets)
            for qtype, addrs in (("A", target_v4(t)), ("AAAA", target_v6(t))):
                queries.append(f"{zone_name(kind, i)} {qtype}\n")
                expected.append(f"{zone_name(kind, i)}\t{qtype}\t{','.join(addrs)}\n")
        random.Random(seed).shuffle(queries)
        (out / f"queries-{kind}.txt").write_text("".join(queries))
    (out / "expected.tsv").write_text("".join(expected))


def cmd_gen(args: argparse.Namespace) -> None:
    (args.out / "target").mkdir(parents=True, exist_ok=True)
    write_target_zone(args.out / "target", args.targets)
    for kind in ("alias", "static"):
        write_customer_zones(args.out / kind, kind, args.zones, args.targets)
    write_queries(args.out, args.zones, args.targets, args.seed)
    print(f"{args.zones} alias zones + {args.zones} static zones over {args.targets} "
          f"targets in {args.out}")


# --- PowerDNS --------------------------------------------------------------------------

def pdns_rows(domain_id: int, i: int, targets: int) -> list[tuple]:
    """Records of alias zone i in PowerDNS's gsqlite3 form: names and targets without the
    final dot, the MX preference in the prio column."""
    zone = zone_name("alias", i).rstrip(".")
    soa = f"ns1.hostco.example hostmaster.hostco.example {2024000000 + i} 7200 1800 1209600 300"
    rows = [(zone, "SOA", soa, 3600, 0)]
    rows += [(zone, "NS", ns.rstrip("."), 3600, 0) for ns in NS_HOSTS]
    rows.append((zone, "ALIAS", target_name(target_of(i, targets)).rstrip("."), APEX_TTL, 0))
    rows.append((zone, "MX", f"mail.{zone}", 3600, 10))
    rows.append((zone, "TXT", '"v=spf1 mx -all"', 3600, 0))
    rows.append((f"mail.{zone}", "A", mail_v4(i), 3600, 0))
    return [(domain_id, *row) for row in rows]


def cmd_pdns_db(args: argparse.Namespace) -> None:
    args.db.unlink(missing_ok=True)
    con = sqlite3.connect(args.db)
    con.executescript(args.schema.read_text())
    with con:
        con.executemany("INSERT INTO domains (id, name, type) VALUES (?, ?, 'NATIVE')",
                        [(i, zone_name("alias", i).rstrip(".")) for i in range(1, args.zones + 1)])
        rows = [r for i in range(1, args.zones + 1) for r in pdns_rows(i, i, args.targets)]
        con.executemany("INSERT INTO records (domain_id, name, type, content, ttl, prio, "
                        "disabled, auth) VALUES (?, ?, ?, ?, ?, ?, 0, 1)", rows)
    con.close()
    print(f"PowerDNS database {args.db}: {args.zones} zones, {len(rows)} records")


# --- waiting and checking ------------------------------------------------------------------

def alias_states(apexctl: str, db: str) -> list[str]:
    res = subprocess.run([apexctl, "--db", db, "alias", "status", "--json"],
                         capture_output=True, text=True, timeout=120)
    if res.returncode != 0:
        raise RuntimeError(f"apexctl alias status failed ({res.returncode}): {res.stderr}")
    return [entry.get("state", "?") for entry in json.loads(res.stdout)]


def cmd_wait_fresh(args: argparse.Namespace) -> None:
    deadline = time.monotonic() + args.timeout
    start = time.monotonic()
    while True:
        states = alias_states(args.apexctl, args.db)
        counts: dict[str, int] = {}
        for s in states:
            counts[s] = counts.get(s, 0) + 1
        if len(states) == args.count and counts.get("fresh", 0) == args.count:
            print(f"{args.count} aliases fresh after {time.monotonic() - start:.2f} s")
            return
        if time.monotonic() > deadline:
            sys.exit(f"bench: aliases not all fresh after {args.timeout} s: {counts}")
        time.sleep(0.2)


def load_expected(path: Path) -> dict[tuple[str, str], set[str]]:
    expected = {}
    for line in path.read_text().splitlines():
        qname, qtype, addrs = line.split("\t")
        expected[(qname, qtype)] = set(addrs.split(","))
    return expected


def ask(sock: socket.socket, port: int, qname: str, qtype: str,
        timeout: float) -> dns.message.Message | None:
    q = dns.message.make_query(qname, qtype)
    q.flags &= ~dns.flags.RD
    for _ in range(3):
        sock.sendto(q.to_wire(), ("127.0.0.1", port))
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            sock.settimeout(max(0.001, end - time.monotonic()))
            try:
                wire, _ = sock.recvfrom(65535)
            except socket.timeout:
                break
            try:
                r = dns.message.from_wire(wire)
            except Exception:  # noqa: BLE001 - a garbled reply counts as no reply
                continue
            if r.id == q.id:
                return r
    return None


def problem(r: dns.message.Message | None, want: set[str]) -> str | None:
    if r is None:
        return "no reply"
    if r.rcode() != dns.rcode.NOERROR:
        return dns.rcode.to_text(r.rcode())
    if not r.flags & dns.flags.AA:
        return "AA not set"
    got = {rd.to_text() for rrset in r.answer for rd in rrset}
    return None if got == want else f"answer {sorted(got)}, expected {sorted(want)}"


def cmd_check(args: argparse.Namespace) -> None:
    expected = load_expected(args.expected)
    queries = [tuple(line.split()) for line in args.queries.read_text().splitlines()]
    if args.sample:
        queries = random.Random().sample(queries, min(args.sample, len(queries)))
    bad = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for qname, qtype in queries:
            why = problem(ask(sock, args.port, qname, qtype, args.timeout),
                          expected[(qname, qtype)])
            if why:
                bad.append(f"{qname} {qtype}: {why}")
    if bad:
        print(f"bench: {len(bad)} of {len(queries)} answers wrong, e.g.:", file=sys.stderr)
        print("\n".join("  " + b for b in bad[:5]), file=sys.stderr)
        sys.exit(1)
    print(f"{len(queries)} answers checked")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("out", type=Path)
    g.add_argument("--zones", type=int, default=10000)
    g.add_argument("--targets", type=int, default=50)
    g.add_argument("--seed", type=int, default=1)
    p = sub.add_parser("pdns-db")
    p.add_argument("db", type=Path)
    p.add_argument("--schema", type=Path, required=True)
    p.add_argument("--zones", type=int, default=10000)
    p.add_argument("--targets", type=int, default=50)
    w = sub.add_parser("wait-fresh")
    w.add_argument("--apexctl", required=True)
    w.add_argument("--db", required=True)
    w.add_argument("--count", type=int, required=True)
    w.add_argument("--timeout", type=float, default=120)
    c = sub.add_parser("check")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--queries", type=Path, required=True)
    c.add_argument("--expected", type=Path, required=True)
    c.add_argument("--sample", type=int, default=0)
    c.add_argument("--timeout", type=float, default=2.0)
    args = ap.parse_args()
    {"gen": cmd_gen, "pdns-db": cmd_pdns_db, "wait-fresh": cmd_wait_fresh,
     "check": cmd_check}[args.cmd](args)


if __name__ == "__main__":
    main()
