"""A check worker killed with SIGKILL, for real (issue 12, item 4): the upload is
checked again by the next worker, once, and no partial rows appear; an acceptance
killed half-way stages nothing and goes back to staff.

Real processes: the site's own SQLite database in a folder of the test's, a 768 MB
upload (closed/IVATech with a grown detail log, as a plain tar: about 1.3 s to read),
`manage.py check_worker` started, killed and started again.
"""

import io
import os
import signal
import sqlite3
import subprocess
import tarfile
import time

import pytest

from tests.processes import MANAGE, REPO, load_site, manage, site_env, stop

PAD_BYTES = 768 << 20
LINE = (
    b':::MLLOG {"key": "loadgen_query_issued", "value": 1234567, "time_ms": 12.345678, '
    b'"namespace": "mlperf::logging", "event_type": "POINT_IN_TIME"}\n'
)


class _Lines(io.RawIOBase):
    """PAD_BYTES of loadgen log lines, made as they are read."""

    def __init__(self, size):
        self.left, self.block = size, LINE * (65536 // len(LINE))

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.left, len(self.block))
        buffer[:n] = self.block[:n]
        self.left -= n
        return n


def big_upload(tree, target):
    detail = sorted(tree.rglob("performance/run_1/mlperf_log_detail.txt"))[0]
    with tarfile.open(target, "w") as archive:
        for path in sorted(tree.rglob("*")):
            name = str(path.relative_to(tree))
            if path == detail:
                info = tarfile.TarInfo(name)
                info.size = PAD_BYTES
                archive.addfile(info, io.BufferedReader(_Lines(PAD_BYTES), 1 << 16))
            else:
                archive.add(path, arcname=name, recursive=False)
    return target


SETUP = """
import datetime as dt
from django.contrib.auth import get_user_model
from django.core.files import File
from django.utils import timezone
from results.models import Round, Submitter
from submissions import uploads
from submissions.models import Membership
round_ = Round.objects.get(version="v0.7")
round_.submission_deadline = timezone.now() + dt.timedelta(days=1)
round_.save()
user = get_user_model().objects.create_user("alice", "alice@example.org", "x")
ivatech = Submitter.objects.get(slug="ivatech")
Membership.objects.create(user=user, submitter=ivatech)
with open({path!r}, "rb") as f:
    s = uploads.receive_upload(round_=round_, submitter=ivatech, user=user, file=File(f, "iva.tar"))
uploads.enqueue_check(s)
print(s.pk.hex)
"""

ACCEPT = """
from django.contrib.auth import get_user_model
from submissions import review
from submissions.models import Submission
staff = get_user_model().objects.create_user("cora", is_staff=True)
review.request_acceptance(Submission.objects.get(), user=staff)
"""


def row(database, sql, *args):
    for _ in range(50):
        try:
            with sqlite3.connect(database, timeout=10) as db:
                return db.execute(sql, args).fetchone()
        except sqlite3.OperationalError as exc:  # locked for a moment by the worker
            if "locked" not in str(exc):
                raise
            time.sleep(0.1)
    raise AssertionError("database locked for 5 s")


def wait_for(what, condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    pytest.fail(f"waited {seconds} s for {what}")


def worker(env):
    return subprocess.Popen(
        [*MANAGE, "check_worker", "--interval", "0.2", "--no-startup-delay"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill(process):
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@pytest.mark.slow  # real worker processes, killed and restarted: about a minute
def test_a_check_killed_with_sigkill_is_checked_again_and_stages_nothing(ivatech_tree, tmp_path):
    env = site_env(
        tmp_path,
        SUBMISSION_STORAGE_ROOT=str(tmp_path / "uploads"),
        SUBMISSION_CHECK_LEASE_SECONDS="3",
    )
    load_site(env)
    database = tmp_path / "site.sqlite3"
    archive = big_upload(ivatech_tree, tmp_path / "iva.tar")
    processes = []
    try:
        pk = manage(env, "shell", "-c", SETUP.format(path=str(archive))).split()[-1]
        archive.unlink()
        results = row(database, "SELECT COUNT(*) FROM results_result")[0]

        def state():
            return row(
                database,
                "SELECT status, progress, attempts, task_id, review_note "
                "FROM submissions_submission WHERE id = ?",
                pk,
            )

        def task_status(task_id):
            sql = "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?"
            found = row(database, sql, task_id.replace("-", ""))
            return found[0] if found else None

        def under_way(status):
            # Claimed by the worker (its heartbeat written): reading takes about 1.3 s.
            return (
                state()[0] == status
                and row(
                    database, "SELECT heartbeat_at FROM submissions_submission WHERE id = ?", pk
                )[0]
            )

        # Killed half-way through reading the archive.
        processes.append(worker(env))
        wait_for("the check to be under way", lambda: under_way("checking"), 60)
        kill(processes[-1])
        status, progress, attempts, first_task, _ = state()
        assert (status, attempts) == ("checking", 1) and progress < 90
        assert task_status(first_task) == "RUNNING"  # what a plain db_worker never takes up

        # The next worker's reaper queues it again once the lease is over; it is checked.
        processes.append(worker(env))
        wait_for("the check to end", lambda: state()[0] in ("passed", "failed", "stalled"), 90)
        status, progress, attempts, second_task, _ = state()
        assert (status, progress, attempts) == ("passed", 100, 2)
        assert task_status(first_task) == "FAILED"
        wait_for("the task row", lambda: task_status(second_task) == "SUCCESSFUL", 10)
        assert row(database, "SELECT COUNT(*) FROM results_result")[0] == results

        # An acceptance killed half-way: no partial rows; back to staff, with the reason.
        manage(env, "shell", "-c", ACCEPT)
        wait_for("the acceptance to be under way", lambda: under_way("accepting"), 60)
        before = row(database, "SELECT COUNT(*), SUM(value) FROM results_result")
        kill(processes[-1])
        assert state()[0] == "accepting"
        assert row(database, "SELECT COUNT(*), SUM(value) FROM results_result") == before
        processes.append(worker(env))
        wait_for("the reaper", lambda: state()[0] == "passed", 30)
        assert "Accept it again" in state()[4]
        assert row(database, "SELECT COUNT(*), SUM(value) FROM results_result") == before
    finally:
        for process in processes:
            stop(process)
        for path in (tmp_path / "uploads").rglob("*.tar"):
            path.unlink()
