"""`db_worker` with the reaper beside it: what runs the checks of uploads.

A plain db_worker never takes up a task whose worker was killed (its row stays
"running"); this one also runs submissions.reaper every few seconds in a thread
of its own, so a check killed with its worker is checked again without anyone
watching.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import connections
from django_tasks_db.management.commands import db_worker

from submissions.reaper import reap

logger = logging.getLogger(__name__)


def _reap_forever(interval: float) -> None:
    while True:
        try:
            done = reap()
            if any(done.values()):
                logger.info("reaper: %s", done)
        except Exception:  # the database may be away for a moment: try again later
            logger.exception("reaper failed")
        finally:
            connections.close_all()  # this thread's own connections
        time.sleep(interval)


class Command(db_worker.Command):
    help = "Run the task worker (db_worker) with the reaper of stalled checks beside it."

    def handle(self, *args, **options):
        interval = max(1.0, min(30.0, settings.SUBMISSION_CHECK_LEASE_SECONDS / 5))
        threading.Thread(target=_reap_forever, args=(interval,), name="reaper", daemon=True).start()
        return super().handle(*args, **options)
