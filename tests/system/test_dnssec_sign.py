"""Zones signed by zones/ (sign_zone) pass the zone verifiers of three other implementations.

tests/tools/dnssec_sign_sample signs a sample zone (apex SOA/NS/MX/TXT/DNSKEY, A/AAAA, a
delegation with DS and one without, glue, occluded data, a wildcard, an empty
non-terminal, mixed-case names) with a fresh key, for both algorithms (ECDSA P-256, RFC
6605; Ed25519, RFC 8080) and each denial of existence (NSEC; NSEC3 per RFC 9276; NSEC3
with opt-out). Each signed zone must pass:

- ldns-verify-zone (ldnsutils): every RRSIG and the NSEC/NSEC3 chain;
- dnssec-verify -z (bind9-utils): completeness for the algorithm; -z because the one key
  is a combined signing key with the SEP flag, which BIND otherwise counts as KSK only;
- kzonecheck -d on (knot-dnssecutils): Knot's DNSSEC semantic checks.

The same zone with one signature corrupted must fail all three, so the tests can fail.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import dnsharness as h
from validator import tool

ZONE = "sample.test"
ALGORITHMS = ["ecdsap256sha256", "ed25519"]
DENIALS = ["nsec", "nsec3", "nsec3-optout"]


def signer() -> Path:
    return h.require_binary(h.build_dir() / "tests" / "dnssec_sign_sample")


def verifiers(zone_file: Path) -> dict[str, list[str]]:
    return {
        "ldns-verify-zone": [tool("ldns-verify-zone"), str(zone_file)],
        "dnssec-verify": [tool("dnssec-verify"), "-z", "-o", ZONE, str(zone_file)],
        "kzonecheck": [tool("kzonecheck"), "-o", ZONE, "-d", "on", str(zone_file)],
    }


def sign(tmp_path: Path, algorithm: str, denial: str) -> tuple[Path, str]:
    zone_file, ds_file = tmp_path / f"{ZONE}.zone", tmp_path / "ds"
    subprocess.run([str(signer()), algorithm, denial, str(zone_file), str(ds_file)],
                   check=True, timeout=30)
    return zone_file, ds_file.read_text()


def run(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=60)


def corrupt_one_signature(zone_file: Path) -> None:
    """Flips one base64 character of the RRSIG over www's A RRset."""
    lines = zone_file.read_text().splitlines()
    for i, line in enumerate(lines):
        fields = line.split()
        if fields[:1] == [f"www.{ZONE}."] and fields[3:5] == ["RRSIG", "A"]:
            signature = fields[-1]
            flipped = "B" if signature[8] == "A" else "A"
            lines[i] = line[: len(line) - len(signature)] + signature[:8] + flipped + signature[9:]
            break
    else:
        raise AssertionError("no RRSIG over www A in the signed zone")
    zone_file.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("denial", DENIALS)
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_signed_zone_passes_every_verifier(tmp_path, algorithm, denial):
    zone_file, ds = sign(tmp_path, algorithm, denial)
    number = {"ecdsap256sha256": "13", "ed25519": "15"}[algorithm]
    assert ds.startswith(f"{ZONE}. 3600 IN DS ") and ds.split()[5] == number and \
        ds.split()[6] == "2", ds
    text = zone_file.read_text()
    assert ("NSEC3PARAM" in text) == denial.startswith("nsec3")
    for name, argv in verifiers(zone_file).items():
        result = run(argv)
        assert result.returncode == 0, f"{name} failed:\n{result.stdout}\n{result.stderr}"


@pytest.mark.parametrize("denial", ["nsec", "nsec3"])
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_corrupted_signature_fails_every_verifier(tmp_path, algorithm, denial):
    zone_file, _ = sign(tmp_path, algorithm, denial)
    corrupt_one_signature(zone_file)
    for name, argv in verifiers(zone_file).items():
        result = run(argv)
        assert result.returncode != 0, f"{name} accepted a corrupted signature:\n{result.stdout}"
