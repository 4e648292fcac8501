"""A bounded load on loopback: browse, filter and download while uploads are checked.

    .venv/bin/python benchmarks/load.py [--seconds 30] [--browsers 6] [--workers 4]

Serves the site as ``make serve`` does (gunicorn, DEBUG off, production
settings, a generated secret key) on 127.0.0.1 with its own SQLite database
in a temporary folder and the bundled v0.7 round, starts the check worker,
and for a fixed time runs browser threads that fetch round pages (filtered,
sorted, per table, rankings), system pages and downloads, while an uploader
logs in and uploads a real submission archive every few seconds. It prints
the requests per kind, their status codes, latencies, and how the uploads
ended, and exits non-zero on any 5xx. Only 127.0.0.1 is ever contacted; every
loop stops at the deadline, and the processes are ended at the end.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BUNDLE = REPO / "data" / "inference_results_v0.7.tar.xz"

SETUP = """
import datetime as dt
from django.contrib.auth.models import User
from django.utils import timezone
from results.models import Round, Submitter
from results.services import copy_rules
from submissions.models import Membership
v07 = Round.objects.get(version="v0.7")
open_round, _ = Round.objects.get_or_create(
    version="v9.0", defaults={"title": "Load round", "result_id_prefix": "9.0"}
)
open_round.submission_deadline = timezone.now() + dt.timedelta(days=7)
open_round.published_at = None
open_round.save()
if not open_round.benchmarks.exists():
    copy_rules(v07, open_round)
user = User.objects.filter(username="loader").first() or User.objects.create_user(
    "loader", "loader@example.org", "load-test-password"
)
Membership.objects.get_or_create(user=user, submitter=Submitter.objects.get(slug="ivatech"))
print(open_round.pk, Submitter.objects.get(slug="ivatech").pk)
"""


VERDICTS = (
    "from collections import Counter; from submissions.models import Submission; "
    "print(dict(Counter(Submission.objects.values_list('status', flat=True))))"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ivatech_archive(folder: Path) -> Path:
    """closed/IVATech of the bundled tree (complete but for its code), as a .tar.gz."""
    target = folder / "ivatech.tar.gz"
    with tarfile.open(BUNDLE) as source, tarfile.open(target, "w:gz") as archive:
        for member in source:
            if member.isreg() and "/closed/IVATech/" in f"/{member.name}":
                name = (
                    member.name.split("/", 1)[1]
                    if member.name.startswith("inference")
                    else member.name
                )
                stream = source.extractfile(member)
                data = stream.read() if stream is not None else b""
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
        readme = b"placeholder for the code folder\n"
        info = tarfile.TarInfo("closed/IVATech/code/resnet/v1/README.md")
        info.size = len(readme)
        archive.addfile(info, io.BytesIO(readme))
    return target


def browse_urls() -> list[tuple[str, str]]:
    return [
        ("round", "/v0.7/"),
        ("round", "/v0.7/?submitter=nvidia"),
        ("round", "/v0.7/?benchmark=resnet&scenario=Offline"),
        ("round", "/v0.7/?division=open&sort=-resnet-Offline"),
        ("table", "/v0.7/tables/closed-datacenter-available/"),
        ("ranking", "/v0.7/rank/bert-99/Server/"),
        ("system", "/v0.7/closed/nvidia/T4x1_TRT/"),
        ("download", "/v0.7/results.csv"),
        ("download", "/v0.7/results.json?benchmark=resnet"),
        ("index", "/"),
        ("junk", f"/v0.7/?sort=junk{secrets.token_hex(2)}"),
    ]


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.status: dict[str, Counter] = defaultdict(Counter)
        self.seconds: dict[str, list[float]] = defaultdict(list)

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.status[kind][status] += 1
            self.seconds[kind].append(seconds)


def fetch(opener, url: str, data: bytes | None = None, headers=None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return 0, b""


def browser(base: str, deadline: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    opener = urllib.request.build_opener()
    urls = browse_urls()
    while time.monotonic() < deadline:
        kind, path = rng.choice(urls)
        started = time.perf_counter()
        status, _ = fetch(opener, base + path)
        tally.add(kind, status, time.perf_counter() - started)


def _csrf(body: bytes) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    return found.group(1).decode() if found else ""


class LoopbackPolicy(http.cookiejar.DefaultCookiePolicy):
    """The site's cookies are Secure (it runs behind a TLS proxy); loopback stands in for it."""

    def return_ok_secure(self, cookie, request):
        return True


