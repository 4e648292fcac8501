"""Import and check every bundled round beside a plain read of the same files.

    .venv/bin/python benchmarks/rounds.py [--runs 1] [--rounds v1.0 v2.0]

For each bundled round (data/inference_results_<version>.tar.xz) it times, as
whole processes, in turns:

- a plain read of the archive (benchmarks/plain_read.py: every member
  decompressed and read, nothing parsed), the I/O floor;
- ``check_submission --published`` over the archive;
- ``import_submission`` into an empty round of a fresh SQLite database
  (``load_round_rules`` first, not timed);

and then ``check_submission`` over the unpacked v1.0 folder beside a plain
read of that folder. It prints each figure and its ratio to the plain read;
the ratios are the figures to quote, since this machine is noisy. Nothing is
left behind: the database and the unpacked tree live in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def bundles() -> dict[str, Path]:
    found = {}
    for path in sorted((REPO / "data").glob("inference_results_v*.tar.xz")):
        found[path.name.removeprefix("inference_results_").removesuffix(".tar.xz")] = path
    return found


def timed(argv: list[str], env: dict, runs: int, before=None) -> float:
    """The median wall time of ``runs`` runs of a command, in seconds."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        subprocess.run(argv, cwd=REPO, env=env, check=False, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--rounds", nargs="*", help="only these rounds")
    args = parser.parse_args()
    rows: list[tuple[str, str, float, float, float | None]] = []
    with tempfile.TemporaryDirectory(prefix="mlperf-bench-") as scratch:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{scratch}/bench.sqlite3",
        }
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=REPO, env=env, check=True)

        for version, bundle in bundles().items():
            if args.rounds and version not in args.rounds:
                continue
            subprocess.run(
                [*manage, "load_round_rules", version],
                cwd=REPO,
                env=env,
                check=True,
                capture_output=True,
            )

            def empty_round(version=version):
                script = (
                    "from results.models import Round, System;"
                    f"System.objects.filter(round__version={version!r}).delete()"
                )
                subprocess.run([*manage, "shell", "-c", script], cwd=REPO, env=env, check=True)

            plain = timed([PYTHON, "benchmarks/plain_read.py", str(bundle)], env, args.runs)
            check = timed(
                [*manage, "check_submission", str(bundle), "--round", version, "--published"],
                env,
                args.runs,
            )
            imported = timed(
                [*manage, "import_submission", str(bundle), "--round", version],
                env,
                args.runs,
                before=empty_round,
            )
            rows.append((version, "archive", plain, check, imported))

        if not args.rounds or "v1.0" in args.rounds:
            folder = Path(scratch) / "v1.0"
            with tarfile.open(bundles()["v1.0"]) as archive:
                archive.extractall(folder, filter="data")
            plain = timed([PYTHON, "benchmarks/plain_read.py", str(folder)], env, args.runs)
            check = timed(
                [*manage, "check_submission", str(folder), "--round", "v1.0", "--published"],
                env,
                args.runs,
            )
            rows.append(("v1.0", "unpacked folder", plain, check, None))

    print(f"{'round':6} {'input':16} {'plain read':>10} {'check':>14} {'import':>14}")
    for version, kind, plain, check, imported in rows:  # type: ignore[assignment]  # or None
        imported_text = f"{imported:6.1f}s {imported / plain:5.2f}x" if imported else ""
        print(
            f"{version:6} {kind:16} {plain:9.1f}s {check:6.1f}s {check / plain:5.2f}x "
            f"{imported_text:>14}"
        )


if __name__ == "__main__":
    main()
