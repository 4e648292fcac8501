"""Check a tree in one process beside a plain read of it, without start-up costs.

    DJANGO_SETTINGS_MODULE=... python -m benchmarks.inprocess PATH RUNS

Prints one JSON object: the median seconds of RUNS plain reads
(benchmarks.plain_read) and of RUNS checks (submissions.services.check_path,
the rules for published trees, as import_submission applies them), in
alternation so that both see the same machine.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

import django


def main(path: str, runs: int) -> dict:
    django.setup()
    from benchmarks.plain_read import plain_read
    from results.models import Round
    from submissions.services import check_path

    round_ = Round.objects.get(version="v0.7")
    reads, checks = [], []
    for _ in range(runs):
        started = time.perf_counter()
        plain_read(path)
        reads.append(time.perf_counter() - started)
        started = time.perf_counter()
        check_path(round_, path, strict=False)
        checks.append(time.perf_counter() - started)
    return {
        "plain_read_s": statistics.median(reads),
        "check_s": statistics.median(checks),
        "runs": runs,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]))))
