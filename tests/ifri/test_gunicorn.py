"""gunicorn started again at once after its master was killed serves the site.

The server is started as `make run` starts it: ifri/gunicorn.conf.py, with
the port from the environment, on a free port of 127.0.0.1. Each server runs
in a session of its own; the test ends only those process groups.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(tmp_path) -> str:
    """A database for /healthz to check: this test's own on PostgreSQL."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"sqlite:///{tmp_path / 'db.sqlite3'}"


class Gunicorn:
    def __init__(self, port: int, env: dict, log: Path):
        self.log = log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 (our interpreter, our config)
            [sys.executable, "-m", "gunicorn", "--config", "ifri/gunicorn.conf.py"],
            cwd=ROOT,
            env={**env, "PORT": str(port)},
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        # A session leader: its pid is the group of the master and its workers.
        self.group = self.process.pid

    def stop(self):
        try:
            os.killpg(self.group, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self.log.close()


def healthz(port: int) -> int | None:
    try:
        with urllib.request.urlopen(  # noqa: S310 (http on 127.0.0.1)
            f"http://127.0.0.1:{port}/healthz", timeout=5
        ) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(child) for child in path.read_text().split()]
    except FileNotFoundError:  # the process is gone
        return []


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status  # exited, not yet waited for


def wait_until(condition, what: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not after {STARTUP_SECONDS}s\n{log.read_text()}")
        time.sleep(0.2)


def test_gunicorn_started_right_after_its_master_was_killed_serves(tmp_path):
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "ifri.settings",
        # As `make run` sets them.
        "DEBUG": "0",
        "HTTPS": "off",
        "SERVE_MEDIA": "on",
        "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": database_url(tmp_path),
        "WORKERS": "2",
        "THREADS": "2",
    }
    log = tmp_path / "gunicorn.log"
    first = Gunicorn(port, env, log)
    servers = [first]
    try:
        wait_until(lambda: healthz(port) == 200, "the first server answers", log)
        old_workers = children(first.process.pid)
        assert old_workers, log.read_text()

        # A request still arriving (a slow client, an upload) keeps its
        # worker, and with it the port, for gunicorn's graceful timeout after
        # the master dies.
        with socket.create_connection(("127.0.0.1", port)) as slow_client:
            slow_client.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            time.sleep(0.5)
            os.kill(first.process.pid, signal.SIGKILL)
            first.process.wait(timeout=30)
            second = Gunicorn(port, env, log)
            servers.append(second)

            # Its workers are started once it has bound the port.
            wait_until(
                lambda: children(second.process.pid) or second.process.poll(),
                "the second server starts its workers or exits",
                log,
            )
            assert second.process.poll() is None, log.read_text()

        wait_until(
            lambda: not any(alive(pid) for pid in old_workers),
            "the killed master's workers exit",
            log,
        )
        assert healthz(port) == 200, log.read_text()
        assert second.process.poll() is None, log.read_text()
    finally:
        for server in servers:
            server.stop()
