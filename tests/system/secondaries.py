"""NSD, Knot and BIND as secondaries of apexd (RFC 5936 zone transfers, RFC 8945 TSIG).

Each secondary gets every zone from the primary at 127.0.0.1:PRIMARY_PORT with one TSIG key,
keeps all of its state (configuration, zone files, journals, logs) in its own directory under
the test's tmp dir, and listens on 127.0.0.1:PORT for the test's queries. The port is chosen
before the start, so that apexd can be told about the secondary (`apexctl secondary add
127.0.0.1:PORT --key K`) before the secondary asks for its first transfer.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import dnsharness as h


@dataclass(frozen=True)
class TsigKey:
    """A TSIG key as the three secondaries spell it (name with the trailing dot)."""
    name: str        # "xfr.hoster.example."
    algorithm: str   # "hmac-sha256"
    secret: str      # base64


def _binary(name: str) -> Path:
    return h.require_binary(Path(shutil.which(name) or f"/usr/sbin/{name}"))


# --- NSD 4.6 -------------------------------------------------------------------------------

def nsd_secondary_config(workdir: Path, port: int, primary_port: int, key: TsigKey,
                         zones: list[str]) -> str:
    """The harness's NSD server section, then the key and one zone clause per zone: transfers
    asked as IXFR over TCP (`request-xfr` without AXFR or UDP; NSD falls back to AXFR when
    the primary answers with the whole zone), NOTIFY accepted from the primary when signed.
    Transferred zones are written to their files within a second (`zonefiles-write`), so a
    restarted NSD resumes from its serial instead of starting empty."""
    lines = [h.nsd_config(workdir, port, []).rstrip("\n").replace(
        "    verbosity: 0", "    verbosity: 2\n    zonefiles-write: 1")]
    lines += ["key:", f'    name: "{key.name}"', f"    algorithm: {key.algorithm}",
              f'    secret: "{key.secret}"']
    for zone in zones:
        lines += ["zone:", f'    name: "{zone}"', f'    zonefile: "{workdir}/{zone}zone"',
                  f"    request-xfr: {h.LOOPBACK}@{primary_port} {key.name}",
                  f"    allow-notify: {h.LOOPBACK} {key.name}",
                  # The IXFR versions NSD received, kept as sent and served back to the
                  # tests: an AXFR (or the whole zone in answer to an IXFR) keeps none.
                  "    store-ixfr: yes", f"    provide-xfr: {h.LOOPBACK} NOKEY"]
    return "\n".join(lines) + "\n"


def nsd_argv(workdir: Path, port: int, primary_port: int, key: TsigKey,
             zones: list[str]) -> list:
    conf = workdir / "nsd.conf"
    conf.write_text(nsd_secondary_config(workdir, port, primary_port, key, zones))
    return [_binary("nsd"), "-d", "-c", conf]


# --- Knot 3.2 ------------------------------------------------------------------------------

def knot_secondary_config(workdir: Path, port: int, primary_port: int, key: TsigKey,
                          zones: list[str], catalog: str | None = None) -> str:
    """Knot with the primary as `master:` and an ACL for its signed NOTIFY; zone files and
    journals go to workdir (Knot writes the transferred zone back as a file). With a
    catalog, that zone is a catalog consumer (RFC 9432 §5, `catalog-role: interpret`) whose
    members get the template `catalog-member`: the same primary, key and ACL."""
    lines = [
        "server:", f"    listen: {h.LOOPBACK}@{port}", f'    rundir: "{workdir}"',
        "    udp-workers: 1", "    tcp-workers: 1", "    background-workers: 1",
        "control:", f'    listen: "{workdir}/knot.sock"',
        "log:", "  - target: stderr", "    any: info",
        "database:", f'    storage: "{workdir}"',
        "key:", f"  - id: {key.name}", f"    algorithm: {key.algorithm}",
        f"    secret: {key.secret}",
        "remote:", "  - id: primary", f"    address: {h.LOOPBACK}@{primary_port}",
        f"    key: {key.name}",
        "acl:", "  - id: notify_from_primary", f"    address: {h.LOOPBACK}",
        f"    key: {key.name}", "    action: notify",
        # The tests read back what Knot serves with an AXFR, as NSD's provide-xfr allows.
        "  - id: transfer_to_tests", f"    address: {h.LOOPBACK}", "    action: transfer",
        "template:", "  - id: default", f'    storage: "{workdir}"', "    master: primary",
        "    acl: [notify_from_primary, transfer_to_tests]", "    semantic-checks: off",
    ]
    if catalog is not None:
        lines += ["  - id: catalog-member", f'    storage: "{workdir}"', "    master: primary",
                  "    acl: notify_from_primary", "    semantic-checks: off"]
    lines += ["zone:"]
    lines += [f'  - domain: "{zone}"' for zone in zones]
    if catalog is not None:
        lines += [f'  - domain: "{catalog}"', "    catalog-role: interpret",
                  "    catalog-template: catalog-member"]
    return "\n".join(lines) + "\n"


def knot_argv(workdir: Path, port: int, primary_port: int, key: TsigKey,
              zones: list[str]) -> list:
    conf = workdir / "knot.conf"
    conf.write_text(knot_secondary_config(workdir, port, primary_port, key, zones))
    return [_binary("knotd"), "-c", conf]


# --- BIND 9.18 -----------------------------------------------------------------------------

def bind_secondary_config(workdir: Path, port: int, primary_port: int, key: TsigKey,
                          zones: list[str], catalog: str | None = None) -> str:
    """named.conf: authoritative only, IPv4 only, no control channel, every file (pid,
    session key, managed keys, zone files) inside workdir, which named may write. With a
    catalog, that zone is a secondary zone named in `catalog-zones` (RFC 9432 §5): its
    members are transferred from the same primary with the same key, their NOTIFY
    accepted (allow-notify in options, which member zones inherit)."""
    d = workdir
    primaries = f'{h.LOOPBACK} port {primary_port} key "{key.name}";'
    consumer = []
    if catalog is not None:
        zones = [*zones, catalog]
        # min-update-interval 1: members follow a catalog change within a second, not 5.
        consumer = [f'    catalog-zones {{ zone "{catalog}" default-primaries {{ {primaries} }}',
                    "                    min-update-interval 1; };",
                    f"    allow-notify {{ {h.LOOPBACK}; }};"]
    lines = [
        "options {", f'    directory "{d}";', f"    listen-on port {port} {{ {h.LOOPBACK}; }};",
        "    listen-on-v6 { none; };", f'    pid-file "{d}/named.pid";',
        f'    session-keyfile "{d}/session.key";', f'    managed-keys-directory "{d}";',
        "    recursion no;", "    dnssec-validation no;", "    notify no;",
        "    allow-transfer { none; };", "    minimal-responses no;", *consumer,
        "};",
        "controls { };",
        f'key "{key.name}" {{ algorithm {key.algorithm}; secret "{key.secret}"; }};',
    ]
    for zone in zones:
        lines += [f'zone "{zone}" {{', "    type secondary;",
                  f'    primaries {{ {h.LOOPBACK} port {primary_port} key "{key.name}"; }};',
                  f'    file "{zone}db";', f"    allow-notify {{ {h.LOOPBACK}; }};", "};"]
    return "\n".join(lines) + "\n"


def bind_argv(workdir: Path, port: int, primary_port: int, key: TsigKey,
              zones: list[str]) -> list:
    conf = workdir / "named.conf"
    conf.write_text(bind_secondary_config(workdir, port, primary_port, key, zones))
    # -g: foreground, log to stderr; -4: IPv4 only; no -u: stays the test's user.
    return [_binary("named"), "-g", "-4", "-c", conf]


ARGV = {"nsd": nsd_argv, "knot": knot_argv, "bind": bind_argv}


def start_catalog_consumer(kind: str, workdir: Path, port: int, primary_port: int,
                           key: TsigKey, catalog: str) -> h.Server:
    """Knot or BIND configured with the catalog zone alone (and the TSIG key): every other
    zone it serves comes from the catalog's members (RFC 9432 §5)."""
    config = {"knot": (knot_secondary_config, "knot.conf", "knotd", ["-c"]),
              "bind": (bind_secondary_config, "named.conf", "named", ["-g", "-4", "-c"])}
    make_config, file_name, binary, flags = config[kind]
    d = workdir / f"{kind}-catalog"
    d.mkdir(parents=True, exist_ok=True)

    def argv(p: int) -> list:
        conf = d / file_name
        conf.write_text(make_config(d, p, primary_port, key, [], catalog))
        return [_binary(binary), *flags, conf]

    return h.start_server(kind, argv, d, "probe.invalid.", retries=1, pick_port=lambda: port)


def start_secondary(kind: str, workdir: Path, port: int, primary_port: int, key: TsigKey,
                    zones: list[str]) -> h.Server:
    """Starts the secondary on the given port; ready once it answers a query (for a name
    outside its zones: it answers before its zones are transferred)."""
    d = workdir / kind
    d.mkdir(parents=True, exist_ok=True)
    return h.start_server(kind, lambda p: ARGV[kind](d, p, primary_port, key, zones), d,
                          "probe.invalid.", retries=1, pick_port=lambda: port)
