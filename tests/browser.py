"""What the browser tests share: the site in a process of its own, and Debian's Chromium.

The site runs with its own SQLite database, set up by the same commands
`make run` uses, so a test sees what a person would; Playwright drives
/usr/bin/chromium (never a downloaded browser).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# Screenshots: outside the working tree unless TEST_ARTIFACTS names a folder to keep them in.
ARTIFACTS = Path(
    os.environ.get("TEST_ARTIFACTS") or Path(tempfile.gettempdir()) / "mlperf-test-artifacts"
)
MANAGE = [sys.executable, str(REPO / "manage.py")]
# Without the networking flags Chromium keeps knocking on this closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(folder: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "DJANGO_TESTING": "1",
        **extra,
    }


def manage(env: dict[str, str], *command: str) -> None:
    subprocess.run([*MANAGE, *command], env=env, check=True, capture_output=True, cwd=REPO)


def start(env: dict[str, str], *command: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*MANAGE, *command],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@contextmanager
def serve(
    env: dict[str, str], *, shell: str = "", rounds: tuple[str, ...] = ("v0.7",)
) -> Iterator[str]:
    """The site on a free loopback port, loaded with bundled rounds (then ``shell``,
    Python run by ``manage.py shell``, if given); yields its URL."""
    manage(env, "migrate", "--noinput")
    manage(env, "load_bundled_round", *rounds)
    if shell:
        manage(env, "shell", "-c", shell)
    port = free_port()
    server = start(env, "runserver", "--noreload", f"127.0.0.1:{port}")
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the site did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
