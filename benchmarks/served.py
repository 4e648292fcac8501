"""The site as `make serve` runs it (gunicorn, WhiteNoise, DEBUG off, a fresh secret key),
on loopback, for the benchmark scripts that drive it over HTTP (api.py, compare.py).

Static copies of response bodies go under ``<work>/bench-static/<static_folder>/``, which
benchmarks.settings serves beside the site, so that a page and a static file of the same
bytes are measured through the same stack.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class Site:
    def __init__(
        self,
        work: Path,
        port: int,
        workers: int,
        *,
        database_url: str | None = None,
        static_folder: str = "bench",
        conn_max_age: int | None = None,
    ) -> None:
        self.work, self.port, self.workers = work, port, workers
        self.base = f"http://127.0.0.1:{port}"
        self.server: subprocess.Popen | None = None
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": database_url or f"sqlite:///{work / 'bench.sqlite3'}",
            "REDIS_URL": "",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BENCH_STATIC_ROOT": str(work / "staticfiles"),
            "BENCH_STATIC_DIR": str(work / "bench-static"),
            "PYTHONPATH": str(REPO),
        }
        if conn_max_age is not None:
            self.env["DB_CONN_MAX_AGE"] = str(conn_max_age)
        self.env.pop("DJANGO_TESTING", None)
        (work / "bench-static" / static_folder).mkdir(parents=True)

    def manage(self, *argv: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *argv],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(argv)}:\n{done.stderr[-3000:]}")
        return done.stdout

    def start(self) -> None:
        self.manage("collectstatic", "--noinput")
        logfile = (self.work / "gunicorn.log").open("ab")
        self.server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "mlperf_site.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
            ],
            cwd=REPO,
            env=self.env,
            stdout=logfile,
            stderr=logfile,
            start_new_session=True,
        )
        for _ in range(120):
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer; see {self.work / 'gunicorn.log'}")

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=30)
        self.server = None

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url(path), timeout=300) as response:
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            return response.read()
