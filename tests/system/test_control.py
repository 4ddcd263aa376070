"""apexd's control socket and the apexctl commands that use it: status, stats, reload,
zone reload and alias refresh, run against a real apexd; the socket's permissions, its
single owner, and its answers to malformed requests written raw."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import dns.flags
import dns.message
import dns.rdatatype
import dns.rrset
import pytest

import dnsharness as h

sys.path.insert(0, str(h.REPO / "bench"))
import gen_hosting_data as gen  # noqa: E402

ZONE = "control.test."
ZONE_TEXT = f"""$ORIGIN {ZONE}
$TTL 3600
@ IN SOA ns1 hostmaster 41 7200 1800 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.1
www 3600 IN ALIAS lb.cdn.test.
"""


class StubResolver:
    """A UDP resolver answering A queries for every name with `address` (TTL 3600, so apexd
    has no reason to ask again on its own), AAAA with no records; counts the A queries."""

    def __init__(self, address: str):
        self.address = address
        self.a_queries = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.sock.getsockname()[1]}"

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                data, src = self.sock.recvfrom(65535)
                q = dns.message.from_wire(data)
            except Exception:  # noqa: BLE001 - time-outs and garbage alike
                continue
            r = dns.message.make_response(q)
            r.flags |= dns.flags.RA
            question = q.question[0]
            if question.rdtype == dns.rdatatype.A:
                self.a_queries += 1
                r.answer.append(dns.rrset.from_text(question.name, 3600, "IN", "A",
                                                    self.address))
            self.sock.sendto(r.to_wire(), src)

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=2)
        self.sock.close()


def answers_dns(apexd) -> bool:
    """apexd answers the zone's SOA (its serial may have risen: ALIAS changes raise it)."""
    soa = h.served(apexd.addr, ZONE, "SOA")
    return soa.rcode == 0 and soa.serial is not None and soa.serial >= 41


def ctl(db: Path, *args, config: Path | None = None) -> subprocess.CompletedProcess:
    extra = ["--config", str(config)] if config else []
    return h.apexctl(db, *extra, *args, check=False, timeout=20)


def raw_request(path: Path, octets: bytes) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(str(path))
        s.sendall(octets)
        s.shutdown(socket.SHUT_WR)
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    return reply


@pytest.fixture(scope="module")
def stub():
    resolver = StubResolver("192.0.2.10")
    yield resolver
    resolver.close()


@pytest.fixture(scope="module")
def apexd(tmp_path_factory, stub):
    """apexd serving control.test. (with an ALIAS resolved through the stub) and the
    examples, with a configuration file the tests may rewrite."""
    workdir = tmp_path_factory.mktemp("control")
    db = h.build_apex_db(workdir, [h.EXAMPLES_DIR])
    (workdir / "control.test.zone").write_text(ZONE_TEXT)
    h.apexctl(db, "zone", "import", workdir / "control.test.zone")
    config = workdir / "apexd.toml"
    config.write_text('[server]\nlog_level = "info"\n')
    server = h.start_apexd(workdir, db, ZONE,
                           extra_args=("--config", config, "--resolver", stub.endpoint))
    server.extra["config"] = config
    try:
        yield server
    finally:
        code = server.stop()
    assert code == 0, f"apexd exited with {code}:\n{server.log()}"


def zone_count(db: Path) -> int:
    listed = h.apexctl(db, "zone", "list", "--json").stdout
    return len(json.loads(listed))


def test_status_of_a_serving_apexd(apexd):
    db = apexd.extra["db"]
    r = ctl(db, "status")
    assert r.returncode == 0, r.stderr
    assert "state: serving" in r.stdout
    reply = json.loads(ctl(db, "status", "--json").stdout)
    assert reply["ok"] is True
    assert reply["state"] == "serving"
    assert reply["pid"] == apexd.pid
    version = subprocess.run([h.apexd_binary(), "--version"], capture_output=True,
                             text=True).stdout.split()[-1]
    assert reply["version"] == version
    assert reply["zones"] == zone_count(db)
    assert reply["listen"] == [f"127.0.0.1:{apexd.port}"]
    assert reply["serials_behind"] == []


def test_socket_is_beside_the_database_with_mode_0660(apexd):
    path = Path(str(apexd.extra["db"]) + ".sock")
    mode = os.lstat(path).st_mode
    assert stat.S_ISSOCK(mode)
    assert stat.S_IMODE(mode) == 0o660


