"""Fixtures for apexdns system tests, and a per-test time limit.

Each test phase (setup, call, teardown) is bounded by `system_test_timeout`
(pytest.ini; `@pytest.mark.timeout_seconds(N)` overrides it per test): a SIGALRM
raises TestTimeout in the test, so fixtures still tear the servers down.
Servers are started in temporary directories on random free loopback ports.

Harness validation against reference servers (apexd is the default everywhere):
- APEX_SYSTEM_TARGET=nsd points the single-server tests (malformed input) at NSD;
- APEX_DIFF_CANDIDATE=knot|nsd compares Knot (or NSD itself) with NSD in the
  differential test instead of apexd, which exercises the normalisations.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dnsharness as h  # noqa: E402


class TestTimeout(Exception):
    """A test phase ran past its time limit."""


def pytest_addoption(parser):
    parser.addini("system_test_timeout", "time limit in seconds per test phase",
                  default="90")


def pytest_configure(config):
    config.addinivalue_line("markers",
                            "timeout_seconds(n): time limit for this test's phases")
    config.addinivalue_line("markers",
                            "big: uses a database of APEX_BIG_ZONES (default 100,000) zones; "
                            "about 15 s of setup (deselect with -m 'not big')")
    config.addinivalue_line("markers",
                            "alias: ALIAS flattening with Unbound and NSD (test_alias.py)")
    config.addinivalue_line("markers",
                            "heavy: takes more than 30 s (deselect with -m 'not heavy')")


def _limit_for(item) -> float:
    marker = item.get_closest_marker("timeout_seconds")
    if marker:
        return float(marker.args[0])
    return float(item.config.getini("system_test_timeout"))


def _alarm(seconds: float, phase: str, nodeid: str):
    def on_alarm(signum, frame):
        raise TestTimeout(f"{nodeid}: {phase} exceeded {seconds:.0f}s")
    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)


def _bounded(item, phase: str):
    _alarm(_limit_for(item), phase, item.nodeid)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    yield from _bounded(item, "setup")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield from _bounded(item, "call")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield from _bounded(item, "teardown")


def pytest_sessionfinish(session, exitstatus):
    """Last line of defence: no server outlives the test session."""
    h.stop_all()


@pytest.fixture
def report(request):
    """report(line): print a measurement on the terminal even when output is captured
    (pytest -q hides a passing test's prints), prefixed with the test's name."""
    say = h.terminal_writer(request.config)
    name = request.node.name
    return lambda line: say(f"[{name}] {line}")


# --- zone data ------------------------------------------------------------------

@pytest.fixture(scope="session")
def test_zones() -> list[h.ZoneFile]:
    """The differential-test zones (tests/system/data)."""
    return h.zone_files(h.DATA_DIR)


@pytest.fixture(scope="session")
def example_zones() -> list[h.ZoneFile]:
    """The examples/ hosting data set."""
    return h.zone_files(h.EXAMPLES_DIR)


@pytest.fixture(scope="session")
def all_zones(test_zones, example_zones) -> list[h.ZoneFile]:
    return test_zones + example_zones


# --- servers --------------------------------------------------------------------

@pytest.fixture(scope="module")
def apexd_server(tmp_path_factory, all_zones):
    """apexd (one worker thread) serving the test zones and the examples."""
    workdir = tmp_path_factory.mktemp("apexd")
    db = h.build_apex_db(workdir, [h.DATA_DIR, h.EXAMPLES_DIR])
    server = h.start_apexd(workdir, db, all_zones[0].name)
    try:
        yield server
    finally:
        code = server.stop()
    # apexd exits cleanly on SIGTERM (and a sanitizer build finds nothing to report).
    assert code == 0, f"apexd exited with {code} on SIGTERM:\n{server.log()}"


@pytest.fixture(scope="module")
def nsd_server(tmp_path_factory, all_zones):
    """NSD serving the same zone files as apexd_server."""
    workdir = tmp_path_factory.mktemp("nsd")
    server = h.start_nsd(workdir, all_zones)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def knot_server(tmp_path_factory, all_zones):
    """Knot serving the same zone files (harness validation only)."""
    workdir = tmp_path_factory.mktemp("knot")
    server = h.start_knot(workdir, all_zones)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def nsd_twin_server(tmp_path_factory, all_zones):
    """A second NSD instance (harness validation only)."""
    workdir = tmp_path_factory.mktemp("nsd-twin")
    server = h.start_nsd(workdir, all_zones)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def candidate_server(request):
    """The server compared with NSD: apexd unless APEX_DIFF_CANDIDATE is knot or nsd."""
    name = os.environ.get("APEX_DIFF_CANDIDATE", "apexd")
    fixtures = {"apexd": "apexd_server", "knot": "knot_server", "nsd": "nsd_twin_server"}
    if name not in fixtures:
        raise h.HarnessError(f"APEX_DIFF_CANDIDATE must be one of {sorted(fixtures)}")
    return request.getfixturevalue(fixtures[name])


@pytest.fixture(scope="module")
def target_server(request):
    """The server under test for single-server tests: apexd unless
    APEX_SYSTEM_TARGET=nsd (harness validation against the reference)."""
    name = os.environ.get("APEX_SYSTEM_TARGET", "apexd")
    if name not in ("apexd", "nsd"):
        raise h.HarnessError(f"APEX_SYSTEM_TARGET must be apexd or nsd, not {name}")
    return request.getfixturevalue(f"{name}_server")
