#!/usr/bin/env python3
"""Generates the "Pace" benchmark data set: a hosting provider's customer zones.

Writes into OUT:
  zones/            N small hosting zones (cust00001.example. …; SOA, 2 NS, apex A and
                    AAAA, MX, SPF TXT, www CNAME to the apex, mail A, _dmarc TXT = 10
                    records each) plus one large zone big.test. with M names;
  zonelist.txt      "zone-name<TAB>absolute-path" per zone (for the NSD config);
  queries.txt       a dnsperf query file mixing existing names (incl. CNAME chases),
                    NXDOMAIN and NODATA across all zones, shuffled;
  records.txt       the total number of records (for memory per record);
  empty/empty.test.zone  a one-zone data set for the baseline (empty) runs.
Deterministic for a given seed. Uses documentation addresses only (RFC 5737, RFC 3849).
"""

import argparse
import random
from pathlib import Path

SMALL_ZONE = """$ORIGIN {zone}
$TTL 3600
@       IN SOA ns1.hostco.example. hostmaster.hostco.example. {serial} 7200 1800 1209600 300
        NS      ns1.hostco.example.
        NS      ns2.hostco.example.
        A       {v4}
        AAAA    {v6}
        MX      10 mail
        TXT     "v=spf1 mx -all"
www     CNAME   @
mail    A       {mail4}
_dmarc  TXT     "v=DMARC1; p=reject"
"""
SMALL_RECORDS = 10

BIG_HEAD = """$ORIGIN big.test.
$TTL 3600
@       IN SOA ns1.hostco.example. hostmaster.hostco.example. 1 7200 1800 1209600 300
        NS      ns1.hostco.example.
        NS      ns2.hostco.example.
"""


def v4(i: int) -> str:
    """A documentation IPv4 address (192.0.2/24, 198.51.100/24, 203.0.113/24)."""
    nets = ("192.0.2", "198.51.100", "203.0.113")
    return f"{nets[i % 3]}.{1 + (i // 3) % 254}"


def v6(i: int) -> str:
    return f"2001:db8:{(i >> 16) & 0xffff:x}:{i & 0xffff:x}::1"


def small_zone_name(i: int) -> str:
    return f"cust{i:05d}.example."


def write_small_zones(zdir: Path, n: int) -> int:
    for i in range(1, n + 1):
        zone = small_zone_name(i)
        text = SMALL_ZONE.format(zone=zone, serial=2024000000 + i, v4=v4(i), v6=v6(i),
                                 mail4=v4(i + 7))
        (zdir / f"{zone}zone").write_text(text)
    return n * SMALL_RECORDS


def big_name(i: int) -> str:
    return f"h{i:06d}.big.test."


def write_big_zone(zdir: Path, m: int) -> int:
    """M names: mostly A, every 4th also AAAA, every 10th a TXT instead of A."""
    lines, records = [BIG_HEAD], 3
    for i in range(m):
        owner = f"h{i:06d}"
        if i % 10 == 9:
            lines.append(f'{owner} TXT "site {i}"\n')
        else:
            lines.append(f"{owner} A {v4(i)}\n")
        records += 1
        if i % 4 == 0:
            lines.append(f"{owner} AAAA {v6(i)}\n")
            records += 1
    (zdir / "big.test.zone").write_text("".join(lines))
    return records


def existing_query(rng: random.Random, n: int, m: int) -> str:
    if rng.random() < 0.25:
        i = rng.randrange(m)
        return f"{big_name(i)} {'TXT' if i % 10 == 9 else 'A'}"
    zone = small_zone_name(rng.randint(1, n))
    return rng.choice([f"{zone} A", f"{zone} AAAA", f"www.{zone} A", f"mail.{zone} A",
                       f"{zone} MX", f"{zone} TXT", f"_dmarc.{zone} TXT", f"{zone} NS"])


def nxdomain_query(rng: random.Random, n: int, m: int) -> str:
    if rng.random() < 0.25:
        return f"x{rng.randrange(10**6)}.big.test. A"
    return f"nx{rng.randrange(10**6)}.{small_zone_name(rng.randint(1, n))} A"


def nodata_query(rng: random.Random, n: int, m: int) -> str:
    if rng.random() < 0.25:
        return f"{big_name(rng.randrange(m))} MX"
    zone = small_zone_name(rng.randint(1, n))
    return rng.choice([f"mail.{zone} AAAA", f"{zone} SRV", f"_dmarc.{zone} A"])


def write_queries(path: Path, count: int, n: int, m: int, rng: random.Random) -> None:
    """60 % existing names, 20 % NXDOMAIN, 20 % NODATA."""
    kinds = [existing_query] * 3 + [nxdomain_query, nodata_query]
    path.write_text("".join(rng.choice(kinds)(rng, n, m) + "\n" for _ in range(count)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--zones", type=int, default=10000)
    ap.add_argument("--big-names", type=int, default=100000)
    ap.add_argument("--queries", type=int, default=200000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    zdir = args.out / "zones"
    zdir.mkdir(parents=True, exist_ok=True)
    records = write_small_zones(zdir, args.zones) + write_big_zone(zdir, args.big_names)
    names = [small_zone_name(i) for i in range(1, args.zones + 1)] + ["big.test."]
    (args.out / "zonelist.txt").write_text(
        "".join(f"{z}\t{(zdir / (z + 'zone')).resolve()}\n" for z in names))
    write_queries(args.out / "queries.txt", args.queries, args.zones, args.big_names,
                  random.Random(args.seed))
    (args.out / "records.txt").write_text(f"{records}\n")
    empty = args.out / "empty"
    empty.mkdir(exist_ok=True)
    (empty / "empty.test.zone").write_text(
        SMALL_ZONE.format(zone="empty.test.", serial=1, v4=v4(1), v6=v6(1), mail4=v4(2)))
    print(f"{args.zones} hosting zones + big.test. ({args.big_names} names): "
          f"{records} records, {args.queries} queries in {args.out}")


if __name__ == "__main__":
    main()
