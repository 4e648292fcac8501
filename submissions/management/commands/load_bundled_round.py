from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from results.models import Result

from ._common import get_round

BUNDLE = Path(settings.BASE_DIR) / "data" / "inference_results_v0.7.tar.xz"


class Command(BaseCommand):
    help = "Import the bundled v0.7 round (data/inference_results_v0.7.tar.xz) unless it is loaded."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="import again even if loaded")

    def handle(self, force, verbosity, **options):
        round_ = get_round("v0.7")
        loaded = Result.objects.for_round(round_).count()
        if loaded and not force:
            self.stdout.write(f"Round v0.7 is loaded ({loaded} results); nothing to do.")
            return
        self.stdout.write(f"Importing {BUNDLE.name} into round v0.7 ...")
        # The findings of the published tree are listed from -v 2 on; the summary always.
        call_command(
            "import_submission",
            str(BUNDLE),
            round="v0.7",
            verbosity=max(verbosity - 1, 0),
            stdout=self.stdout._out,
            stderr=self.stderr._out,
        )