def test_stats_json_and_one_zone(apexd):
    db = apexd.extra["db"]
    h.served(apexd.addr, "ns1." + ZONE, "A")
    r = ctl(db, "stats", "--json")
    assert r.returncode == 0, r.stderr
    stats = json.loads(r.stdout)["stats"]
    assert stats["responses"] >= 1
    assert {"transfers", "notify", "flatten", "log_lines_dropped"} <= stats.keys()
    r = ctl(db, "stats", "--zone", ZONE, "--json")
    assert r.returncode == 0, r.stderr
    zone = json.loads(r.stdout)
    assert zone["serial"] == h.served(apexd.addr, ZONE, "SOA").serial
    assert zone["records"] == 4
    assert [a["owner"] for a in zone["aliases"]] == ["www." + ZONE]
    r = ctl(db, "stats", "--zone", "no-such-zone.test")
    assert r.returncode == 1
    assert "not served" in r.stderr


def test_zone_reload(apexd):
    db = apexd.extra["db"]
    r = ctl(db, "zone", "reload", ZONE)
    assert r.returncode == 0, r.stderr
    assert f"reloaded: serial {h.served(apexd.addr, ZONE, 'SOA').serial}\n" in r.stdout
    r = ctl(db, "zone", "reload", "no-such-zone.test")
    assert r.returncode == 1
    assert "not in the database" in r.stderr
    # These commands never write the database: the change log has no entry for them.
    assert "zone-reload" not in h.apexctl(db, "log", "--limit", "5").stdout


def test_alias_refresh_resolves_the_target_again(apexd, stub):
    db = apexd.extra["db"]
    owner = "www." + ZONE
    took, last = h.wait_served(apexd.addr, owner, "A", lambda s: "192.0.2.10" in s.rdatas)
    assert took is not None, f"first resolution not served: {last}"
    stub.address = "192.0.2.99"
    asked = stub.a_queries
    time.sleep(0.5)
    assert "192.0.2.10" in h.served(apexd.addr, owner, "A").rdatas  # the TTL is an hour
    r = ctl(db, "alias", "refresh", owner)
    assert r.returncode == 0, r.stderr
    assert "lb.cdn.test." in r.stdout
    took, last = h.wait_served(apexd.addr, owner, "A", lambda s: "192.0.2.99" in s.rdatas)
    assert took is not None, f"the refresh was not served: {last}\n{apexd.log()}"
    assert stub.a_queries > asked
    r = ctl(db, "alias", "refresh", "nothing-here." + ZONE)
    assert r.returncode == 1
    assert "no alias" in r.stderr


def test_reload_applies_the_log_level_and_refuses_a_bad_configuration(apexd):
    db, config = apexd.extra["db"], apexd.extra["config"]
    original = config.read_text()
    try:
        # At warning, the info line of a zone reload is no longer logged.
        config.write_text('[server]\nlog_level = "warning"\n')
        r = ctl(db, "reload")
        assert r.returncode == 0, r.stderr
        assert "configuration reloaded" in r.stdout
        before = apexd.log_path.read_text().count("reloaded as asked on the control socket")
        assert ctl(db, "zone", "reload", ZONE).returncode == 0
        after = apexd.log_path.read_text().count("reloaded as asked on the control socket")
        assert after == before
        # A setting that needs a restart is reported as such.
        config.write_text('[server]\nlog_level = "info"\nudp_batch = 7\n')
        r = ctl(db, "reload")
        assert r.returncode == 0, r.stderr
        assert "udp_batch" in r.stdout
        config.write_text('[server]\nlog_level = "loud"\n')
        r = ctl(db, "reload")
        assert r.returncode == 1
        assert "log_level" in r.stderr
        assert answers_dns(apexd)
        assert ctl(db, "status").returncode == 0
    finally:
        config.write_text(original)
        ctl(db, "reload")


@pytest.mark.parametrize("octets,error", [
    (b"\n", "empty request"),
    (b"", "empty request"),
    (b"garbage \x00\xff\n", "request has control characters"),
    (b"x" * 10240 + b"\n", "request longer than 4096 octets"),
    (b"restart\n", "unknown command 'restart'"),
    (b"\xc3\xa9t\xc3\xa9\n", "unknown command"),
], ids=["newline", "nothing", "control-octets", "10KiB", "unknown", "non-ascii"])
def test_malformed_requests_get_error_replies(apexd, octets, error):
    path = Path(str(apexd.extra["db"]) + ".sock")
    reply = raw_request(path, octets)
    assert reply.endswith(b"\n") and reply.count(b"\n") == 1
    assert json.loads(reply) == {"ok": False, "error": error}
    assert answers_dns(apexd)
    assert apexd.alive()


