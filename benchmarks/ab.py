"""Render times of pages in one process: this tree beside another revision, in turns.

    .venv/bin/python benchmarks/ab.py --base 570de8a "/v0.7/?nocache=1" /v0.7/

The benchmark (run.py) measures the site against its targets; this answers
a narrower question about a change: did these pages get faster or slower?
Both trees render the pages through Django's test client (no server, no
network, DEBUG off) against one database: a SQLite file in a temporary
folder, loaded with the bundled round by this tree's code, or DATABASE_URL
when it is set (it must hold the rounds the URLs name, in a schema both
revisions share). The trees take turns (--turns, 3) so that both see the
same machine; in each turn every URL is requested once to warm up, then
--requests times (21), and the median is kept. It prints, per URL, the
median of each tree's medians, their ratio and the response sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Runs inside each tree: python -c TIMER REQUESTS URL...
TIMER = r"""
import json, statistics, sys, time
import django
django.setup()
from django.test import Client
client = Client()
requests, urls, out = int(sys.argv[1]), sys.argv[2:], {}
for url in urls:
    response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url}: HTTP {response.status_code}")
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
    out[url] = {"ms": statistics.median(times) * 1000, "bytes": len(response.content)}
print(json.dumps(out))
"""


def run(argv: list[str], cwd: Path, env: dict) -> str:
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(argv[:3])} in {cwd} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the revision to compare with (git rev)")
    parser.add_argument("--turns", type=int, default=3, help="turns of each tree (3)")
    parser.add_argument("--requests", type=int, default=21, help="timed requests per URL (21)")
    parser.add_argument("urls", nargs="+", help='paths, e.g. "/v0.7/?nocache=1"')
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mlperf-ab-"))
    base = work / "base"
    run(["git", "worktree", "add", "--detach", str(base), args.base], REPO, dict(os.environ))
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mlperf_site.settings",
            "DJANGO_DEBUG": "0",  # DEBUG records every query, which would be timed too
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "RESULTS_CACHE_BYPASS_PARAM": "nocache",  # "?nocache=1" renders afresh
            "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{work / 'ab.sqlite3'}",
        }
        env.pop("DJANGO_TESTING", None)
        python = sys.executable
        if not os.environ.get("DATABASE_URL"):
            run([python, "manage.py", "migrate", "--noinput"], REPO, env)
            run([python, "manage.py", "load_bundled_round"], REPO, env)
        trees = {"base": base, "this": REPO}
        for tree in trees.values():
            # DEBUG off serves hashed static names, which need each tree's manifest.
            run([python, "manage.py", "collectstatic", "--noinput", "-v0"], tree, env)
        timings: dict[str, dict[str, list]] = {name: {} for name in trees}
        for turn in range(args.turns):
            for name, tree in trees.items():
                out = json.loads(
                    run(
                        [python, "-c", TIMER, str(args.requests), *args.urls],
                        tree,
                        {**env, "PYTHONPATH": str(tree)},
                    )
                )
                for url, figures in out.items():
                    timings[name].setdefault(url, []).append(figures)
                print(f"turn {turn + 1}/{args.turns}: {name} done", file=sys.stderr)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=REPO)

    print(f"| page | {args.base} ms | this tree ms | this / base | bytes (base, this) |")
    print("|---|---:|---:|---:|---|")
    for url in args.urls:
        before = statistics.median(f["ms"] for f in timings["base"][url])
        after = statistics.median(f["ms"] for f in timings["this"][url])
        sizes = f"{timings['base'][url][-1]['bytes']}, {timings['this'][url][-1]['bytes']}"
        print(f"| `{url}` | {before:.1f} | {after:.1f} | {after / before:.2f} | {sizes} |")


if __name__ == "__main__":
    main()
