import csv
import json

from django.core.management.base import BaseCommand, CommandError

from results import selectors
from results.exports_safety import spreadsheet_cell
from results.models import Round


class Command(BaseCommand):
    help = "Write a round's results, one row per result, as on the round page's download."

    def add_arguments(self, parser):
        parser.add_argument("--round", required=True, help='the round version, e.g. "v0.7"')
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, round, format, **options):
        try:
            round_ = Round.objects.get(version=round)
        except Round.DoesNotExist:
            raise CommandError(f"no round {round!r}") from None
        rows = selectors.export_rows(selectors.round_results_query(round_))
        if format == "json":
            data = {"round": round_.version, "results": [selectors.json_row(r) for r in rows]}
            self.stdout.write(json.dumps(data, indent=1))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(selectors.EXPORT_COLUMNS)
        for row in rows:
            writer.writerow(
                [spreadsheet_cell(selectors.csv_value(row[c])) for c in selectors.EXPORT_COLUMNS]
            )
