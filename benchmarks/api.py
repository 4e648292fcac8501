"""The public API's list endpoints beside a static file of the same bytes, at 1x and 10x.

    .venv/bin/python benchmarks/api.py [--seconds 5] [--connections 8] [--workers 4]

In one run, in a temporary folder with its own SQLite database: loads the bundled
v0.7 round, generates ``bench-1x`` and ``bench-10x`` from it (``manage.py
generate_round``), serves the site as ``make serve`` does (gunicorn, DEBUG off,
WhiteNoise with hashed names, a generated secret key), saves each endpoint's
response body as a static file, and then drives each endpoint and its static copy
in turn for a fixed time with keep-alive HTTP clients in threads (wrk is not
needed): each endpoint as anonymous visitors get it (from the round page cache
after the first request, where the round endpoints are stored), afresh
(``nocache``, benchmarks/settings.py), and its static copy. It prints requests
per second, the ratios API / static and the 10x / 1x ratio of the uncached API;
the ratios are the figures to quote, since the machine is shared and the client
runs on it.
Only 127.0.0.1 is contacted; the server is stopped and the folder removed at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

# Run as a script (python benchmarks/x.py): the repository is not on the path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.served import Site  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SCALES = (1, 10)

# Label -> path under /api/v1/, "{round}" for the round's version; default pages (100 rows).
ENDPOINTS = {
    "rounds": "rounds/",
    "benchmarks": "rounds/{round}/benchmarks/",
    "systems": "rounds/{round}/systems/",
    "results": "rounds/{round}/results/",
    "results, last page": "rounds/{round}/results/?page=last",
    "results, filtered": "rounds/{round}/results/?division=closed&benchmark=resnet",
    "corrections": "rounds/{round}/corrections/",
}


def log(message: str) -> None:
    print(f"[api bench] {message}", file=sys.stderr, flush=True)


def load(port: int, path: str, seconds: float, connections: int) -> dict:
    """Requests per second of GET ``path`` from ``connections`` clients for ``seconds``."""
    deadline = time.monotonic() + seconds
    counts = [0] * connections
    failures = [0] * connections

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.monotonic() < deadline:
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    counts[index] += 1
                else:
                    failures[index] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                failures[index] += 1
                conn.close()
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"rps": sum(counts) / elapsed, "requests": sum(counts), "failures": sum(failures)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mlperf-api-bench-"))
    site = Site(work, args.port, args.workers, static_folder="api-bench")
    rows: list[dict] = []
    try:
        log(f"database and static files in {work}")
        site.manage("migrate", "--noinput")
        site.manage("load_bundled_round", "v0.7")
        for scale in SCALES:
            log(f"generating bench-{scale}x")
            site.manage("generate_round", "--scale", str(scale), "--round", f"bench-{scale}x")
        paths = {
            (label, scale): "/api/v1/" + path.format(round=f"bench-{scale}x")
            for scale in SCALES
            for label, path in ENDPOINTS.items()
        }
        site.start()
        names = {}
        for index, (key, path) in enumerate(paths.items()):
            body = site.get(path)
            names[key] = f"api-bench/body-{index}.json"
            (work / "bench-static" / names[key]).write_bytes(body)
        site.stop()
        site.start()  # collectstatic again: the bodies get hashed names, as in production
        manifest = json.loads((work / "staticfiles" / "staticfiles.json").read_text())
        for (label, scale), path in paths.items():
            static = f"/static/{manifest['paths'][names[(label, scale)]]}"
            log(f"{label} at {scale}x: {path}")
            fresh = path + ("&" if "?" in path else "?") + "nocache=1"
            load(args.port, path, 1, args.connections)  # warm every worker (and its cache)
            api = load(args.port, path, args.seconds, args.connections)
            uncached = load(args.port, fresh, args.seconds, args.connections)
            load(args.port, static, 1, args.connections)
            copy = load(args.port, static, args.seconds, args.connections)
            rows.append(
                {
                    "endpoint": label,
                    "scale": scale,
                    "path": path,
                    "bytes": (work / "bench-static" / names[(label, scale)]).stat().st_size,
                    "api_rps": api["rps"],
                    "uncached_rps": uncached["rps"],
                    "static_rps": copy["rps"],
                    "failures": api["failures"] + uncached["failures"] + copy["failures"],
                }
            )
    finally:
        site.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(
        f"\nAPI list endpoints beside a static file of the same bytes ({os.cpu_count()} CPUs, "
        f"{args.workers} gunicorn workers, {args.connections} connections, {args.seconds}s each)\n"
    )
    print(
        "| endpoint | scale | bytes | API req/s | uncached req/s | static req/s "
        "| API / static | uncached / static | uncached 10x / 1x |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    first = {row["endpoint"]: row["uncached_rps"] for row in rows if row["scale"] == SCALES[0]}
    for row in rows:
        baseline = row["static_rps"] or float("nan")
        growth = (
            f"{row['uncached_rps'] / first[row['endpoint']]:.2f}"
            if row["scale"] != SCALES[0] and first.get(row["endpoint"])
            else ""
        )
        print(
            f"| {row['endpoint']} | {row['scale']}x | {row['bytes']} | {row['api_rps']:.0f} "
            f"| {row['uncached_rps']:.0f} | {row['static_rps']:.0f} "
            f"| {row['api_rps'] / baseline:.3f} | {row['uncached_rps'] / baseline:.3f} | {growth} |"
        )
    if any(row["failures"] for row in rows):
        failed = {row["path"]: row["failures"] for row in rows if row["failures"]}
        print("\nFailures (non-200 or connection errors):", failed)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
