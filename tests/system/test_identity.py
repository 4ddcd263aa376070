"""What apexd tells of itself (RFC 4892, RFC 5001) and `--version`: NSID and CH TXT
id.server / hostname.bind with [server] identity, version.bind unless hide_version, REFUSED
for what is not told; dig sees what a node is, as an anycast operator asks it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import dnsharness as h


def start(tmp_path: Path, config: str) -> h.Server:
    db = tmp_path / "apex.db"
    h.apexctl(db, "init")
    h.apexctl(db, "zone", "add", "shop.example")
    conf = tmp_path / "apexd.toml"
    conf.write_text(config)
    return h.start_apexd(tmp_path, db, "shop.example.", extra_args=("--config", conf))


def dig(server: h.Server, *args: str) -> str:
    host, port = server.addr
    res = subprocess.run(["dig", f"@{host}", "-p", str(port), "+time=2", "+tries=1", *args],
                         capture_output=True, text=True, timeout=10)
    assert res.returncode == 0, res.stderr
    return res.stdout


def test_identity_and_version_told_as_configured(tmp_path):
    server = start(tmp_path, '[server]\nidentity = "ns1.fra.hoster.example"\n')
    out = dig(server, "+nsid", "shop.example", "SOA")
    assert 'NSID: ' in out and '("ns1.fra.hoster.example")' in out, out
    for name in ("id.server", "hostname.bind"):
        out = dig(server, "CH", "TXT", name)
        assert "status: NOERROR" in out and "Warning" not in out, out
        assert f'{name}.\t\t0\tCH\tTXT\t"ns1.fra.hoster.example"' in out, out
    version = subprocess.run([str(h.apexd_binary()), "--version"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
    assert version.startswith("apexd (apexdns) ")
    out = dig(server, "+short", "CH", "TXT", "version.bind")
    assert out.strip() == '"apexdns ' + version.split()[-1] + '"', out


def test_nothing_told_when_not_configured(tmp_path):
    server = start(tmp_path, "[server]\nhide_version = true\n")
    for name in ("id.server", "version.bind", "version.server"):
        assert "status: REFUSED" in dig(server, "CH", "TXT", name)
    assert "NSID" not in dig(server, "+nsid", "shop.example", "SOA")
    ctl = subprocess.run([str(h.apexctl_binary()), "--version"], capture_output=True, text=True,
                         timeout=10)
    assert ctl.returncode == 0 and ctl.stdout.startswith("apexctl (apexdns) ")
