"""wrk: installing it, running it, reading its output."""

import os
import re
import shutil
import subprocess
import sys


def ensure_wrk() -> str:
    if path := shutil.which("wrk"):
        return path
    if os.geteuid() != 0:
        sys.exit(
            "wrk is not installed. Install it with `sudo apt-get install wrk` "
            "and run `make bench` again."
        )
    print("Installing wrk (Debian package)...", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(install, env=env, check=False)
    if path := shutil.which("wrk"):
        return path
    sys.exit("Could not install wrk with apt-get; install it and run again.")


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", value).groups()
    return float(number) * UNITS_MS[unit]


def parse_wrk(output: str) -> dict:
    def find(pattern):
        match = re.search(pattern, output, re.MULTILINE)
        return match.groups() if match else None

    result = {}
    if rps := find(r"^Requests/sec:\s+([\d.]+)"):
        result["rps"] = float(rps[0])
    if p50 := find(r"^\s+50%\s+(\S+)"):
        result["p50_ms"] = to_ms(p50[0])
    if p99 := find(r"^\s+99%\s+(\S+)"):
        result["p99_ms"] = to_ms(p99[0])
    if total := find(r"^\s+(\d+) requests in"):
        result["requests"] = int(total[0])
    if bad := find(r"Non-2xx or 3xx responses:\s+(\d+)"):
        result["bad_responses"] = int(bad[0])
    if errors := find(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
    ):
        result["socket_errors"] = sum(int(n) for n in errors)
    return result


def run_wrk(wrk: str, url: str, args, seconds: int) -> str:
    command = [
        wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        url,
    ]
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed: {completed.stderr.strip()}")
    return completed.stdout
