"""Load or update a round's rules from its profile file (mlperf/rounds/<version>.json)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mlperf.profiles import ProfileError, bundled_versions, load_round_data
from results.services import load_rules


class Command(BaseCommand):
    help = (
        "Create or update a round from its profile: the bundled mlperf/rounds/<version>.json, "
        "or a file. Rows that results point at are updated in place, never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("versions", nargs="*", help="e.g. v1.0; none: every bundled round")
        parser.add_argument("--file", help="a profile file instead of the bundled one")

    def handle(self, *args, versions, file, **options):
        documents = []
        try:
            if file:
                documents.append((file, json.loads(Path(file).read_text(encoding="utf-8"))))
            for version in versions or ([] if file else bundled_versions()):
                documents.append((version, load_round_data(version)))
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        for name, document in documents:
            try:
                round_, created = load_rules(document)
            except ProfileError as exc:
                raise CommandError(f"{name}: {exc}") from exc
            verb = "created" if created else "updated"
            self.stdout.write(
                f"{round_.version}: {verb} ({round_.benchmarks.count()} benchmarks, "
                f"{round_.scenarios.count()} scenarios)"
            )
