import json

from django.core.management.base import BaseCommand

from mlperf import UnreadableInput
from submissions.services import check_path

from ._common import format_finding, round_or_bundled_profile


class Command(BaseCommand):
    help = (
        "Check a submission (a folder or an archive) against a round's upload rules without "
        "writing anything. Exit status: 0 acceptable, 1 errors, 2 unreadable input."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--round", required=True, help='the round version, e.g. "v0.7"')
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the report as JSON"
        )
        parser.add_argument(
            "--published",
            action="store_true",
            help="the lenient rules for an already published tree (missing logs are noted)",
        )

    def handle(self, path, round, as_json, published, verbosity, **options):
        # A round without a row yet is checked against its bundled profile (nothing is written).
        round_, _ = round_or_bundled_profile(round)
        try:
            report = check_path(round_, path, strict=not published)
        except UnreadableInput as exc:
            self._emit_unreadable(str(exc), as_json)
            raise SystemExit(2) from exc
        if as_json:
            self.stdout.write(_json_dumps(report.as_dict()))
        else:
            for finding in report.findings:
                if finding.level != "info" or verbosity >= 2:
                    self.stdout.write(format_finding(finding))
            counts = report.counts()
            verdict = "acceptable" if report.acceptable else "has errors"
            self.stdout.write(
                f"{report.label}: {counts['results']} results from {counts['systems']} systems; "
                f"{counts['errors']} errors, {counts['warnings']} warnings: submission {verdict}."
            )
        if not report.acceptable:
            raise SystemExit(1)

    def _emit_unreadable(self, message, as_json):
        if as_json:
            self.stdout.write(_json_dumps({"acceptable": False, "unreadable": message}))
        else:
            self.stderr.write(message)


def _json_dumps(data) -> str:
    return json.dumps(data, indent=2, sort_keys=False)
