"""The dnstap query log: apexd writes AUTH_QUERY and AUTH_RESPONSE messages to a Frame
Streams collector (fstrm_capture, Debian fstrm-bin), read back with BIND's dnstap-read;
without a collector, or when it dies, apexd answers as before and counts what it drops,
and it reconnects by itself when the collector comes back."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import yaml

import dnsharness as h

CONTENT_TYPE = "protobuf:dnstap.Dnstap"
PROBE = "bakery.example."  # start_apexd's readiness probe: SOA queries, not counted here
STATS = re.compile(r"dnstap (\d+) sent/(\d+) dropped \(collector (connected|not connected)\)")

# (name, type, transport): each asked once, so each must appear exactly once per direction.
QUESTIONS = [
    ("shop.example.", "A", "udp"),
    ("shop.example.", "MX", "udp"),
    ("shop.example.", "TXT", "udp"),
    ("www.shop.example.", "A", "udp"),
    ("nosuch.shop.example.", "A", "udp"),
    ("shop.example.", "A", "tcp"),
    ("shop.example.", "NS", "tcp"),
    ("blog.example.", "SOA", "tcp"),
    ("www.blog.example.", "AAAA", "tcp"),
]

pytestmark = pytest.mark.skipif(
    not (shutil.which("fstrm_capture") and shutil.which("dnstap-read")),
    reason="needs fstrm_capture (fstrm-bin) and dnstap-read (bind9-dnsutils)")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return h.build_apex_db(tmp_path_factory.mktemp("dnstap-db"), [h.EXAMPLES_DIR])


@pytest.fixture
def sockdir():
    """A short directory for the collector's socket (AF_UNIX paths are at most 107 octets)."""
    path = Path(tempfile.mkdtemp(prefix="apexd-dnstap-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


class Collector:
    """fstrm_capture writing what arrives on a UNIX socket to a file."""

    def __init__(self, sock: Path, out: Path):
        self.sock, self.out = sock, out
        sock.unlink(missing_ok=True)
        self.proc = subprocess.Popen(
            ["fstrm_capture", "-t", CONTENT_TYPE, "-u", str(sock), "-w", str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 5
        while not sock.exists():
            assert self.proc.poll() is None, "fstrm_capture exited"
            assert time.monotonic() < deadline, "fstrm_capture did not create its socket"
            time.sleep(0.02)

    def stop(self) -> None:
        """SIGINT: fstrm_capture closes its file cleanly."""
        self.proc.send_signal(2)
        self.proc.wait(timeout=10)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)

    def messages(self) -> list[dict]:
        res = subprocess.run(["dnstap-read", "-y", str(self.out)], capture_output=True,
                             text=True, timeout=30)
        assert res.returncode == 0, res.stderr
        return [d["message"] for d in yaml.safe_load_all(res.stdout) if d]


def start_apexd(tmp_path: Path, db: Path, sock: Path, extra: str = "") -> h.Server:
    conf = tmp_path / "apexd.toml"
    conf.write_text(f'[server]\nstats_interval_s = 1\nidentity = "ns1.test"\n'
                    f'[dnstap]\nsocket = "{sock}"\n{extra}')
    return h.start_apexd(tmp_path, db, PROBE, threads=2, extra_args=("--config", conf))


def dnstap_stats(server: h.Server) -> tuple[int, int, bool] | None:
    """The last stats line's dnstap counters: (sent, dropped, connected)."""
    found = STATS.findall(server.log_path.read_text(errors="replace"))
    if not found:
        return None
    sent, dropped, state = found[-1]
    return int(sent), int(dropped), state == "connected"


def wait_stats(server: h.Server, predicate, timeout: float = 10.0) -> tuple[int, int, bool]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stats = dnstap_stats(server)
        if stats and predicate(stats):
            return stats
        time.sleep(0.1)
    raise AssertionError(f"dnstap stats never matched; last: {dnstap_stats(server)}\n"
                         f"{server.log()}")


def ask_all(server: h.Server, questions, timeout: float = 2.0) -> list[float]:
    """Asks every question; each must be answered. Returns the seconds each took."""
    took = []
    with h.Client(server.addr, timeout=timeout) as client:
        for name, rdtype, transport in questions:
            start = time.monotonic()
            reply = client.ask(h.make_query(name, rdtype, edns=True), transport)
            took.append(time.monotonic() - start)
            assert reply is not None, f"{name} {rdtype} over {transport} not answered"
    return took


def question_of(message: dict) -> tuple[str, str, str]:
    data = message["query_message_data" if message["type"] == "AUTH_QUERY"
                   else "response_message_data"]
    (question,) = data["QUESTION_SECTION"]
    name, _cls, rdtype = question.split()
    return name.lower(), rdtype, message["socket_protocol"].lower()


def logged(messages: list[dict], kind: str) -> list[tuple[str, str, str]]:
    return sorted(question_of(m) for m in messages
                  if m["type"] == kind and not question_of(m)[0] == PROBE)


def test_every_query_and_response_is_logged(tmp_path, db, sockdir):
    collector = Collector(sockdir / "tap.sock", tmp_path / "queries.tap")
    server = start_apexd(tmp_path, db, collector.sock)
    try:
        wait_stats(server, lambda s: s[2])  # connected
        ask_all(server, QUESTIONS)
    finally:
        assert server.stop() == 0, server.log()  # a clean stop flushes the queues
        collector.stop()
    messages = collector.messages()
    asked = sorted((n, t, p) for n, t, p in QUESTIONS)
    assert logged(messages, "AUTH_QUERY") == asked
    assert logged(messages, "AUTH_RESPONSE") == asked
    assert {m["type"] for m in messages} == {"AUTH_QUERY", "AUTH_RESPONSE"}
    for m in messages:
        assert m["socket_family"] == "INET"
        assert m["query_address"] == "127.0.0.1"
        assert m["response_address"] == "127.0.0.1"
        assert m["response_port"] == server.port
        # dnstap-read shows the time of the message's own direction
        if m["type"] == "AUTH_QUERY":
            assert "query_time" in m
        else:
            assert "response_time" in m
            assert m["response_message_data"]["flags"].startswith("qr aa")
    sent, dropped, _ = dnstap_stats(server)
    assert dropped == 0
    assert sent == len(messages)


def test_only_responses_when_queries_are_not_logged(tmp_path, db, sockdir):
    collector = Collector(sockdir / "tap.sock", tmp_path / "responses.tap")
    server = start_apexd(tmp_path, db, collector.sock, "log_queries = false\n")
    try:
        wait_stats(server, lambda s: s[2])
        ask_all(server, QUESTIONS[:3])
    finally:
        assert server.stop() == 0, server.log()
        collector.stop()
    messages = collector.messages()
    assert logged(messages, "AUTH_QUERY") == []
    assert logged(messages, "AUTH_RESPONSE") == sorted(QUESTIONS[:3])


def test_without_a_collector_answers_stay_prompt_and_drops_are_counted(tmp_path, db, sockdir):
    server = start_apexd(tmp_path, db, sockdir / "nobody.sock")
    questions = [("shop.example.", "A", "udp")] * 300 + [("shop.example.", "MX", "tcp")] * 30
    took = ask_all(server, questions, timeout=1.0)
    assert max(took) < 0.5, f"slowest answer {max(took):.3f} s"
    assert server.stop() == 0, server.log()
    sent, dropped, connected = dnstap_stats(server)  # the shutdown line
    assert (sent, connected) == (0, False)
    assert dropped >= 2 * len(questions)


@pytest.mark.timeout_seconds(120)
def test_collector_killed_then_back(tmp_path, db, sockdir):
    sock = sockdir / "tap.sock"
    first = Collector(sock, tmp_path / "first.tap")
    server = start_apexd(tmp_path, db, sock)
    try:
        wait_stats(server, lambda s: s[2])
        ask_all(server, QUESTIONS)
        first.kill()  # no clean end of stream: the next write fails
        # apexd notices at its next write; meanwhile and after, every query is answered.
        deadline = time.monotonic() + 10
        while not (dnstap_stats(server) and not dnstap_stats(server)[2]):
            assert time.monotonic() < deadline, server.log()
            ask_all(server, [("shop.example.", "A", "udp")])
            time.sleep(0.05)
        _, dropped_before, _ = wait_stats(server, lambda s: not s[2])
        took = ask_all(server, [("shop.example.", "A", "udp")] * 100, timeout=1.0)
        assert max(took) < 0.5, f"slowest answer {max(took):.3f} s"
        wait_stats(server, lambda s: s[1] >= dropped_before + 200)

        second = Collector(sock, tmp_path / "second.tap")  # reconnect within the interval
        wait_stats(server, lambda s: s[2], timeout=10)
        again = [("blog.example.", "MX", "udp"), ("blog.example.", "A", "tcp")]
        ask_all(server, again)
    finally:
        assert server.stop() == 0, server.log()
        first.proc.poll() is None and first.kill()
    second.stop()
    messages = second.messages()
    assert logged(messages, "AUTH_QUERY") == sorted(again)
    assert logged(messages, "AUTH_RESPONSE") == sorted(again)
