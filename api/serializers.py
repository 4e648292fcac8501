"""What each endpoint returns, as the OpenAPI document (drf-spectacular) describes it.

Results are not serialised from models: they are the download's rows
(``results.selectors.export_rows`` and ``json_row``), and ``ResultSerializer``
only describes them, so the API and the CSV/JSON downloads read one pipeline.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from results.models import Better, CorrectionKind


class ErrorSerializer(serializers.Serializer):
    """A 400 or 404: what was wrong, and for a 400 each parameter's complaint."""

    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class RoundLinksSerializer(serializers.Serializer):
    page = serializers.CharField(help_text="The round's page on the site.")
    benchmarks = serializers.CharField()
    systems = serializers.CharField()
    results = serializers.CharField()
    corrections = serializers.CharField()
    csv = serializers.CharField(help_text="The whole round as CSV (the download).")
    json = serializers.CharField(help_text="The whole round as JSON (the download).")


def round_links(version: str) -> dict[str, str]:
    api = {
        name: reverse(f"api:{name}", args=[version])
        for name in ("benchmarks", "systems", "results", "corrections")
    }
    return {
        "page": reverse("results:round", args=[version]),
        **api,
        "csv": reverse("results:download", args=[version, "csv"]),
        "json": reverse("results:download", args=[version, "json"]),
    }


class RoundSerializer(serializers.Serializer):
    version = serializers.CharField()
    title = serializers.CharField()
    published_at = serializers.DateTimeField()
    code_url = serializers.CharField(help_text="Where the submission tree's code is browsable.")
    divisions = serializers.ListField(child=serializers.CharField())
    system_count = serializers.IntegerField()
    result_count = serializers.IntegerField()
    links = serializers.SerializerMethodField()

    @extend_schema_field(RoundLinksSerializer)
    def get_links(self, round_) -> dict[str, str]:
        return round_links(round_.version)


class CategorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ScenarioSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    better = serializers.ChoiceField(choices=Better.choices)


class RoundDetailSerializer(RoundSerializer):
    categories = CategorySerializer(many=True)
    scenarios = ScenarioSerializer(many=True)


class BenchmarkScenarioSerializer(serializers.Serializer):
    name = serializers.CharField(source="scenario.name")
    label = serializers.CharField(source="scenario.label")
    unit = serializers.SerializerMethodField(help_text="The unit of this benchmark's figure.")
    better = serializers.SerializerMethodField()
    comparison_key = serializers.CharField(
        help_text="Results with the same key measure the same thing in any round."
    )
    latency_bound_ms = serializers.FloatField(allow_null=True)

    def get_unit(self, row) -> str:
        return row.unit or row.scenario.unit

    @extend_schema_field(serializers.ChoiceField(choices=Better.choices))
    def get_better(self, row) -> str:
        return row.better or row.scenario.better


class BenchmarkSerializer(serializers.Serializer):
    id = serializers.CharField(source="slug", help_text='The canonical id, e.g. "resnet".')
    name = serializers.CharField(help_text="The reference model.")
    family = serializers.CharField(help_text="The same model and data set across rounds.")
    dataset = serializers.CharField()
    accuracy_metric = serializers.CharField()
    accuracy_unit = serializers.CharField()
    accuracy_target = serializers.FloatField(help_text="The closed division's minimum.")
    accuracy_upper = serializers.FloatField(allow_null=True)
    scenarios = BenchmarkScenarioSerializer(many=True)


class PartSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="As submitted.")
    canonical_name = serializers.CharField(help_text="The name every spelling shares.")


class SubmitterSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class SystemSerializer(serializers.Serializer):
    id = serializers.CharField(source="folder_id", help_text="systems/<id>.json in the tree.")
    name = serializers.CharField()
    division = serializers.CharField()
    submitter = SubmitterSerializer()
    system_type = serializers.CharField(source="system_type.slug")
    category = serializers.CharField(source="category.slug")
    status = serializers.CharField(help_text="The system description's status, as written.")
    processor = PartSerializer(allow_null=True)
    processor_count = serializers.IntegerField(allow_null=True)
    processor_cores = serializers.CharField()
    accelerator = PartSerializer(allow_null=True)
    accelerator_count = serializers.IntegerField(allow_null=True)
    nodes = serializers.IntegerField(allow_null=True)
    software = serializers.CharField()
    operating_system = serializers.CharField()
    notes = serializers.CharField()
    withdrawn = serializers.SerializerMethodField(help_text="Withdrawn by a correction.")
    result_ids = serializers.SerializerMethodField(help_text="The result IDs of its rows.")
    page = serializers.SerializerMethodField(help_text="Its page on the site.")

    def get_withdrawn(self, system) -> bool:
        return system.withdrawn_at is not None

    def get_result_ids(self, system) -> list[str]:
        return [entry.result_id for entry in system.entries.all() if entry.result_id]

    def get_page(self, system) -> str:
        return system.get_absolute_url()


class MeasurementSerializer(serializers.Serializer):
    value = serializers.FloatField()
    unit = serializers.CharField()


class AccuracyMetricSerializer(serializers.Serializer):
    metric = serializers.CharField()
    value = serializers.FloatField(allow_null=True, required=False)
    raw = serializers.CharField(required=False, allow_blank=True)
    target = serializers.FloatField(allow_null=True, required=False)
    upper = serializers.FloatField(allow_null=True, required=False)
    unit = serializers.CharField(required=False, allow_blank=True)


STATUS_CHOICES = [
    ("published", "As published"),
    ("corrected", "Its value was corrected on the change log"),
    ("withdrawn", "Withdrawn on the change log; kept, marked"),
]


class ResultSerializer(serializers.Serializer):
    """A row of the round's JSON download, with every accuracy metric beside it."""

    round = serializers.CharField()
    result_id = serializers.CharField(allow_null=True, help_text='The row\'s ID, e.g. "0.7-042".')
    division = serializers.CharField()
    system_type = serializers.CharField()
    category = serializers.CharField()
    submitter = serializers.CharField()
    system_id = serializers.CharField()
    system_name = serializers.CharField()
    benchmark = serializers.CharField()
    model = serializers.CharField(help_text="The model folder in the tree.")
    scenario = serializers.CharField()
    value = serializers.FloatField()
    unit = serializers.CharField()
    accuracy = serializers.FloatField(allow_null=True)
    accuracy_metrics = AccuracyMetricSerializer(many=True)
    inferred = serializers.BooleanField()
    compliant = serializers.BooleanField(allow_null=True)
    processor = serializers.CharField()
    processor_count = serializers.IntegerField(allow_null=True)
    accelerator = serializers.CharField()
    accelerator_count = serializers.IntegerField(allow_null=True)
    software = serializers.CharField()
    power = serializers.FloatField(allow_null=True, help_text="Watts, or energy per query.")
    power_unit = serializers.CharField()
    measurements = serializers.DictField(child=MeasurementSerializer(), help_text="By kind.")
    comparison = serializers.CharField(
        help_text="Results with the same key measure the same thing in any round."
    )
    status = serializers.ChoiceField(choices=STATUS_CHOICES)


class CorrectionSystemSerializer(serializers.Serializer):
    id = serializers.CharField(source="folder_id")
    name = serializers.CharField()
    division = serializers.CharField()
    submitter = serializers.CharField(source="submitter.name")


class CorrectionResultSerializer(serializers.Serializer):
    result_id = serializers.CharField(source="entry.result_id", allow_null=True)
    benchmark = serializers.CharField(source="benchmark.slug")
    scenario = serializers.CharField(source="scenario.name")


class CorrectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CorrectionKind.choices)
    effective = serializers.DateField()
    system = CorrectionSystemSerializer()
    result = CorrectionResultSerializer(allow_null=True)
    old_value = serializers.CharField()
    new_value = serializers.CharField()
    reason = serializers.CharField()
