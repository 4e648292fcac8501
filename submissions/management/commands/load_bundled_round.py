import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from results.models import Result, Round

DATA = Path(settings.BASE_DIR) / "data"


def bundled_rounds() -> dict[str, Path]:
    """The rounds whose published tree is bundled in data/, by version, oldest first.

    The mobile suite's trees (``mobile_results_vX.Y``) are the rounds "mobile-vX.Y".
    """
    found = {}
    for path in sorted(DATA.glob("inference_results_v*.tar.xz")):
        found[path.name.removeprefix("inference_results_").removesuffix(".tar.xz")] = path
    for path in sorted(DATA.glob("mobile_results_v*.tar.xz")):
        found["mobile-" + path.name.removeprefix("mobile_results_").removesuffix(".tar.xz")] = path
    return dict(
        sorted(
            found.items(),
            key=lambda item: ([int(x) for x in re.findall(r"\d+", item[0])], item[0]),
        )
    )


class Command(BaseCommand):
    help = (
        "Load the rules of every bundled round and import its tree "
        "(data/inference_results_<version>.tar.xz) unless it is loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("versions", nargs="*", help="only these rounds, e.g. v1.0")
        parser.add_argument("--force", action="store_true", help="import again even if loaded")

    def handle(self, versions, force, verbosity, **options):
        bundles = bundled_rounds()
        unknown = sorted(set(versions) - set(bundles))
        if unknown:
            raise CommandError(
                f"no bundled tree for {', '.join(unknown)} (have {', '.join(bundles)})"
            )
        for version, bundle in bundles.items():
            if versions and version not in versions:
                continue
            if not Round.objects.filter(version=version).exists():
                call_command("load_round_rules", version, stdout=self.stdout._out)
            loaded = Result.objects.filter(entry__system__round__version=version).count()
            if loaded and not force:
                self.stdout.write(f"Round {version} is loaded ({loaded} results); nothing to do.")
                continue
            self.stdout.write(f"Importing {bundle.name} into round {version} ...")
            extra = {}
            summary = DATA / f"summary_results_{version}.json"
            if summary.is_file():  # the official IDs of the round (v5.0 on)
                extra["official_summary"] = str(summary)
            # The findings of the published tree are listed from -v 2 on; the summary always.
            call_command(
                "import_submission",
                str(bundle),
                round=version,
                verbosity=max(verbosity - 1, 0),
                stdout=self.stdout._out,
                stderr=self.stderr._out,
                **extra,
            )
