"""Shared by the submission commands: finding round, printing findings."""

from django.core.management.base import CommandError

from mlperf import Finding, Level
from results.models import Round


def get_round(version: str) -> Round:
    try:
        return Round.objects.get(version=version)
    except Round.DoesNotExist:
        known = ", ".join(Round.objects.values_list("version", flat=True)) or "none"
        raise CommandError(f"no round {version!r} (known rounds: {known})") from None


def round_or_bundled_profile(version: str) -> tuple[Round, dict | None]:
    """The round, or an unsaved one with its bundled profile and that document to create it.

    A round not in the database yet can still be checked and imported when
    ``mlperf/rounds/<version>.json`` exists: the caller creates it (with
    ``results.services.load_rules``) in the transaction that imports, so a dry
    run writes nothing.
    """
    from mlperf.profiles import bundled_versions, load_round_data, upgrade

    found = Round.objects.filter(version=version).first()
    if found is not None:
        return found, None
    if version not in bundled_versions():
        known = ", ".join(Round.objects.values_list("version", flat=True)) or "none"
        raise CommandError(
            f"no round {version!r} (known rounds: {known}; bundled profiles: "
            f"{', '.join(bundled_versions())})"
        )
    document = upgrade(load_round_data(version))
    return Round(version=version, rules=document), document


def format_finding(finding: Finding) -> str:
    return (
        f"{finding.level.upper():7} [{finding.rule} {finding.section}] "
        f"{finding.path or '.'}: {finding.message}"
    )


def write_findings(command, findings, verbosity: int) -> None:
    """Errors and warnings (from verbosity 1), notes for the record (from verbosity 2)."""
    least = {0: Level.ERROR, 1: Level.WARNING}.get(verbosity, Level.INFO)
    order = [Level.ERROR, Level.WARNING, Level.INFO]
    shown = [f for f in findings if order.index(f.level) <= order.index(least)]
    for finding in shown:
        style = {
            Level.ERROR: command.style.ERROR,
            Level.WARNING: command.style.WARNING,
        }.get(finding.level, str)
        command.stdout.write(style(format_finding(finding)))
    hidden = len(findings) - len(shown)
    if hidden:
        command.stdout.write(f"({hidden} findings not shown; use -v 2 to list them all)")
