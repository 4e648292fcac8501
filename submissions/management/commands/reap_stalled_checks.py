from django.core.management.base import BaseCommand

from submissions.reaper import reap


class Command(BaseCommand):
    help = (
        "Queue again the checks whose worker stopped (no heartbeat for the lease), or mark them "
        "stalled after the last attempt. `manage.py check_worker` does it by itself; this is "
        "for cron beside a plain db_worker."
    )

    def handle(self, **options):
        done = reap()
        self.stdout.write(
            f"{done['requeued']} queued again, {done['stalled']} stalled, "
            f"{done['acceptances']} acceptances to do again."
        )
