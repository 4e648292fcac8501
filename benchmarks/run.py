"""One run of the performance benchmark (issue 5): the site as in production, driven by wrk.

    make bench                                # or: .venv/bin/python benchmarks/run.py
    .venv/bin/python benchmarks/run.py --quick --scales 1,10

In one run, on a database of its own (PostgreSQL ``mlperf_bench`` when
127.0.0.1:5432 answers, else SQLite in a temporary folder):

1. loads v0.7 and generates synthetic rounds at 1x, 10x and 100x its size
   (``manage.py generate_round``);
2. times ``check_submission`` and ``import_submission`` over the bundled
   tree (archive and folder) beside a plain read of the same files;
3. measures the peak memory (max RSS) of ``check_submission`` over a ~1 GB
   generated archive;
4. serves the site as ``make serve`` does (gunicorn, 4 workers, WhiteNoise with
   hashed names, DEBUG off, a generated secret key, Redis as the cache when
   127.0.0.1:6379 answers) on 127.0.0.1 and drives each page with wrk for a
   fixed time, beside the same response bytes saved as a static file and
   served by the same stack; then the round page of each synthetic round.

It prints a table of ratios against the targets and writes a JSON and a
Markdown report to benchmarks/results/. Temporary files (the 1 GB archive
included) and the benchmark database are removed at the end (--keep keeps
them). Needs wrk (``apt-get install -y wrk``); ports 8100-8199.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUNDLE = REPO / "data" / "inference_results_v0.7.tar.xz"
RESULTS = REPO / "benchmarks" / "results"
LUA = REPO / "benchmarks" / "wrk_report.lua"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "mlperf_bench"
REDIS_URL = "redis://127.0.0.1:6379/15"  # a database number of its own, flushed at start

TARGETS = {
    "cached round page >= 50% of static req/s": 0.5,
    "uncached v0.7 round page within 10x of static req/s": 0.1,
    "100x round page p50 within 2x of 1x": 2.0,
    "check_submission within 2x of plain read": 2.0,
    "peak memory checking 1 GB archive < 256 MB": 256.0,
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="mlperf-bench-"))
        self.python = sys.executable
        self.bin = Path(self.python).parent
        self.server: subprocess.Popen | None = None
        self.base = f"http://127.0.0.1:{args.port}"
        use_pg = args.db == "postgres" or (args.db == "auto" and answers("127.0.0.1", 5432))
        self.database_url = (
            f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
            if use_pg
            else f"sqlite:///{self.work / 'bench.sqlite3'}"
        )
        use_redis = args.cache == "redis" or (args.cache == "auto" and answers("127.0.0.1", 6379))
        self.redis_url = REDIS_URL if use_redis else ""
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": self.database_url,
            "DB_CONN_MAX_AGE": "60",
            "REDIS_URL": self.redis_url,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BENCH_STATIC_ROOT": str(self.work / "staticfiles"),
            "BENCH_STATIC_DIR": str(self.work / "bench-static"),
            "PYTHONPATH": str(REPO),
        }
        self.env.pop("DJANGO_TESTING", None)
        (self.work / "bench-static" / "bench").mkdir(parents=True)
        self.report: dict = {
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
                "load_at_start": os.getloadavg(),
            },
            "settings": {
                "database": "postgresql" if use_pg else "sqlite",
                "cache": "redis" if use_redis else "locmem",
                "workers": args.workers,
                "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}s "
                f"({args.slow_duration}s for uncached pages and CSV)",
                "scales": args.scales,
            },
            "setup": {},
            "commands": {},
            "memory": {},
            "http": {},
            "ratios": [],
            "errors": [],
        }

    # -- helpers -----------------------------------------------------------

    def step(self, label: str, action, *args) -> None:
        """Run one part of the benchmark; a failure is reported, and the rest goes on."""
        try:
            action(*args)
        except Exception as exc:  # any failure belongs in the report
            log(f"FAILED {label}: {type(exc).__name__}: {exc}")
            self.report["errors"].append(f"{label}: {type(exc).__name__}: {exc}")

    def manage(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [self.python, "manage.py", *argv],
            cwd=REPO,
            env=self.env,
            check=check,
            capture_output=True,
            text=True,
        )

    def timed(self, argv: list[str], runs: int, before=None) -> list[float]:
        times = []
        for _ in range(runs):
            if before:
                before()
            started = time.perf_counter()
            done = subprocess.run(argv, cwd=REPO, env=self.env, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            if done.returncode:
                raise RuntimeError(f"{argv} exited {done.returncode}: {done.stderr[-2000:]}")
        return times

    def peak_rss(self, argv: list[str]) -> tuple[float, float, int]:
        """(max RSS in MB, seconds, exit status) of one child process."""
        started = time.perf_counter()
        child = subprocess.Popen(
            argv, cwd=REPO, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        # ru_maxrss is in kilobytes on Linux.
        return usage.ru_maxrss / 1024, time.perf_counter() - started, child.returncode

    # -- 1. data -------------------------------------------------------------

    def setup_database(self) -> None:
        if self.database_url.startswith("postgres"):
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {PG_DATABASE}")
        if self.redis_url:
            import redis

            redis.Redis.from_url(self.redis_url).flushdb()
        log(f"database {self.database_url}, cache {self.redis_url or 'local memory'}")
        self.manage("migrate", "--noinput")
        started = time.perf_counter()
        self.manage("load_bundled_round")
        self.report["setup"]["load_bundled_round_s"] = time.perf_counter() - started
        for scale in self.args.scales:
            log(f"generating bench-{scale}x")
            started = time.perf_counter()
            out = self.manage("generate_round", "--scale", str(scale), "--replace").stdout
            self.report["setup"][f"generate_{scale}x_s"] = time.perf_counter() - started
            self.report["setup"][f"bench-{scale}x"] = out.strip()
        if self.database_url.startswith("postgres"):
            import psycopg

            # What autovacuum does in time: visibility maps for index-only scans, statistics.
            with psycopg.connect(self.database_url, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")

    # -- 2. checker and importer ---------------------------------------------

    def time_commands(self) -> None:
        runs = self.args.runs
        folder = self.work / "tree"
        with tarfile.open(BUNDLE) as archive:
            archive.extractall(folder, filter="data")
        tree = folder / "inference_results_v0.7"
        plain = [self.python, "benchmarks/plain_read.py"]
        manage = [self.python, "manage.py"]
        results = self.report["commands"]
        for label, path in (("archive", BUNDLE), ("folder", tree)):
            log(f"timing check_submission over the {label}")
            results[f"plain_read_{label}_s"] = self.timed([*plain, str(path)], runs)
            results[f"check_submission_{label}_s"] = self.timed(
                [*manage, "check_submission", str(path), "--round", "v0.7", "--published"], runs
            )
            done = subprocess.run(
                [self.python, "-m", "benchmarks.inprocess", str(path), str(runs)],
                cwd=REPO,
                env=self.env,
                capture_output=True,
                text=True,
                check=True,
            )
            results[f"in_process_{label}"] = json.loads(done.stdout.strip().splitlines()[-1])
        results["python_startup_s"] = self.timed([self.python, "-c", "pass"], runs)
        results["django_startup_s"] = self.timed(
            [self.python, "-c", "import django; django.setup()"], runs
        )
        log("timing import_submission into an empty round")

        def empty_round():
            self.manage("generate_round", "--scale", "0", "--round", "bench-import", "--replace")

        importing = [*manage, "import_submission", str(BUNDLE), "--round", "bench-import"]
        results["import_submission_new_s"] = self.timed(importing, runs, before=empty_round)
        results["import_submission_again_s"] = self.timed(importing, runs)

    # -- 3. memory -----------------------------------------------------------

    def measure_memory(self) -> None:
        big = self.work / "big.tar"
        log(f"writing a {self.args.big_mb} MB archive")
        started = time.perf_counter()
        writer = [self.python, "benchmarks/big_archive.py", str(BUNDLE), str(big)]
        subprocess.run(
            [*writer, str(self.args.big_mb)],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        memory = self.report["memory"]
        memory["archive_bytes"] = big.stat().st_size
        memory["write_s"] = time.perf_counter() - started
        log("checking it")
        check = [self.python, "manage.py", "check_submission", "--round", "v0.7"]
        mb, seconds, status = self.peak_rss([*check, str(big)])
        memory.update(check_peak_rss_mb=mb, check_s=seconds, check_exit=status)
        mb, seconds, _ = self.peak_rss([*check, str(BUNDLE)])
        memory.update(bundle_check_peak_rss_mb=mb, bundle_check_s=seconds)
        mb, seconds, _ = self.peak_rss([self.python, "benchmarks/plain_read.py", str(big)])
        memory.update(plain_read_peak_rss_mb=mb, plain_read_s=seconds)
        big.unlink()

    # -- 4. HTTP ---------------------------------------------------------------

    def start_server(self) -> None:
        self.manage("collectstatic", "--noinput")
        logfile = (self.work / "gunicorn.log").open("ab")
        self.server = subprocess.Popen(
            [
                str(self.bin / "gunicorn"),
                "mlperf_site.wsgi",
                "--bind",
                f"127.0.0.1:{self.args.port}",
                "--workers",
                str(self.args.workers),
            ],
            cwd=REPO,
            env=self.env,
            stdout=logfile,
            stderr=logfile,
            start_new_session=True,
        )
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer; see {self.work / 'gunicorn.log'}")

    def stop_server(self) -> None:
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=30)
        self.server = None

    def get(self, path: str) -> tuple[bytes, dict]:
        with urllib.request.urlopen(f"{self.base}{path}", timeout=300) as response:
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            return response.read(), dict(response.headers)

    def settle(self) -> None:
        """Wait until the workers are idle: wrk leaves its last requests in gunicorn's queue."""
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            started = time.perf_counter()
            self.get("/healthz")
            if time.perf_counter() - started < 0.05:
                return
        raise RuntimeError("the server stayed busy for 5 minutes")

    def wrk(self, path: str, duration: int | None = None) -> dict:
        if duration is None:
            # Pages that take seconds each need longer for enough samples.
            slow = "nocache" in path or path.endswith(".csv")
            duration = self.args.slow_duration if slow else self.args.duration
        argv = [
            "wrk",
            f"-t{self.args.threads}",
            f"-c{self.args.connections}",
            f"-d{duration}s",
            "--timeout",
            "120s",
            "-s",
            str(LUA),
            f"{self.base}{path}",
        ]
        out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
        self.settle()
        match = re.search(r"^WRK_JSON (.*)$", out, re.M)
        if not match:
            raise RuntimeError(f"wrk printed no figures for {path}:\n{out}")
        data = json.loads(match.group(1))
        seconds = data["duration_us"] / 1e6
        data["rps"] = data["requests"] / seconds if seconds else 0.0
        data["p50_ms"], data["p95_ms"] = data["p50_us"] / 1000, data["p95_us"] / 1000
        data["path"] = path
        errors = sum(data[k] for k in ("connect_errors", "status_errors", "timeouts"))
        if errors:
            log(f"  {path}: {errors} errors (connect, non-2xx or timeout)")
        return data

    def http(self, system_path: str) -> None:
        # Pages measured beside their own bytes served as a static file.
        pages = {
            "round v0.7 (cached)": "/v0.7/",
            "round v0.7 (uncached)": "/v0.7/?nocache=1",
            "round v0.7 filtered (cached)": "/v0.7/?division=closed&system_type=datacenter",
            "round v0.7 filtered (uncached)": "/v0.7/?division=closed&system_type=datacenter"
            "&nocache=1",
            "system page": system_path,
            "CSV export v0.7": "/v0.7/results.csv",
        }
        self.start_server()
        log("saving response bodies as static files")
        names = {}
        for index, (label, path) in enumerate(pages.items()):
            self.get(path)  # a first view fills the cache where the page is cacheable
            body, headers = self.get(path)
            suffix = "csv" if "csv" in headers.get("Content-Type", "") else "html"
            names[label] = f"bench/page-{index}.{suffix}"
            (self.work / "bench-static" / names[label]).write_bytes(body)
            self.report["http"].setdefault("bodies", {})[label] = {
                "bytes": len(body),
                "cache": headers.get("X-Page-Cache", "none"),
            }
        self.stop_server()
        self.start_server()  # collectstatic again, so the bodies get hashed names
        manifest = json.loads((self.work / "staticfiles" / "staticfiles.json").read_text())
        runs = self.report["http"].setdefault("runs", {})

        def beside_static(label, path):
            static = f"/static/{manifest['paths'][names[label]]}"
            self.wrk(path, duration=2)  # warm every worker (and its local cache)
            runs[label] = self.wrk(path)
            self.wrk(static, duration=2)
            runs[f"{label}, static copy"] = self.wrk(static)

        def alone(label, path, warm=True):
            if warm:
                self.wrk(path, duration=2)
            runs[label] = self.wrk(path)
            runs[label]["bytes_per_response"] = len(self.get(path)[0])

        def download(label, path):
            started = time.perf_counter()
            body, _ = self.get(path)
            runs[label] = {"seconds": time.perf_counter() - started, "bytes": len(body)}

        for label, path in pages.items():
            log(f"wrk: {label}")
            self.step(label, beside_static, label, path)
        for scale in self.args.scales:
            for kind, query in (("cached", ""), ("uncached", "?nocache=1")):
                label = f"round {scale}x ({kind})"
                log(f"wrk: {label}")
                self.step(label, alone, label, f"/bench-{scale}x/{query}")
        largest = max(self.args.scales)
        label = f"table page {largest}x, page 50 (uncached)"
        log(f"wrk: {label}")
        path = f"/bench-{largest}x/tables/open-edge-available/?page=50&nocache=1"
        self.step(label, alone, label, path, False)
        for scale in self.args.scales:
            label = f"CSV export {scale}x, one download"
            log(label)
            self.step(label, download, label, f"/bench-{scale}x/results.csv")
        self.stop_server()

    def system_path(self) -> str:
        code = (
            "from django.db.models import Count; from results.models import System; "
            "s = System.objects.filter(round__version='v0.7', division='closed')"
            ".annotate(n=Count('entries__results'))"
            ".order_by('-n', 'pk').first(); print(s.get_absolute_url())"
        )
        return self.manage("shell", "-c", code).stdout.strip().splitlines()[-1]

    # -- summary -------------------------------------------------------------

    def summarize(self) -> list[tuple[str, float, str, bool | None]]:
        runs = self.report["http"].get("runs", {})
        commands, memory = self.report["commands"], self.report["memory"]
        med = statistics.median
        nan = float("nan")
        rows = []

        def http_ratio(label):
            page, static = runs.get(label), runs.get(f"{label}, static copy")
            if page and static and static["rps"]:
                return page["rps"] / static["rps"]
            return None

        def add(name, value, detail, target=None, better="higher"):
            met = None
            if target is not None and value is not None:
                met = value >= target if better == "higher" else value <= target
            rows.append((name, value, detail, met))

        for label in (
            "round v0.7 (cached)",
            "round v0.7 (uncached)",
            "round v0.7 filtered (cached)",
            "round v0.7 filtered (uncached)",
            "system page",
            "CSV export v0.7",
        ):
            ratio = http_ratio(label)
            if ratio is None:
                continue
            page, static = runs[label], runs[f"{label}, static copy"]
            detail = (
                f"{page['rps']:.1f} vs {static['rps']:.1f} req/s; p50 {page['p50_ms']:.1f} vs "
                f"{static['p50_ms']:.1f} ms; p95 {page['p95_ms']:.1f} vs {static['p95_ms']:.1f} ms"
            )
            target = {
                "round v0.7 (cached)": TARGETS["cached round page >= 50% of static req/s"],
                "round v0.7 (uncached)": TARGETS[
                    "uncached v0.7 round page within 10x of static req/s"
                ],
            }.get(label)
            add(f"{label} / static, req/s", ratio, detail, target)
        scales = self.args.scales
        if 1 in scales and len(scales) > 1:
            top = max(scales)
            for kind in ("uncached", "cached"):
                low, high = runs.get(f"round 1x ({kind})"), runs.get(f"round {top}x ({kind})")
                if low and high and low["p50_us"]:
                    add(
                        f"round {top}x / 1x, p50 ({kind})",
                        high["p50_us"] / low["p50_us"],
                        f"{high['p50_ms']:.1f} vs {low['p50_ms']:.1f} ms; "
                        f"{high['bytes_per_response']} vs {low['bytes_per_response']} bytes",
                        TARGETS["100x round page p50 within 2x of 1x"],
                        better="lower",
                    )
        for label in ("archive", "folder"):
            if f"check_submission_{label}_s" not in commands:
                continue
            check = med(commands[f"check_submission_{label}_s"])
            read = med(commands[f"plain_read_{label}_s"])
            add(
                f"check_submission / plain read ({label}, commands)",
                check / read,
                f"{check:.2f} vs {read:.2f} s (Django start-up "
                f"{med(commands.get('django_startup_s', [nan])):.2f} s)",
                TARGETS["check_submission within 2x of plain read"],
                better="lower",
            )
            inproc = commands.get(f"in_process_{label}")
            if not inproc:
                continue
            add(
                f"check / plain read ({label}, in process)",
                inproc["check_s"] / inproc["plain_read_s"],
                f"{inproc['check_s']:.2f} vs {inproc['plain_read_s']:.2f} s",
            )
        if "import_submission_again_s" in commands:
            read = med(commands["plain_read_archive_s"])
            for key, name in (("new", "into an empty round"), ("again", "again (no change)")):
                seconds = med(commands[f"import_submission_{key}_s"])
                add(
                    f"import_submission {name} / plain read",
                    seconds / read,
                    f"{seconds:.2f} vs {read:.2f} s",
                )
        if "check_peak_rss_mb" in memory:
            add(
                f"peak RSS checking {memory['archive_bytes'] / 1e9:.2f} GB archive, MB",
                memory["check_peak_rss_mb"],
                f"{memory['check_s']:.1f} s (plain read {memory.get('plain_read_s', nan):.1f} s);"
                f" the 0.75 MB bundle: {memory.get('bundle_check_peak_rss_mb', nan):.0f} MB",
                TARGETS["peak memory checking 1 GB archive < 256 MB"],
                better="lower",
            )
        self.report["ratios"] = [
            {"name": n, "value": v, "detail": d, "target_met": m} for n, v, d, m in rows
        ]
        return rows

    def write_report(self, rows) -> Path:
        RESULTS.mkdir(exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        self.report["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.report["machine"]["load_at_end"] = os.getloadavg()
        data = json.dumps(self.report, indent=2, default=str)
        lines = [
            f"# Benchmark run {self.report['started']}",
            "",
            "Settings: " + ", ".join(f"{k} {v}" for k, v in self.report["settings"].items()),
            f"Machine: {self.report['machine']['cpus']} CPUs, Python "
            f"{self.report['machine']['python']}, load {self.report['machine']['load_at_start']}"
            f" at start, {self.report['machine']['load_at_end']} at end.",
            "",
            "| figure | value | target | detail |",
            "|---|---:|---|---|",
        ]
        for name, value, detail, met in rows:
            verdict = {True: "met", False: "**missed**", None: ""}[met]
            lines.append(f"| {name} | {value:.3g} | {verdict} | {detail} |")
        lines += ["", "## All wrk runs", "", "| run | req/s | p50 ms | p95 ms | bytes/req |"]
        lines.append("|---|---:|---:|---:|---:|")
        for label, run in self.report["http"].get("runs", {}).items():
            if "rps" in run:
                per = run["bytes"] / run["requests"] if run["requests"] else 0
                lines.append(
                    f"| {label} | {run['rps']:.1f} | {run['p50_ms']:.1f} | "
                    f"{run['p95_ms']:.1f} | {per:.0f} |"
                )
            else:
                lines.append(f"| {label} | | {run['seconds'] * 1000:.0f} | | {run['bytes']} |")
        if self.report["errors"]:
            lines += ["", "## Failures", ""] + [f"- {e}" for e in self.report["errors"]]
        markdown = "\n".join(lines) + "\n"
        for name in (f"run-{stamp}", "latest"):
            (RESULTS / f"{name}.json").write_text(data)
            (RESULTS / f"{name}.md").write_text(markdown)
        return RESULTS / f"run-{stamp}.md"

    def cleanup(self) -> None:
        self.stop_server()
        if self.args.keep:
            log(f"kept {self.work} and {self.database_url}")
            return
        shutil.rmtree(self.work, ignore_errors=True)
        if self.redis_url:
            import redis

            redis.Redis.from_url(self.redis_url).flushdb()
        if self.database_url.startswith("postgres"):
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="wrk runs of 3 s (10 s uncached), 2 runs per timing"
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (10)")
    parser.add_argument(
        "--slow-duration", type=int, default=30, help="seconds per run of uncached pages (30)"
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per command timing (5)")
    parser.add_argument("--scales", default="1,10,100", help="synthetic rounds (1,10,100)")
    parser.add_argument("--db", choices=["auto", "postgres", "sqlite"], default="auto")
    parser.add_argument("--cache", choices=["auto", "redis", "locmem"], default="auto")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--big-mb", type=int, default=1024, help="size of the big archive")
    parser.add_argument("--skip", default="", help="comma-separated: commands,memory,http")
    parser.add_argument("--keep", action="store_true", help="keep the database and temp files")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.slow_duration, args.runs = 3, 10, 2
    args.scales = sorted({int(s) for s in args.scales.split(",") if s.strip()})
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if "http" not in skip and not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    if answers("127.0.0.1", args.port):
        sys.exit(f"port {args.port} is taken; use --port (8100-8199)")
    bench = Bench(args)
    try:
        bench.setup_database()
        if "commands" not in skip:
            bench.step("commands", bench.time_commands)
        if "memory" not in skip:
            bench.step("memory", bench.measure_memory)
        if "http" not in skip:
            bench.step("http", lambda: bench.http(bench.system_path()))
    finally:
        bench.cleanup()
    rows = bench.summarize()
    path = bench.write_report(rows)
    width = max(len(name) for name, *_ in rows) if rows else 10
    print()
    for name, value, detail, met in rows:
        verdict = {True: "met", False: "MISSED", None: ""}[met]
        print(f"{name:<{width}}  {value:8.3g}  {verdict:<6}  {detail}")
    for error in bench.report["errors"]:
        print(f"FAILED: {error}")
    print(f"\nReport: {path.relative_to(REPO)} (and latest.md, latest.json)")


if __name__ == "__main__":
    main()
