from django.core.management.base import BaseCommand, CommandError

from results import exports, selectors
from results.models import Round


class Command(BaseCommand):
    help = "Write a round's results, one row per result, as on the round page's download."

    def add_arguments(self, parser):
        parser.add_argument("--round", required=True, help='the round version, e.g. "v0.7"')
        parser.add_argument("--format", choices=list(exports.FORMATS), default="csv")
        parser.add_argument("--output", help="write to this file (needed for xlsx)")

    def handle(self, round, format, output=None, **options):
        try:
            round_ = Round.objects.get(version=round)
        except Round.DoesNotExist:
            raise CommandError(f"no round {round!r}") from None
        rows = selectors.export_rows(selectors.round_results_query(round_))
        export = exports.Export(round_.version, rows, lineterminator="\n")
        if output:
            with open(output, "wb") as file:
                file.writelines(exports.write(format, export))
            return
        if format == "xlsx":
            raise CommandError("xlsx is binary: name a file with --output")
        for piece in exports.write(format, export):
            self.stdout.write(piece.decode(), ending="")
        if format == "json":
            self.stdout.write("")  # the newline the command always ended JSON with
