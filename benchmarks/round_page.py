"""The round page in one process: its uncached render time, and the cached page's
requests per second beside a static file of the same bytes (issue 11).

    .venv/bin/python benchmarks/round_page.py DB.sqlite3 [--tree DIR] [--runs 15] [--seconds 3]

DB is a SQLite database with v0.7 loaded (``manage.py load_bundled_round v0.7``).
``--tree`` runs another checkout of the site (e.g. the code before a change, from
``git archive COMMIT | tar -x -C DIR``) against the same database, so "before" and
"after" are measured by the same script on the same data. Everything goes through
Django's WSGI handler and the whole middleware stack, in this process: no server, no
sockets, so the figures are the site's own cost. Prints one JSON object.

- ``uncached``: the median (and least) seconds of ``--runs`` renders of each page, the cache
  off (the round page as first shown, ``/v0.7/``, and every table on one page, which
  was the round page before the overview).
- ``cached``: requests/s of the cached round page (a hit) and of a static file (WhiteNoise,
  the same stack) holding the same bytes, each driven for ``--seconds``, alternating.
  A cached page still asks the database whether the round is public (results.cache);
  with the default DB_CONN_MAX_AGE=0 that is a new SQLite connection per request, the
  larger part of its cost: DB_CONN_MAX_AGE=60 measures it with persistent connections.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

SETTINGS = """
from mlperf_site.settings import *  # noqa
STATICFILES_DIRS = [*STATICFILES_DIRS, {static!r}]
CACHES = {{"default": {{"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}}}
RESULTS_CACHE_TIMEOUT = 0
"""


def request(handler, path: str, query: str = "", encoding: str = "") -> tuple[int, bytes]:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "REMOTE_ADDR": "127.0.0.1",
    }
    if encoding:
        environ["HTTP_ACCEPT_ENCODING"] = encoding
    status: list[str] = []
    body = b"".join(handler(environ, lambda s, h, exc_info=None: status.append(s)))
    return int(status[0].split()[0]), body


def per_second(handler, path: str, query: str, seconds: float) -> float:
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        request(handler, path, query)
        count += 1
    return count / (time.perf_counter() - started)


def main() -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("database")
    parser.add_argument("--tree", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="round-page-bench-"))
    static = work / "static"
    static.mkdir()
    (work / "bench_settings.py").write_text(SETTINGS.format(static=str(static)))
    sys.path[:0] = [args.tree, str(work)]
    os.chdir(args.tree)
    os.environ.update(
        DATABASE_URL=f"sqlite:///{Path(args.database).resolve()}",
        DJANGO_SETTINGS_MODULE="bench_settings",
        DJANGO_TESTING="1",  # DEBUG off; WhiteNoise finds files without collectstatic
    )
    import django
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    django.setup()
    handler = WSGIHandler()
    pages = {"first shown": "", "every table": "show=tables"}
    uncached = {}
    for name, query in pages.items():
        status, body = request(handler, "/v0.7/", query)  # warm: imports, templates
        assert status == 200, status
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            request(handler, "/v0.7/", query)
            times.append(time.perf_counter() - started)
        _, gzipped = request(handler, "/v0.7/", query, encoding="gzip")
        uncached[name] = {
            "median_s": round(statistics.median(times), 4),
            # The least disturbed run: on a shared machine the fairest figure to compare.
            "min_s": round(min(times), 4),
            "bytes": len(body),
            "bytes_gzip_accepted": len(gzipped),
        }

    settings.RESULTS_CACHE_TIMEOUT = 300
    status, page = request(handler, "/v0.7/")  # stores the page
    (static / "round-page.html").write_bytes(page)
    assert request(handler, "/static/round-page.html")[1] == page
    cached, files = [], []
    for _ in range(3):
        cached.append(per_second(handler, "/v0.7/", "", args.seconds / 3))
        files.append(per_second(handler, "/static/round-page.html", "", args.seconds / 3))
    result = {
        "tree": args.tree,
        "uncached": uncached,
        "cached_page_rps": round(statistics.median(cached), 1),
        "static_same_bytes_rps": round(statistics.median(files), 1),
        "page_bytes": len(page),
    }
    result["cached_over_static"] = round(
        result["cached_page_rps"] / result["static_same_bytes_rps"], 3
    )
    return result


if __name__ == "__main__":
    print(json.dumps(main(), indent=1))
