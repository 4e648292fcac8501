"""A synthetic round N times the size of a real one, for benchmarks and tests.

Every system of the source round is copied N times (a fractional N copies a
random share of them), with its entries and results, so the synthetic round
has the source's distribution of divisions, system types, categories,
submitters, processors, accelerators, software and benchmarks; each copy's
values are the source's times a random factor (log-normal, seeded). The new
round gets a copy of the source's rules, is published, and its rows have
result IDs ``<version>-NNN``.
"""

import math
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from results.models import Benchmark, Category, Entry, Result, Round, Scenario, System
from results.services import copy_rules, rows_changed

BATCH = 1000


def _copy_fields(obj, **overrides) -> dict:
    """The concrete field values of ``obj`` but its primary key, with ``overrides``."""
    values = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }
    values.update(overrides)
    return values


class Command(BaseCommand):
    help = (
        "Create a synthetic, published round SCALE times the size of a real one (default v0.7), "
        "with the same rules and distribution. SCALE 0 creates the round and its rules only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, required=True, help="e.g. 1, 10, 100, 0.1")
        parser.add_argument("--source", default="v0.7", help="the round to copy (default v0.7)")
        parser.add_argument(
            "--round", dest="round_version", help='the new round\'s version (default "bench-Nx")'
        )
        parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
        parser.add_argument(
            "--replace", action="store_true", help="delete a round of that version first"
        )

    def handle(self, scale, source, round_version, seed, replace, **options):
        if scale < 0:
            raise CommandError("--scale must be 0 or more")
        try:
            source_round = Round.objects.get(version=source)
        except Round.DoesNotExist:
            raise CommandError(
                f"no round {source!r}; load it first (manage.py load_bundled_round)"
            ) from None
        version = round_version or f"bench-{scale:g}x"
        with transaction.atomic():
            existing = Round.objects.filter(version=version)
            if existing.exists():
                if not replace:
                    raise CommandError(f"round {version!r} exists; use --replace")
                self._delete(existing.get())
            round_ = self._create_round(source_round, version, scale)
            counts = self._copy_rows(source_round, round_, scale, random.Random(seed))
            rows_changed(round_)
        if connection.vendor in ("postgresql", "sqlite"):
            # Fresh statistics, as autovacuum would give them in time: the planner needs them.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"Created round {version}: {counts['systems']} systems, {counts['entries']} entries, "
            f"{counts['results']} results ({scale:g} x {source})."
        )

    def _delete(self, round_):
        # Results first, in bulk: the cascade from the round would collect them one by one.
        Result.objects.filter(entry__system__round=round_).delete()
        Entry.objects.filter(system__round=round_).delete()
        System.objects.filter(round=round_).delete()
        round_.delete()

    def _create_round(self, source_round, version, scale):
        round_ = Round.objects.create(
            version=version,
            title=f"Synthetic round ({scale:g} x {source_round.version})",
            result_id_prefix=version,
            published_at=source_round.published_at or timezone.now(),
        )
        copy_rules(source_round, round_)
        return round_

    def _copy_rows(self, source_round, round_, scale, rng):
        categories = {c.slug: c for c in Category.objects.filter(round=round_)}
        benchmarks = {b.slug: b for b in Benchmark.objects.filter(round=round_)}
        scenarios = {s.name: s for s in Scenario.objects.filter(round=round_)}
        systems = list(
            System.objects.filter(round=source_round)
            .select_related("category")
            .prefetch_related("entries__results__benchmark", "entries__results__scenario")
            .order_by("pk")
        )
        whole, share = math.floor(scale), scale - math.floor(scale)
        copies = [(s, whole + (rng.random() < share)) for s in systems]
        number = 1
        counts = {"systems": 0, "entries": 0, "results": 0}
        for index in range(max((n for _, n in copies), default=0)):
            batch = [s for s, n in copies if n > index]
            suffix = f"-{index}" if index else ""
            new_systems = System.objects.bulk_create(
                System(
                    **_copy_fields(
                        s,
                        round_id=round_.pk,
                        category_id=categories[s.category.slug].pk,
                        folder_id=s.folder_id + suffix,
                        name=s.name + (f" #{index + 1}" if index else ""),
                    )
                )
                for s in batch
            )
            new_entries, sources = [], []
            for source, system in zip(batch, new_systems, strict=True):
                for entry in source.entries.all():
                    new_entries.append(
                        Entry(
                            system=system,
                            model_folder=entry.model_folder,
                            number=number,
                            result_id=round_.result_id(number),
                        )
                    )
                    sources.append(entry)
                    number += 1
            Entry.objects.bulk_create(new_entries, batch_size=BATCH)
            new_results = []
            for source, entry in zip(sources, new_entries, strict=True):
                factor = rng.lognormvariate(0, 0.3) if index else 1.0
                for result in source.results.all():
                    new_results.append(
                        Result(
                            **_copy_fields(
                                result,
                                entry_id=entry.pk,
                                benchmark_id=benchmarks[result.benchmark.slug].pk,
                                scenario_id=scenarios[result.scenario.name].pk,
                                value=result.value * factor,
                            )
                        )
                    )
            Result.objects.bulk_create(new_results, batch_size=BATCH)
            counts["systems"] += len(new_systems)
            counts["entries"] += len(new_entries)
            counts["results"] += len(new_results)
        round_.next_result_number = number
        round_.save(update_fields=["next_result_number"])
        return counts
