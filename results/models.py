"""The published catalogue: rounds and their rules, systems and results.

A round's rules (benchmarks, scenarios, suites, categories) are rows staff
can edit; ``results.rules.rules_for_round`` hands them to the checker.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mlperf.names import canonical_part_name


class Division(models.TextChoices):
    """Division names the site knows how to label; which a round has is its profile's."""

    CLOSED = "closed", "Closed"
    OPEN = "open", "Open"
    NETWORK = "network", "Network"


class Better(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Requirement(models.TextChoices):
    REQUIRED = "required", "Required"
    OPTIONAL = "optional", "Optional"


class RoundQuerySet(models.QuerySet):
    def published(self, now=None):
        """Rounds whose embargo has ended."""
        return self.filter(published_at__lte=now or timezone.now())


class Round(models.Model):
    version = models.CharField(max_length=20, unique=True, help_text='e.g. "v0.7"')
    title = models.CharField(max_length=200)
    result_id_prefix = models.CharField(
        max_length=20, help_text='Result IDs read "<prefix>-NNN", e.g. "0.7-042".'
    )
    next_result_number = models.PositiveIntegerField(
        default=1, help_text="Numbers are handed out once and never reused."
    )
    code_url = models.URLField(
        blank=True, help_text="Where the submission tree's code folders are browsable."
    )
    submission_deadline = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="The end of the embargo: public from this time on."
    )
    numbered_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When its rows last received result IDs (at or after publication).",
    )
    pages_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When something its public pages show last changed (a rename, a move, "
        "new rules): cached pages older than this are never served, in any process.",
    )
    # Round-wide checker settings that are not per benchmark or scenario:
    # seeds, minimum duration, benchmark aliases and guesses, inferred results.
    # Kept for migration 0007 only; the profile below holds them now.
    checker_settings = models.JSONField(default=dict, blank=True)
    rules = models.JSONField(
        default=dict,
        blank=True,
        help_text="The round's profile (mlperf/rounds/<version>.json): what the checker "
        "applies. Benchmarks, scenarios and categories below are mirrored from it.",
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-version"]

    def __str__(self) -> str:
        return self.title or self.version

    def get_absolute_url(self) -> str:
        return reverse("results:round", args=[self.version])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()

    @property
    def divisions(self) -> list[str]:
        return list(self.rules.get("divisions") or ["closed", "open"])

    def result_id(self, number: int) -> str:
        return f"{self.result_id_prefix}-{number:03d}"


class SystemType(models.Model):
    """A suite of the checker (datacenter, edge) or a table group (mobile phones)."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="categories")
    slug = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    statuses = models.JSONField(
        default=list,
        blank=True,
        help_text="The system JSON 'status' spellings (lowercase) that map to this category.",
    )

    class Meta:
        ordering = ["round", "order", "slug"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["round", "slug"], name="category_unique_per_round"),
        ]

    def __str__(self) -> str:
        return self.name


class Benchmark(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="benchmarks")
    slug = models.CharField(max_length=40, help_text='The canonical id, e.g. "resnet".')
    folder = models.CharField(max_length=60, help_text="The folder name the rules prescribe.")
    name = models.CharField(max_length=100, help_text="The reference model.")
    dataset = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    qsl_size = models.PositiveIntegerField(help_text="Minimum performance_sample_count.")
    accuracy_metric = models.CharField(max_length=60)
    accuracy_unit = models.CharField(max_length=10, blank=True)
    accuracy_pattern = models.CharField(
        max_length=300, help_text="Regular expression for the metric line of accuracy.txt."
    )
    accuracy_reference = models.FloatField(help_text="The FP32 reference accuracy.")
    accuracy_fraction = models.FloatField(help_text="0.99 or 0.999 of the reference.")
    accuracy_target = models.FloatField(help_text="The closed-division minimum.")
    accuracy_upper = models.FloatField(
        null=True, blank=True, help_text="Where a window applies, the maximum."
    )
    family = models.CharField(
        max_length=60,
        blank=True,
        help_text="The same model and data set across rounds (3D U-Net on BraTS and on "
        "KiTS19 are two families).",
    )

    class Meta:
        ordering = ["round", "order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["round", "slug"], name="benchmark_unique_per_round"),
            models.CheckConstraint(
                condition=Q(accuracy_fraction__gt=0) & Q(accuracy_fraction__lte=1),
                name="benchmark_accuracy_fraction_range",
            ),
        ]

    def __str__(self) -> str:
        return self.slug


class Scenario(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(max_length=20, help_text='e.g. "SingleStream"')
    label = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField(default=0)
    metric = models.CharField(max_length=60, help_text="The key read from the summary log.")
    unit = models.CharField(max_length=20)
    scale = models.FloatField(default=1, help_text="Logged figure x scale = shown value.")
    better = models.CharField(max_length=6, choices=Better)
    min_query_count = models.PositiveIntegerField()
    runs = models.PositiveSmallIntegerField(default=1)
    min_samples_per_query = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["round", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="scenario_unique_per_round"),
            models.CheckConstraint(condition=Q(scale__gt=0), name="scenario_scale_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class BenchmarkScenario(models.Model):
    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="scenarios")
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="+")
    latency_bound_ms = models.FloatField(null=True, blank=True)
    compliance_tests = models.JSONField(default=list, blank=True)
    # The figure of this benchmark in this scenario (the scenario's, unless the profile
    # sets another, e.g. tokens/s for a language model).
    unit = models.CharField(max_length=20, blank=True)
    better = models.CharField(max_length=6, choices=Better, blank=True)
    comparison_key = models.CharField(
        max_length=120,
        blank=True,
        help_text="Results with the same key measure the same thing in any round "
        "(family, scenario and unit).",
    )

    class Meta:
        ordering = ["benchmark", "scenario__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["benchmark", "scenario"], name="benchmark_scenario_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.benchmark} {self.scenario}"


class SuiteScenario(models.Model):
    """A scenario a suite requires or allows for a benchmark (closed division)."""

    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="suites")
    system_type = models.ForeignKey(SystemType, on_delete=models.PROTECT, related_name="+")
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="+")
    requirement = models.CharField(max_length=8, choices=Requirement)

    class Meta:
        ordering = ["benchmark", "system_type", "scenario__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["benchmark", "system_type", "scenario"], name="suite_scenario_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.benchmark} {self.system_type} {self.scenario} ({self.requirement})"


class Submitter(models.Model):
    """An organisation, keyed by its folder name case-insensitively (spec Q7)."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Part(models.Model):
    """A processor or an accelerator: the submitted spelling and its canonical name."""

    name = models.CharField(max_length=200, unique=True, help_text="As submitted.")
    canonical_name = models.CharField(
        max_length=200,
        blank=True,
        db_index=True,
        help_text="The name spellings of one part share; staff curate it.",
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.canonical_name:
            self.canonical_name = canonical_part_name(self.name)
        super().save(*args, **kwargs)


class Processor(Part):
    class Meta(Part.Meta):
        pass


class Accelerator(Part):
    class Meta(Part.Meta):
        pass


def system_code_url(round_code_url: str, division: str, submitter_folder: str) -> str:
    """Where a system's code is published: the round's code tree, by division and folder."""
    if not round_code_url:
        return ""
    return f"{round_code_url.rstrip('/')}/{division}/{submitter_folder}/code"


class System(models.Model):
    """One submitter's system on one software stack, in one division of a round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="systems")
    # One of the round's divisions (its profile's), e.g. closed, open, network.
    division = models.CharField(max_length=20)
    submitter = models.ForeignKey(Submitter, on_delete=models.PROTECT, related_name="systems")
    submitter_folder = models.CharField(max_length=100, help_text="As spelled on disk.")
    folder_id = models.CharField(max_length=200, help_text="systems/<folder_id>.json")
    name = models.CharField(max_length=300)
    system_type = models.ForeignKey(SystemType, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="systems")
    status = models.CharField(max_length=100, help_text="The system JSON status, as written.")
    processor = models.ForeignKey(
        Processor, null=True, blank=True, on_delete=models.PROTECT, related_name="systems"
    )
    processor_count = models.PositiveIntegerField(null=True, blank=True)
    processor_cores = models.CharField(max_length=100, blank=True)
    accelerator = models.ForeignKey(
        Accelerator, null=True, blank=True, on_delete=models.PROTECT, related_name="systems"
    )
    accelerator_count = models.PositiveIntegerField(null=True, blank=True)
    nodes = models.PositiveIntegerField(null=True, blank=True)
    software = models.CharField(max_length=300, blank=True)
    operating_system = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    description = models.JSONField(default=dict, help_text="The full system JSON.")
    findings = models.JSONField(default=list, blank=True)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="Set by a correction; the system leaves the tables."
    )
    # Derived, kept by results.services.rows_changed: the tables' default order as a
    # number, so that a big round's first rows come from an index, not a sort by name.
    rank = models.PositiveIntegerField(
        default=0, editable=False, help_text="Position in the round by submitter and name."
    )

    class Meta:
        ordering = ["round", "division", "submitter__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "division", "submitter", "folder_id"],
                name="system_unique_per_round_division_submitter",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "division", "system_type"], name="system_table_idx"),
            models.Index(fields=["round", "software"], name="system_software_idx"),
            models.Index(
                fields=["round", "division", "system_type", "category", "rank"],
                name="system_table_rank_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submitter}: {self.name} ({self.division})"

    def get_absolute_url(self) -> str:
        return reverse(
            "results:system",
            args=[self.round.version, self.division, self.submitter.slug, self.folder_id],
        )

    @property
    def code_url(self) -> str:
        return system_code_url(self.round.code_url, self.division, self.submitter_folder)

    @property
    def division_label(self) -> str:
        return dict(Division.choices).get(self.division, self.division.title())


class Entry(models.Model):
    """One row of a round's results table, with the result ID people cite.

    In closed a row is a system; in open it is a system and one model folder,
    since several open models can map to one benchmark (spec §9).
    """

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="entries")
    model_folder = models.CharField(max_length=200, blank=True)
    # Handed out when the round is published (results.services.publish_round), never reused.
    number = models.PositiveIntegerField(null=True, blank=True)
    result_id = models.CharField(max_length=40, unique=True, null=True, blank=True)
    # Derived, kept by results.services.rows_changed: counting a big round's rows and
    # results per table reads entries instead of every result.
    result_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Results not withdrawn."
    )

    class Meta:
        ordering = ["number", "pk"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(fields=["system", "model_folder"], name="entry_unique_row"),
        ]

    def __str__(self) -> str:
        return self.result_id or f"{self.system} (no ID before publication)"


class ResultQuerySet(models.QuerySet):
    def visible(self):
        """Results in the tables: neither they nor their system are withdrawn."""
        return self.filter(withdrawn_at__isnull=True, entry__system__withdrawn_at__isnull=True)

    def published(self, now=None):
        """What the public may see: visible results of rounds whose embargo has ended."""
        return self.visible().filter(entry__system__round__published_at__lte=now or timezone.now())

    def for_round(self, round_):
        return self.filter(entry__system__round=round_)

    def with_related(self):
        return self.select_related(
            "entry__system__round",
            "entry__system__submitter",
            "entry__system__system_type",
            "entry__system__category",
            "entry__system__processor",
            "entry__system__accelerator",
            "benchmark",
            "scenario",
        )


class Result(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="results")
    benchmark = models.ForeignKey(Benchmark, on_delete=models.PROTECT, related_name="results")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="results")
    model_folder = models.CharField(max_length=200, help_text="The benchmark folder on disk.")
    scenario_folder = models.CharField(max_length=20, help_text="The scenario folder on disk.")
    value = models.FloatField()
    unit = models.CharField(max_length=20)
    accuracy = models.FloatField(null=True, blank=True)
    accuracy_raw = models.CharField(max_length=60, blank=True)
    # Every metric the round reports: metric, value, raw, target, upper, unit.
    accuracy_metrics = models.JSONField(default=list, blank=True)
    inferred = models.BooleanField(default=False)
    compliant = models.BooleanField(
        null=True, blank=True, help_text="Compliance tests passed; empty where they do not apply."
    )
    performance = models.JSONField(default=dict, blank=True, help_text="The summary log's keys.")
    run_values = models.JSONField(default=list, blank=True)
    implementation = models.JSONField(default=dict, blank=True)
    findings = models.JSONField(default=list, blank=True)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="Set by a correction; the result leaves the tables."
    )

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["entry", "benchmark__order", "scenario__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "benchmark", "scenario"], name="result_unique_per_row"
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="result_value_positive"),
        ]
        indexes = [
            models.Index(fields=["benchmark", "scenario"], name="result_column_idx"),
            # The public pages read only results that are not withdrawn, by row.
            models.Index(
                fields=["entry"],
                condition=Q(withdrawn_at__isnull=True),
                name="result_visible_entry_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} {self.benchmark} {self.scenario}: {self.value:g} {self.unit}"

    @property
    def location(self) -> str:
        system = self.entry.system
        return (
            f"{system.division}/{system.submitter_folder}/results/{system.folder_id}/"
            f"{self.model_folder}/{self.scenario_folder}"
        )


class MeasurementKind(models.TextChoices):
    POWER = "power", "Power"
    ENERGY = "energy", "Energy"
    LATENCY_MEAN = "latency_mean", "Mean latency"
    LATENCY_P50 = "latency_p50", "50th percentile latency"
    LATENCY_P90 = "latency_p90", "90th percentile latency"
    LATENCY_P99 = "latency_p99", "99th percentile latency"
    TOKENS_PER_SECOND = "tokens_per_second", "Tokens per second"
    TTFT_P99 = "ttft_p99", "99th percentile time to first token"
    TPOT_P99 = "tpot_p99", "99th percentile time per output token"


# The kinds that are a result's power figure (watts, or energy per query or sample).
POWER_KINDS = (MeasurementKind.POWER, MeasurementKind.ENERGY)


class Measurement(models.Model):
    """A typed figure beside a result's primary one: power, energy, latencies, tokens/s."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="measurements")
    kind = models.CharField(max_length=20, choices=MeasurementKind)
    value = models.FloatField()
    unit = models.CharField(
        max_length=20, help_text='As the round reports it, e.g. "W", "J/query".'
    )

    class Meta:
        ordering = ["result", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["result", "kind"], name="measurement_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value:g} {self.unit}"

    @property
    def short_label(self) -> str:
        return MEASUREMENT_SHORT_LABELS.get(self.kind, self.get_kind_display())


MEASUREMENT_SHORT_LABELS = {
    "latency_mean": "mean latency",
    "latency_p50": "p50 latency",
    "latency_p90": "p90 latency",
    "latency_p99": "p99 latency",
    "ttft_p99": "p99 TTFT",
    "tpot_p99": "p99 TPOT",
}


class OfficialDifference(models.Model):
    """Where the site's checked result differs from the round's official summary.

    The summary (``summary_results.json``) gives the official result IDs; the
    figures are the tree's. Staff see these in the admin.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="official_differences")
    location = models.CharField(max_length=500)
    official_id = models.CharField(max_length=40, blank=True)
    field = models.CharField(max_length=20, help_text="value, accuracy, inferred, missing or id")
    ours = models.CharField(max_length=500, blank=True)
    official = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["round", "location", "field"]
        indexes = [models.Index(fields=["round", "field"], name="official_difference_idx")]

    def __str__(self) -> str:
        return f"{self.location} {self.field}: {self.ours} / {self.official}"


class CorrectionKind(models.TextChoices):
    WITHDRAW_RESULT = "withdraw-result", "Result withdrawn"
    WITHDRAW_SYSTEM = "withdraw-system", "System withdrawn"
    MOVE_CATEGORY = "move-category", "Moved to another category"
    MOVE_DIVISION = "move-division", "Moved to another division"
    CORRECT_VALUE = "correct-value", "Value corrected"
    ADD_RESULT = "add-result", "Result added"


class CorrectionQuerySet(models.QuerySet):
    def on_record(self, now=None):
        """The change log: corrections since publication (all of them while a round is a
        draft, which only staff see); what staff changed before publication is not news."""
        now = now or timezone.now()
        return self.filter(
            Q(round__published_at__isnull=True)
            | Q(round__published_at__gt=now)
            | Q(created_at__gte=models.F("round__published_at"))
        )


class Correction(models.Model):
    """A change to published data, with its reason: the public change log.

    Nothing is deleted; the old value stays here.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="corrections")
    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="corrections")
    result = models.ForeignKey(
        Result, null=True, blank=True, on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(max_length=20, choices=CorrectionKind)
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)
    # The figures exactly (the texts above round them to 6 significant digits): a dated
    # snapshot restores a value from old_number. Set for a corrected, added or withdrawn
    # result; null for other kinds, and for rows older than migration 0014 whose text
    # did not parse.
    old_number = models.FloatField(null=True, blank=True)
    new_number = models.FloatField(null=True, blank=True)
    reason = models.TextField()
    effective = models.DateField(help_text="The date the change log shows.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "auth.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-effective", "-created_at", "-pk"]
        indexes = [models.Index(fields=["round", "effective"], name="correction_log_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.system} ({self.effective})"


class HandEntryStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class HandEntry(models.Model):
    """A system typed in by staff, held for review like an upload.

    Nothing of it is in the round until a second person accepts it; then it is entered
    with the import's rules, on the change log when the round is public, and under the
    round's embargo when it is not.
    """

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="hand_entries")
    summary = models.CharField(max_length=400, help_text="The system and its results, in words.")
    payload = models.JSONField(
        help_text="The entered values, with benchmarks, scenarios and categories by key."
    )
    entered_by = models.ForeignKey(
        "auth.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=HandEntryStatus, default=HandEntryStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    system = models.ForeignKey(
        System, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-entered_at", "-pk"]
        verbose_name_plural = "hand entries"

    def __str__(self) -> str:
        return f"{self.summary} ({self.get_status_display().lower()})"
