"""Servers the fault tests start, stop, freeze and restart themselves: a
PostgreSQL server, a Redis server and the site under gunicorn, each on a
port of its own on 127.0.0.1 (never the machine's shared 5432 and 6379)."""

import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server binaries (Debian keeps them off PATH)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/postgres"),
        key=lambda path: int(path.split("/")[4]) if path.split("/")[4].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("postgres")
    return Path(on_path).parent if on_path and shutil.which("initdb") else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except Exception:  # not there yet
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within {timeout} s")
        time.sleep(0.1)


def _children(pid: int) -> list[int]:
    found = []
    for task in glob.glob(f"/proc/{pid}/task/*/children"):
        try:
            found += [int(child) for child in Path(task).read_text().split()]
        except OSError:  # the task ended meanwhile
            continue
    return found


class Server:
    """A server process we started; freezing stops it and its children."""

    process: subprocess.Popen | None = None

    def pids(self) -> list[int]:
        pids, pending = [], [self.pid()]
        while pending:
            pid = pending.pop()
            pids.append(pid)
            pending += _children(pid)
        return pids

    def pid(self) -> int:
        return self.process.pid

    def freeze(self) -> None:
        """Stops answering without closing anything, as a hung host does."""
        for pid in self.pids():
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self.pids():
            os.kill(pid, signal.SIGCONT)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if not self.running:
            return
        self.thaw()
        self.process.send_signal(self.stop_signal)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


class PostgresServer(Server):
    """A cluster of our own in a temporary folder, run as `postgres` when we
    are root (initdb refuses to run as root)."""

    stop_signal = signal.SIGINT  # "fast" shutdown: connections are closed

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.port = free_port()
        # Not under pytest's own tmp folder, which only root may enter.
        self.directory = Path(tempfile.mkdtemp(prefix="ifri-faults-pg-"))
        self.user = {}
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.directory, account.pw_uid, account.pw_gid)
            self.user = {"user": account.pw_uid, "group": account.pw_gid}
        subprocess.run(
            [
                self.bin_dir / "initdb",
                "--pgdata",
                self.directory / "data",
                "--username",
                "postgres",
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            **self.user,
        )

    def start(self) -> None:
        with open(self.directory / "server.log", "ab") as log:
            self.process = subprocess.Popen(
                [
                    self.bin_dir / "postgres",
                    "-D",
                    self.directory / "data",
                    "-p",
                    str(self.port),
                    "-k",
                    self.directory,
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "fsync=off",
                    "-c",
                    "full_page_writes=off",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                **self.user,
            )
        wait_for(lambda: self.connect().close() or True, 30, "PostgreSQL")

    def connect(self, database: str = "postgres"):
        return psycopg2.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname=database,
            connect_timeout=2,
        )

    def create_database(self, name: str, template: str = "template1") -> str:
        connection = self.connect()
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        connection.close()
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class RedisServer(Server):
    """A Redis of our own; a snapshot in its folder survives a restart."""

    stop_signal = signal.SIGTERM

    def __init__(self, executable: str):
        self.executable = executable
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="ifri-faults-redis-"))

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with open(self.directory / "server.log", "ab") as log:
            self.process = subprocess.Popen(
                [
                    self.executable,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--dir",
                    self.directory,
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(lambda: self.command("PING") == "+PONG", 10, "Redis")

    def command(self, *words: str) -> str:
        """One command in Redis's inline protocol; its answer's first line."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
            conn.sendall(" ".join(words).encode() + b"\r\n")
            return conn.makefile("rb").readline().decode().strip()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class Site(Server):
    """The site as `make run` serves it: gunicorn with its configuration
    (ifri/gunicorn.conf.py), threads, DEBUG off."""

    stop_signal = signal.SIGINT  # quick shutdown
    workers = 2
    threads = 4

    def __init__(self, directory: Path, environment: dict):
        self.directory = directory
        self.port = free_port()
        self.environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ifri.settings",
            "VAR_DIR": str(directory),
            "DEBUG": "0",
            "HTTPS": "off",
            "SECRET_KEY": "faults-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            **environment,
        }
        self.log = directory / "gunicorn.log"

    def manage(self, *arguments: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=self.environment,
            check=True,
            capture_output=True,
        )

    def manage_in_background(self, *arguments: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=self.environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def python(self, code: str) -> None:
        """Runs ``code`` with Django set up, as a script of the site would."""
        script = f"import django\ndjango.setup()\n{code}"
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=self.environment,
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [BIN / "gunicorn", "--config", ROOT / "ifri" / "gunicorn.conf.py"],
                cwd=ROOT,
                env={
                    **self.environment,
                    "PORT": str(self.port),
                    "WORKERS": str(self.workers),
                    "THREADS": str(self.threads),
                },
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(lambda: self.get("/robots.txt").ok, 60, "gunicorn")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str, timeout: float = 10, **kwargs) -> requests.Response:
        """A reader who gives up after ``timeout`` seconds."""
        try:
            return requests.get(self.url(path), timeout=timeout, **kwargs)
        except requests.Timeout:
            raise AssertionError(f"{path}: no answer within {timeout} s") from None

    def get_all(self, paths: list[str], timeout: float) -> list[requests.Response]:
        """Readers asking for all these pages at once, each giving up after
        ``timeout`` seconds."""
        with ThreadPoolExecutor(len(paths)) as readers:
            return list(readers.map(lambda path: self.get(path, timeout), paths))

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


# The sites the fault tests start (fixtures: conftest.py) ----------------------

# Limits short enough for a quick test, as an operator may set them.
TIMEOUTS = {"DATABASE_CONNECT_TIMEOUT": "2", "DATABASE_STATEMENT_TIMEOUT": "2"}

EDITOR = ("editor", "correct horse battery staple")

TEMPLATE = "ifri_faults_template"
_databases = itertools.count()


def start_site(postgres, prepared, directory, **environment) -> Site:
    """gunicorn serving a copy of the prepared database."""
    url = postgres.create_database(f"ifri_faults_{next(_databases)}", template=TEMPLATE)
    site = Site(
        directory,
        {
            **prepared,
            "DATABASE_URL": url,
            "CACHE_URL": f"filecache://{directory / 'cache'}",
            **TIMEOUTS,
            **environment,
        },
    )
    site.start()
    return site
