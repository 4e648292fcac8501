from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mlperf import UnreadableInput
from mlperf.official import SummaryProblem, match, read_summary
from results.services import load_rules
from submissions.services import check_path, import_report

from ._common import round_or_bundled_profile, write_findings


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Check a submission tree (a folder holding closed/ and/or open/, or an archive of one) "
        "and import the results it accepts into a round. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--round",
            required=True,
            help='the round version, e.g. "v0.7"; a round with a bundled profile '
            "(mlperf/rounds/<version>.json) and no row yet is created with the import",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument(
            "--official-summary",
            metavar="FILE",
            help="the round's summary_results.json: its IDs become the rows' public IDs, "
            "and every row where it differs from the checked tree is listed",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="apply the upload rules (every mandatory file), not those for published rounds",
        )

    def handle(self, path, round, dry_run, strict, verbosity, official_summary, **options):
        # A round without a row yet is created from its bundled profile, with the import.
        round_, profile = round_or_bundled_profile(round)
        records = None
        if official_summary:
            try:
                records = read_summary(Path(official_summary).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, SummaryProblem) as exc:
                raise CommandError(f"{official_summary}: {exc}", returncode=2) from exc
        try:
            report = check_path(round_, path, strict=strict)
        except UnreadableInput as exc:
            raise CommandError(str(exc), returncode=2) from exc
        official = match(report, records) if records is not None else None
        write_findings(self, report.findings, verbosity)
        counts = report.counts()
        self.stdout.write(
            f"Checked {report.label}: {counts['results']} results accepted "
            f"({counts['closed']} closed, {counts['open']} open, {counts['inferred']} inferred) "
            f"from {counts['systems']} systems; {counts['rejected']} rejected; "
            f"{counts['errors']} errors, {counts['warnings']} warnings."
        )
        try:
            with transaction.atomic():
                if profile is not None:
                    round_, _ = load_rules(profile)
                    verb = "Would create" if dry_run else "Created"
                    self.stdout.write(f"{verb} round {round} from its bundled profile.")
                summary = import_report(round_, report, official)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        prefix = "Dry run, nothing written. Would have " if dry_run else ""
        for label, counter in (
            ("created", summary.created),
            ("updated", summary.updated),
            ("unchanged", summary.unchanged),
        ):
            parts = ", ".join(f"{n} {what}" for what, n in sorted(counter.items()) if n)
            parts = parts or "nothing"
            self.stdout.write(f"{prefix}{label}: {parts}")
        if summary.not_in_tree:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(summary.not_in_tree)} results of these systems are not in this tree "
                    "and were left as they are:"
                )
            )
            for location in summary.not_in_tree:
                self.stdout.write(f"  {location}")
        if official is not None:
            self.stdout.write(
                f"Official summary: {len(official.ids)} results matched to their official IDs; "
                f"{len(summary.official_differences)} differences (staff: Results > "
                "Official differences)"
            )
            if verbosity >= 2:
                for d in summary.official_differences:
                    self.stdout.write(
                        f"  {d.official_id or '-'} {d.location} {d.field}: "
                        f"ours {d.ours or '-'}, official {d.official or '-'}"
                    )
