"""What the tests with real processes share: a site database in a folder of its own,
web processes (gunicorn, as `make serve` runs them) and the task worker, each started
on loopback, waited for within a bound, and ended by its own process id."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MANAGE = [sys.executable, str(REPO / "manage.py")]
# Servers the tests start keep to this range of loopback ports.
PORTS = range(8340, 8400)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def site_env(folder: Path, **extra: str) -> dict[str, str]:
    """Production settings but for plain static files (DJANGO_TESTING) and a database
    of the folder's own; no REDIS_URL: the default, per-process cache."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "DJANGO_TESTING": "1",
        "DJANGO_TASKS_IMMEDIATE": "0",
        **extra,
    }


def manage(env: dict[str, str], *command: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [*MANAGE, *command], env=env, capture_output=True, text=True, cwd=REPO, timeout=timeout
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def load_site(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput")
    manage(env, "load_bundled_round")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def web(env: dict[str, str], workers: int = 1, threads: int = 1) -> Iterator[str]:
    """gunicorn on a free loopback port; yields its URL."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mlperf_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "60",
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if server.poll() is not None:
                pytest.fail(f"gunicorn stopped with status {server.returncode}")
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the site did not start")
        yield url
    finally:
        stop(server)


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