def test_a_client_that_never_sends_is_closed_and_others_are_served(apexd):
    path = Path(str(apexd.extra["db"]) + ".sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as idle:
        idle.connect(str(path))
        assert ctl(apexd.extra["db"], "status").returncode == 0
        idle.settimeout(10)
        started = time.monotonic()
        reply = idle.recv(4096)
        assert json.loads(reply)["ok"] is False
        assert time.monotonic() - started < 9


def test_status_exit_3_when_apexd_is_not_running(tmp_path):
    db = h.build_apex_db(tmp_path, [])
    r = ctl(db, "status")
    assert r.returncode == 3
    assert "not running" in r.stderr
    assert not Path(str(db) + ".sock").exists()


def test_a_second_apexd_on_the_same_socket_refuses_to_start(tmp_path):
    db = h.build_apex_db(tmp_path, [h.EXAMPLES_DIR])
    first = h.start_apexd(tmp_path, db, "shop.example.")
    try:
        second = subprocess.run([h.apexd_binary(), "--db", db, "--listen",
                                 f"127.0.0.1:{h.free_port()}", "--threads", "1"],
                                capture_output=True, text=True, timeout=30)
        assert second.returncode == 1
        assert "another apexd answers on the control socket" in second.stderr
        assert ctl(db, "status").returncode == 0
        assert first.alive()
    finally:
        assert first.stop() == 0
    # Stopped: the socket is gone, and status says apexd is not running.
    assert not Path(str(db) + ".sock").exists()
    r = ctl(db, "status")
    assert r.returncode == 3, r.stderr


def test_stale_socket_of_a_killed_apexd_is_replaced(tmp_path):
    db = h.build_apex_db(tmp_path, [h.EXAMPLES_DIR])
    first = h.start_apexd(tmp_path, db, "shop.example.")
    os.killpg(first.pid, 9)
    first.proc.wait(timeout=10)
    first.stop()
    path = Path(str(db) + ".sock")
    assert path.exists()
    assert ctl(db, "status").returncode == 3
    second = h.start_apexd(tmp_path, db, "shop.example.")
    try:
        assert ctl(db, "status").returncode == 0
    finally:
        assert second.stop() == 0


def test_control_path_from_the_command_line_and_the_configuration(tmp_path):
    db = h.build_apex_db(tmp_path, [h.EXAMPLES_DIR])
    path = tmp_path / "elsewhere.sock"
    server = h.start_apexd(tmp_path, db, "shop.example.", extra_args=("--control", path))
    try:
        assert path.exists() and not Path(str(db) + ".sock").exists()
        assert ctl(db, "status").returncode == 3
        assert ctl(db, "--control", str(path), "status").returncode == 0
        config = tmp_path / "apexctl.toml"
        config.write_text(f'[control]\nsocket = "{path}"\n')
        assert ctl(db, "status", config=config).returncode == 0
    finally:
        assert server.stop() == 0


def test_with_user_the_socket_belongs_to_that_user_and_is_removed_at_exit(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("switching users needs root")
    import pwd
    import shutil
    import tempfile
    nobody = pwd.getpwnam("nobody")
    # Outside pytest's root-only tree, so that nobody can reach the database.
    data = Path(tempfile.mkdtemp(prefix="apexdns-control-"))
    try:
        db = data / "apex.db"
        h.apexctl(db, "init")
        h.apexctl(db, "zone", "add", "shop.example")
        for p in [data, *data.iterdir()]:
            os.chown(p, nobody.pw_uid, nobody.pw_gid)
        server = h.start_apexd(tmp_path, db, "shop.example.", extra_args=("--user", "nobody"))
        path = Path(str(db) + ".sock")
        st = os.lstat(path)
        assert (st.st_uid, st.st_gid) == (nobody.pw_uid, nobody.pw_gid)
        assert stat.S_IMODE(st.st_mode) == 0o660
        assert ctl(db, "status").returncode == 0
        assert server.stop() == 0
        assert not path.exists()
    finally:
        shutil.rmtree(data, ignore_errors=True)


def test_status_says_loading_until_the_zones_are_in(tmp_path):
    """With enough zones that loading takes a while, status answers from the start: loading
    (exit 1) with the database and listen addresses, then serving (exit 0)."""
    zdir = tmp_path / "zones"
    zdir.mkdir()
    gen.write_small_zones(zdir, 20000)
    db = tmp_path / "apex.db"
    h.apexctl(db, "init")
    h.apexctl(db, "zone", "import", zdir, timeout=300)
    path = Path(str(db) + ".sock")
    port = h.free_port()
    proc = h.spawn([h.apexd_binary(), "--db", db, "--listen", f"127.0.0.1:{port}",
                    "--threads", "1"], tmp_path / "apexd.log", tmp_path)
    states = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "serving" not in states:
            try:
                reply = json.loads(raw_request(path, b"status\n"))
            except (FileNotFoundError, ConnectionRefusedError):
                continue
            assert reply["ok"] is True
            assert reply["database"] == str(db)
            assert reply["listen"] == [f"127.0.0.1:{port}"]
            if not states or states[-1] != reply["state"]:
                states.append(reply["state"])
            if reply["state"] == "loading":
                assert "zones" not in reply
                # It may have finished in between: the exit status follows what it says.
                r = ctl(db, "status")
                assert r.returncode == (0 if "state: serving" in r.stdout else 1), r.stdout
        assert states == ["loading", "serving"]
        assert ctl(db, "status").returncode == 0
        assert json.loads(ctl(db, "status", "--json").stdout)["zones"] == 20000
    finally:
        h.stop_process(proc)


def test_status_and_stats_tell_which_secondaries_are_behind(tmp_path):
    import dns.query
    import dns.zone
    db = h.build_apex_db(tmp_path, [h.EXAMPLES_DIR])
    (tmp_path / "control.test.zone").write_text(ZONE_TEXT)
    h.apexctl(db, "zone", "import", tmp_path / "control.test.zone")
    secondary = f"127.0.0.1:{h.free_port()}"   # nothing listens: NOTIFY goes unanswered
    h.apexctl(db, "secondary", "add", secondary, "--zone", ZONE)
    server = h.start_apexd(tmp_path, db, ZONE)
    try:
        behind = json.loads(ctl(db, "status", "--json").stdout)["serials_behind"]
        assert behind == [{"secondary": secondary, "zones": 1, "examples": [ZONE]}]
        assert "1 zone(s) behind (control.test.)" in ctl(db, "status").stdout
        # The secondary transfers the zone (from its address; the port does not matter).
        xfr = dns.zone.from_xfr(dns.query.xfr("127.0.0.1", ZONE, port=server.port,
                                              source="127.0.0.1", timeout=5))
        assert xfr.get_soa().serial == 41
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            behind = json.loads(ctl(db, "status", "--json").stdout)["serials_behind"]
            if behind[0]["zones"] == 0:
                break
            time.sleep(0.2)
        assert behind == [{"secondary": secondary, "zones": 0, "examples": []}]
        zone = json.loads(ctl(db, "stats", "--zone", ZONE, "--json").stdout)
        assert zone["secondaries"] == [{"secondary": secondary, "notify_serial": 41,
                                        "transfer_serial": 41, "behind": False}]
    finally:
        assert server.stop() == 0


def test_beside_a_database_it_may_only_read_apexd_serves_without_a_socket(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("running apexd as another user needs root")
    import pwd
    import shutil
    import tempfile
    nobody = pwd.getpwnam("nobody")
    # Outside pytest's root-only tree: nobody may read the database, not create files there,
    # and may create files in `run`.
    data = Path(tempfile.mkdtemp(prefix="apexdns-control-ro-"))
    run = Path(tempfile.mkdtemp(prefix="apexdns-control-run-"))
    try:
        data.chmod(0o755)
        os.chown(run, nobody.pw_uid, nobody.pw_gid)
        db = h.build_apex_db(data, [h.EXAMPLES_DIR])

        def argv(port: int, *extra) -> list:
            return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                    h.apexd_binary(), "--db", db, "--listen", f"127.0.0.1:{port}",
                    "--threads", "1", *extra]

        server = h.start_server("apexd", argv, tmp_path, "shop.example.")
        try:
            assert "no control socket: apexd may not create" in server.log()
            assert ctl(db, "status").returncode == 3
        finally:
            assert server.stop() == 0
        # Given a place it may create the socket in, it has one.
        path = run / "apexd.sock"
        server = h.start_server("apexd", lambda port: argv(port, "--control", path), tmp_path,
                                "shop.example.")
        try:
            assert ctl(db, "--control", str(path), "status").returncode == 0
        finally:
            assert server.stop() == 0
        assert not path.exists()
    finally:
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(run, ignore_errors=True)
