from django.core.management.base import BaseCommand

from results.services import publish_due_rounds


class Command(BaseCommand):
    help = (
        "Hand out result IDs in every round whose publication time has passed. The first page "
        "view after the embargo does it too; run this from cron to have it done on the minute."
    )

    def handle(self, **options):
        done = publish_due_rounds()
        if not done:
            self.stdout.write("No round is due.")
        for version, count in done.items():
            self.stdout.write(f"{version}: {count} rows numbered.")
