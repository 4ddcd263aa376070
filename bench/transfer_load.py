#!/usr/bin/env python3
"""Zone-transfer load for bench_transfers.sh: for SECONDS, cycles of one AXFR of a large zone
and COUNT IXFRs (from serial 0, so each is answered with the whole zone) of random small
zones, over TCP from 127.0.0.1. Reads the messages' length prefixes
and counts them and their octets without decoding, so the client costs little CPU.

Usage: transfer_load.py PORT BIG_ZONE ZONELIST COUNT SECONDS
Prints one line: median_axfr_seconds axfr_messages axfr_octets ixfrs ixfr_seconds axfrs
"""

from __future__ import annotations

import random
import socket
import struct
import sys
import time

import dns.message
import dns.rrset


def recv_exact(sock: socket.socket, n: int) -> bytes:
    chunks, got = [], 0
    while got < n:
        chunk = sock.recv(min(n - got, 1 << 16))
        if not chunk:
            raise ConnectionError("closed mid-message")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def transfer(port: int, zone: str, kind: str) -> tuple[int, int]:
    """One transfer; returns (messages, octets). An SOA query pipelined behind it on the same
    connection (RFC 7766 §6.2.1.1: answered in order) marks the end of the stream, so only
    the 2-octet IDs of the messages need reading."""
    q = dns.message.make_query(zone, kind)
    if kind == "IXFR":
        q.authority.append(dns.rrset.from_text(zone, 0, "IN", "SOA", ". . 0 0 0 0 0"))
    end = dns.message.make_query(zone, "SOA")
    end.id = (q.id + 1) % 65536
    wires = [q.to_wire(), end.to_wire()]
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(b"".join(struct.pack("!H", len(w)) + w for w in wires))
        messages = octets = 0
        while True:
            (length,) = struct.unpack("!H", recv_exact(s, 2))
            body = recv_exact(s, length)
            if struct.unpack("!H", body[:2])[0] == end.id:
                return messages, octets
            messages += 1
            octets += length


def main() -> None:
    port, big, zonelist, count, seconds = (int(sys.argv[1]), sys.argv[2], sys.argv[3],
                                           int(sys.argv[4]), float(sys.argv[5]))
    zones = [line.split("\t")[0] for line in open(zonelist) if line.strip()]
    zones = [z for z in zones if z != big]
    deadline = time.monotonic() + seconds
    rng = random.Random(1)
    axfr_times, ixfrs, ixfr_seconds = [], 0, 0.0
    # Cycles of one AXFR of the big zone and `count` IXFRs, for the whole run, so the query
    # load is measured while transfers are under way all along.
    while time.monotonic() < deadline:
        start = time.monotonic()
        axfr_messages, axfr_octets = transfer(port, big, "AXFR")
        axfr_times.append(time.monotonic() - start)
        start = time.monotonic()
        for _ in range(count):
            if time.monotonic() >= deadline:
                break
            transfer(port, rng.choice(zones), "IXFR")
            ixfrs += 1
        ixfr_seconds += time.monotonic() - start
    axfr_times.sort()
    print(f"{axfr_times[len(axfr_times) // 2]:.3f} {axfr_messages} {axfr_octets} {ixfrs} "
          f"{ixfr_seconds:.3f} {len(axfr_times)}")


if __name__ == "__main__":
    main()
