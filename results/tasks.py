"""Background work of the catalogue (django-tasks): handing out result IDs on time.

A public GET writes nothing (the public pages can read from replicas): rows get
their IDs from this task, which saving a round's publication time schedules for
that moment (``schedule_publication``), and from ``manage.py publish_due_rounds``
for cron, should no worker run.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends

from . import services


@task()
def publish_due_rounds() -> dict[str, int]:
    """Number the rows of every round whose publication time has passed."""
    return services.publish_due_rounds()


def schedule_publication(round_) -> None:
    """Once the change commits, queue the numbering for the round's publication time.

    A run before the time (the time moved later, or a backend that cannot defer and
    runs it now) numbers nothing: ``publish_round`` checks the time itself.
    """
    when = round_.published_at
    if when is None:
        return

    def enqueue():
        deferrable = task_backends[publish_due_rounds.backend].supports_defer
        if deferrable and when > timezone.now():
            publish_due_rounds.using(run_after=when).enqueue()
        else:
            publish_due_rounds.enqueue()

    transaction.on_commit(enqueue)
