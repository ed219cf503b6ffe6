"""The site served by `make run` on 127.0.0.1, and plain HTTP requests to it."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def http_status(url: str) -> int:
    try:
        with OPENER.open(url, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) == 0


class Server:
    """`make run` in its own process group, so that stopping it stops gunicorn."""

    def __init__(self, port: int, env: dict, log_path: Path):
        self.port = port
        self.env = env
        self.log_path = log_path
        self.process = None

    def start(self):
        self.log = self.log_path.open("w")
        make = os.environ.get("MAKE", "make")
        self.process = subprocess.Popen(
            [make, "--no-print-directory", "run", f"PORT={self.port}"],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_ready(self, timeout: int):
        url = f"http://{HOST}:{self.port}/healthz"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"`make run` exited with status {self.process.returncode} "
                    f"before answering.\n{self.log_tail()}"
                )
            try:
                status = http_status(url)
            except OSError:
                time.sleep(0.5)
                continue
            if status == 200:
                return
            raise RuntimeError(f"/healthz answered HTTP {status}.\n{self.log_tail()}")
        raise RuntimeError(f"No answer from {url} after {timeout}s.\n{self.log_tail()}")

    def stop(self):
        if self.process is None:
            return
        pgid = self.process.pid  # a session leader: its pid is its group id
        try:
            os.killpg(pgid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            pass
        # gunicorn's workers live in the same group; make sure none is left.
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)
        self.log.close()

    def description(self) -> str:
        """Worker settings, read from the gunicorn command `make run` printed."""
        command = self.log_path.read_text(errors="replace")
        workers = re.search(r"\bWORKERS=(\d+)", command)
        threads = re.search(r"\bTHREADS=(\d+)", command)
        if not workers:
            return "gunicorn"
        text = f"gunicorn, {workers[1]} workers"
        return text + (f" x {threads[1]} threads" if threads else "")

    def log_tail(self, lines: int = 30) -> str:
        self.log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return (
            "--- last lines of " + str(self.log_path) + "\n" + "\n".join(text[-lines:])
        )
