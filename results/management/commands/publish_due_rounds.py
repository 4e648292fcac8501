from django.core.management.base import BaseCommand

from results.services import publish_due_rounds


class Command(BaseCommand):
    help = (
        "Hand out result IDs in every round whose publication time has passed. The worker does "
        "it at the time staff set (results.tasks); run this from cron if no worker runs."
    )

    def handle(self, **options):
        done = publish_due_rounds()
        if not done:
            self.stdout.write("No round is due.")
        for version, count in done.items():
            self.stdout.write(f"{version}: {count} rows numbered.")
