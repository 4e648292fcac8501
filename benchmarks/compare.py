"""The compare page beside a static file of the same bytes, at 1x and 10x the data.

    .venv/bin/python benchmarks/compare.py [--seconds 5] [--connections 4] [--port 8160]

In one run, on a SQLite database in a temporary folder (or ``--database-url``):

1. loads v0.7 and generates synthetic rounds 1x and 10x its size
   (``manage.py generate_round``: ``bench-1x``, ``bench-10x``);
2. serves the site as in production (gunicorn, DEBUG off, WhiteNoise with hashed
   names, benchmarks.settings) on 127.0.0.1;
3. for each scale, takes the compare page of six result IDs, three of v0.7 and three
   of the synthetic round (so across rounds, with comparability marks), in the
   per-accelerator view; saves its bytes as a static file, served by the same stack;
4. drives each, page and static copy in turns (``--repeat`` times), with the same
   client for the same time, and prints the median requests per second and their ratio.

The client is ``wrk`` where installed, else a keep-alive HTTP client in threads of this
process (on a small machine it, not the server, bounds the static file's figure, so the
ratio then flatters the page). The ratios are the figures to quote. Nothing is left
behind: the database and the static files live in a temporary folder.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# Run as a script (python benchmarks/x.py): the repository is not on the path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.served import Site  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
LUA = REPO / "benchmarks" / "wrk_report.lua"
IDS_V07 = ("0.7-066", "0.7-080", "0.7-001")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def drive_wrk(base: str, path: str, seconds: int, connections: int) -> dict:
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(LUA), base + path]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^WRK_JSON (.*)$", out, re.M)
    if not match:
        raise RuntimeError(f"wrk printed no figures for {path}:\n{out}")
    data = json.loads(match.group(1))
    return {
        "requests": data["requests"],
        "rps": data["requests"] / (data["duration_us"] / 1e6),
        "p50_ms": data["p50_us"] / 1000,
        "errors": data["status_errors"] + data["timeouts"] + data["connect_errors"],
    }


def drive_python(port: int, path: str, seconds: int, connections: int) -> dict:
    """Keep-alive GETs from ``connections`` threads for ``seconds``; requests/s and p50."""
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok = False
            if ok:
                mine.append(time.perf_counter() - started)
            else:
                with lock:
                    errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "errors": errors[0],
    }


def median_run(runs: list[dict]) -> dict:
    """The run of median requests/s, with every run's errors."""
    chosen = sorted(runs, key=lambda run: run["rps"])[len(runs) // 2]
    return {**chosen, "errors": sum(run["errors"] for run in runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="seconds per measurement (5)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent clients (4)")
    parser.add_argument("--repeat", type=int, default=3, help="turns per scale (3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--port", type=int, default=8160)
    parser.add_argument("--scales", default="1,10", help="synthetic rounds (1,10)")
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args()
    if answers(args.port):
        sys.exit(f"port {args.port} is taken; use --port")
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    work = Path(tempfile.mkdtemp(prefix="mlperf-bench-compare-"))
    site = Site(work, args.port, args.workers, database_url=args.database_url, conn_max_age=60)
    rows = []
    client = "wrk" if use_wrk else "python threads"
    try:
        log("migrate, load v0.7")
        site.manage("migrate", "--noinput")
        site.manage("load_bundled_round", "v0.7")
        paths = {}
        for scale in scales:
            log(f"generating bench-{scale}x")
            site.manage("generate_round", "--scale", str(scale), "--replace")
            version = f"bench-{scale}x"
            ids = [*IDS_V07, *(f"{version}-{n:03d}" for n in (66, 80, 1))]
            query = "&".join(f"ids={i}" for i in ids)
            paths[scale] = f"/compare/?{query}&view=per-accelerator"
        site.start()
        names = {}
        for scale, path in paths.items():
            body = site.get(path)
            names[scale] = f"bench/compare-{scale}x.html"
            (work / "bench-static" / names[scale]).write_bytes(body)
            log(f"{scale}x: {len(body)} bytes, {body.count(b'<tr')} table rows")
        site.stop()
        site.start()  # collectstatic again: the saved pages get hashed names
        manifest = json.loads((work / "staticfiles" / "staticfiles.json").read_text())
        drive = (
            (lambda url, seconds: drive_wrk(site.base, url, seconds, args.connections))
            if use_wrk
            else (lambda url, seconds: drive_python(args.port, url, seconds, args.connections))
        )
        for scale, path in paths.items():
            static = f"/static/{manifest['paths'][names[scale]]}"
            drive(path, 1)  # warm every worker
            drive(static, 1)
            # Page and static copy in turns, so that both see the same machine; the median.
            runs: dict[str, list[dict]] = {"page": [], "static": []}
            for _ in range(args.repeat):
                for label, url in (("page", path), ("static", static)):
                    runs[label].append(drive(url, args.seconds))
                    log(f"{scale}x {label}: {runs[label][-1]}")
            rows.append((scale, median_run(runs["page"]), median_run(runs["static"])))
    finally:
        site.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"\nclient: {client}, {args.connections} connections, {args.seconds} s x {args.repeat}, "
        f"{args.workers} gunicorn workers, {os.cpu_count()} CPUs, load {os.getloadavg()}"
    )
    print(
        f"{'data':>5}  {'page req/s':>10}  {'static req/s':>12}  {'ratio':>6}  "
        f"{'p50 page':>9}  {'p50 static':>10}  errors"
    )
    for scale, page, copy in rows:
        ratio = page["rps"] / copy["rps"] if copy["rps"] else float("nan")
        print(
            f"{scale:>4}x  {page['rps']:>10.1f}  {copy['rps']:>12.1f}  {ratio:>6.3f}  "
            f"{page['p50_ms']:>7.1f}ms  {copy['p50_ms']:>8.1f}ms  "
            f"{page['errors'] + copy['errors']}"
        )
    if len(rows) > 1 and rows[0][1]["rps"]:
        print(
            f"page req/s at {rows[-1][0]}x / {rows[0][0]}x: "
            f"{rows[-1][1]['rps'] / rows[0][1]['rps']:.3f}"
        )


if __name__ == "__main__":
    main()
