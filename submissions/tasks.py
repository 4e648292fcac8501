"""Background work (django-tasks): checking uploads.

Run by ``python manage.py db_worker`` with the database backend; at once,
inside the request, with the immediate backend (tests, DJANGO_TASKS_IMMEDIATE=1).
"""

from django_tasks import task

from . import review, uploads


@task()
def check_submission(submission_id: str) -> str:
    """Check one upload; returns its status (passed or failed)."""
    return uploads.run_check(submission_id)


@task()
def accept_upload(submission_id: str, user_id: int | None) -> str:
    """Accept one upload for staff (review.request_acceptance); returns its status."""
    return review.run_acceptance(submission_id, user_id)