def uploader(base, deadline, tally, archive: Path, round_pk, submitter_pk, every: float) -> list:
    jar = http.cookiejar.CookieJar(policy=LoopbackPolicy())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    status, body = fetch(opener, base + "/accounts/login/")
    form = urllib.parse.urlencode(
        {
            "username": "loader",
            "password": "load-test-password",
            "csrfmiddlewaretoken": _csrf(body),
        }
    ).encode()
    status, _ = fetch(opener, base + "/accounts/login/", form, {"Referer": base + "/"})
    tally.add("login", status, 0.0)
    uploaded = []
    payload = archive.read_bytes()
    while time.monotonic() < deadline:
        started = time.perf_counter()
        status, body = fetch(opener, base + "/submissions/new/")
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in (
            ("csrfmiddlewaretoken", _csrf(body)),
            ("round", str(round_pk)),
            ("submitter", str(submitter_pk)),
        ):
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="archive"; '
            f'filename="ivatech.tar.gz"\r\nContent-Type: application/gzip\r\n\r\n'.encode()
            + payload
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        status, body = fetch(
            opener,
            base + "/submissions/new/",
            b"".join(parts),
            {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": base + "/submissions/new/",
            },
        )
        tally.add("upload", status, time.perf_counter() - started)
        uploaded.append(status)
        time.sleep(max(0.0, every - (time.perf_counter() - started)))
    return uploaded


def wait_for(url: str, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise SystemExit(f"the site did not answer at {url} within {seconds:g} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--browsers", type=int, default=6)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--upload-every", type=float, default=3.0, help="seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlperf-load-") as scratch:
        folder = Path(scratch)
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
            "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_TASKS_IMMEDIATE": "0",
            "SUBMISSION_STORAGE_ROOT": str(folder / "uploads"),
            # Production settings but plain static files: no collectstatic needed.
            "DJANGO_TESTING": "1",
        }
        manage = [PYTHON, "manage.py"]
        for command in (["migrate", "--noinput"], ["load_bundled_round", "v0.7"]):
            subprocess.run([*manage, *command], cwd=REPO, env=env, check=True, capture_output=True)
        ids = subprocess.run(
            [*manage, "shell", "-c", SETUP],
            cwd=REPO,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        round_pk, submitter_pk = ids[-2], ids[-1]
        archive = ivatech_archive(folder)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        web = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "mlperf_site.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        worker = subprocess.Popen(
            [*manage, "check_worker"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_for(base + "/healthz", 30)
            tally = Tally()
            deadline = time.monotonic() + args.seconds
            threads = [
                threading.Thread(target=browser, args=(base, deadline, tally, seed))
                for seed in range(args.browsers)
            ]
            uploads: list = []
            threads.append(
                threading.Thread(
                    target=lambda: uploads.extend(
                        uploader(
                            base,
                            deadline,
                            tally,
                            archive,
                            round_pk,
                            submitter_pk,
                            args.upload_every,
                        )
                    )
                )
            )
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            time.sleep(5)  # let the worker finish what it took
            verdicts = (
                subprocess.run(
                    [
                        *manage,
                        "shell",
                        "-c",
                        VERDICTS,
                    ],
                    cwd=REPO,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
        finally:
            stop(web)
            stop(worker)
    total = sum(sum(c.values()) for c in tally.status.values())
    errors = sum(
        n for c in tally.status.values() for code, n in c.items() if code >= 500 or code == 0
    )
    print(
        f"{total} requests in {elapsed:.1f} s ({total / elapsed:.1f}/s), {args.browsers} browsers"
    )
    for kind in sorted(tally.status):
        times = sorted(tally.seconds[kind])
        p50 = statistics.median(times) * 1000 if times else 0
        p95 = times[int(len(times) * 0.95) - 1] * 1000 if len(times) > 1 else p50
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(tally.status[kind].items()))
        count = sum(tally.status[kind].values())
        print(f"  {kind:9} {count:6}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {codes}")
    print(f"uploads: {len(uploads)} sent; their checks: {verdicts}")
    print(f"server errors (5xx or no answer): {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
