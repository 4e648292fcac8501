"""The admin staff live in: rounds and their rules, the catalogue, corrections.

Published data is changed only through results.services (withdraw, move,
correct), which record a public correction; nothing here deletes a system or
a result.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from . import services, tasks
from .forms import (
    CorrectValueForm,
    HandEntryForm,
    MoveForm,
    ReasonForm,
    RejectEntryForm,
    ResultEntryFormSet,
)
from .models import (
    Accelerator,
    Benchmark,
    BenchmarkScenario,
    Category,
    Correction,
    Entry,
    HandEntry,
    OfficialDifference,
    Processor,
    Result,
    Round,
    Scenario,
    Submitter,
    SuiteScenario,
    System,
    SystemType,
)


class DropsCachedPages:
    """Admin saves drop the cached pages they change: the object's round, or every round
    for names that every round shows."""

    def pages_round(self, obj):
        return getattr(obj, "round", None)

    def rows_rounds(self, obj) -> list[Round]:
        """Rounds whose rows the change reorders (services.rows_changed): none by default."""
        return []

    def _drop_pages(self, obj):
        if rounds := self.rows_rounds(obj):
            services.rows_changed(*rounds)  # which drops their pages too
            return
        round_ = self.pages_round(obj)
        if round_ is None:
            services.invalidate_all_rounds_cache()
        else:
            services.invalidate_round_cache(round_)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._drop_pages(obj)

    def delete_model(self, request, obj):
        self._drop_pages(obj)
        super().delete_model(request, obj)


def action_with_form(
    modeladmin, request, queryset, form_class, title, apply, *, done, **form_kwargs
):
    """An admin action that first asks for a reason (and options) on a page of its own.

    ``apply(obj, cleaned_data, request)`` runs for each selected object; a
    ValidationError it raises is reported for that object and the others go
    on. ``done`` names what happened, e.g. "systems withdrawn".
    """
    if "apply" in request.POST:
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            count = 0
            for obj in queryset:
                try:
                    apply(obj, form.cleaned_data, request)
                except ValidationError as exc:
                    for message in exc.messages:
                        messages.error(request, f"{obj}: {message}")
                    continue
                count += 1
                modeladmin.log_change(request, obj, f"{title}: {form.cleaned_data['reason']}")
            if count:
                messages.success(request, f"{count} {done}.")
            return None
    else:
        form = form_class(**form_kwargs)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "objects": queryset,
        "action": request.POST.get("action"),
        "opts": modeladmin.model._meta,
        "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
    }
    return render(request, "admin/results/action_form.html", context)


# --- Rounds and rules -------------------------------------------------------


class RoundForm(forms.ModelForm):
    code_url = forms.URLField(required=False, assume_scheme="https")
    copy_rules_from = forms.ModelChoiceField(
        queryset=Round.objects.all(),
        required=False,
        help_text="Create this round's categories, benchmarks and scenarios from an earlier one.",
    )

    class Meta:
        model = Round
        fields = [
            "version",
            "title",
            "result_id_prefix",
            "code_url",
            "submission_deadline",
            "published_at",
            "rules",
        ]
        widgets = {
            "rules": forms.Textarea(attrs={"rows": 30, "cols": 110, "class": "vLargeTextField"})
        }

    def clean_rules(self):
        from mlperf.profiles import ProfileError, RoundRules, upgrade

        rules = self.cleaned_data.get("rules")
        if not rules:
            return self.instance.rules if self.instance.pk else {}
        try:
            rules = upgrade(rules)
            RoundRules.from_dict(rules)
        except ProfileError as exc:
            raise forms.ValidationError(
                f"The rules do not follow the profile schema: {exc}"
            ) from None
        return rules

    def clean(self):
        cleaned = super().clean()
        deadline, published = cleaned.get("submission_deadline"), cleaned.get("published_at")
        if deadline and published and published < deadline:
            # Rows uploaded after the publication would go public unreviewed by the embargo.
            self.add_error(
                "published_at", "The publication time cannot be before the submission deadline."
            )
        return cleaned


class CategoryInline(admin.TabularInline):
    """The round's categories, as its rules define them (edit the rules to change them)."""

    model = Category
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["slug", "name", "order", "statuses"]
    readonly_fields = fields


@admin.register(Round)
class RoundAdmin(DropsCachedPages, admin.ModelAdmin):
    form = RoundForm
    list_display = [
        "version",
        "title",
        "submission_deadline",
        "published_at",
        "is_published",
        "system_count",
    ]
    search_fields = ["version", "title"]
    readonly_fields = ["next_result_number", "numbered_at", "rules_link"]
    inlines = [CategoryInline]
    actions = ["hand_out_result_ids"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(system_count=Count("systems"))

    def get_fieldsets(self, request, obj=None):
        main = ["version", "title", "result_id_prefix", "code_url"]
        if obj is None:
            main.append("copy_rules_from")
        fieldsets = [
            (None, {"fields": main}),
            (
                "Dates",
                {
                    "fields": ["submission_deadline", "published_at"],
                    "description": "Uploads close at the deadline. The round's pages become "
                    "public at the publication time and not a second before; its rows get "
                    "their result IDs then.",
                },
            ),
        ]
        if obj is not None:
            fieldsets.append(
                (
                    "Rules",
                    {
                        "fields": ["rules"],
                        "description": "The round's profile, as mlperf/rounds/<version>.json "
                        "holds it: what the checker applies to every upload and import. It is "
                        "validated on save, and the benchmarks, scenarios and categories are "
                        "mirrored from it.",
                    },
                )
            )
            fieldsets.append(("Bookkeeping", {"fields": self.readonly_fields}))
        return fieldsets

    @admin.display(boolean=True, description="Public")
    def is_published(self, obj):
        return obj.is_published

    @admin.display(description="Systems", ordering="system_count")
    def system_count(self, obj):
        return obj.system_count

    @admin.display(description="Rules")
    def rules_link(self, obj):
        links = [
            (reverse(f"admin:results_{name}_changelist") + f"?round__id__exact={obj.pk}", label)
            for name, label in (("benchmark", "Benchmarks"), ("scenario", "Scenarios"))
        ]
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def pages_round(self, obj):
        return obj

    def save_model(self, request, obj, form, change):
        if change and "version" in form.changed_data:
            # Pages cached under the old URL must go too.
            services.invalidate_round_cache(form.initial["version"])
        super().save_model(request, obj, form, change)
        if "published_at" in form.changed_data:
            tasks.schedule_publication(obj)  # result IDs at that time, from the worker
        source = form.cleaned_data.get("copy_rules_from")
        if not change and source is not None:
            services.copy_rules(source, obj)
            messages.info(request, f"Rules copied from {source}.")
        elif change and "rules" in form.changed_data:
            services.sync_rule_rows(obj)
            messages.info(request, "Rules saved; benchmarks, scenarios and categories updated.")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.invalidate_round_cache(form.instance)  # its categories may have changed

    @admin.action(
        description="Hand out result IDs to published rows that have none", permissions=["change"]
    )
    def hand_out_result_ids(self, request, queryset):
        for round_ in queryset:
            count = services.publish_round(round_)
            if round_.is_published:
                messages.success(request, f"{round_}: {count} rows numbered.")
            else:
                messages.warning(request, f"{round_} is not published yet: no IDs handed out.")


@admin.register(SystemType)
class SystemTypeAdmin(DropsCachedPages, admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]


@admin.register(Category)
class CategoryAdmin(DropsCachedPages, admin.ModelAdmin):
    list_display = ["name", "round", "slug", "order", "statuses"]
    list_filter = ["round"]
    list_select_related = ["round"]
    search_fields = ["name", "slug"]


class BenchmarkRowInline(admin.TabularInline):
    """A benchmark's rows; their scenario choices are the benchmark's own round's."""

    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        benchmark_id = request.resolver_match.kwargs.get("object_id")
        if field.queryset.model is Scenario and benchmark_id:
            field.queryset = field.queryset.filter(round__benchmarks__pk=benchmark_id)
        return field


class BenchmarkScenarioInline(BenchmarkRowInline):
    model = BenchmarkScenario
    fields = [
        "scenario",
        "unit",
        "better",
        "latency_bound_ms",
        "compliance_tests",
        "comparison_key",
    ]
    readonly_fields = fields
    max_num = 0
    can_delete = False


class SuiteScenarioInline(BenchmarkRowInline):
    model = SuiteScenario
    fields = ["system_type", "scenario", "requirement"]
    readonly_fields = fields
    max_num = 0
    can_delete = False


# What the round's rules document decides; the rows only mirror it (sync_rule_rows).
BENCHMARK_RULE_FIELDS = [
    "round",
    "slug",
    "folder",
    "qsl_size",
    "accuracy_metric",
    "accuracy_unit",
    "accuracy_pattern",
    "accuracy_reference",
    "accuracy_fraction",
    "accuracy_target",
    "accuracy_upper",
]


@admin.register(Benchmark)
class BenchmarkAdmin(DropsCachedPages, admin.ModelAdmin):
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.invalidate_round_cache(form.instance.round)  # scenario rows changed

    list_display = [
        "slug",
        "round",
        "name",
        "qsl_size",
        "accuracy_metric",
        "accuracy_target",
        "accuracy_unit",
    ]
    list_filter = ["round"]
    list_select_related = ["round"]
    search_fields = ["slug", "name", "folder", "family"]
    inlines = [BenchmarkScenarioInline, SuiteScenarioInline]
    readonly_fields = BENCHMARK_RULE_FIELDS
    fieldsets = [
        (
            None,
            {
                "fields": ["round", "slug", "folder", "name", "dataset", "family", "order"],
                "description": "The rules (folder, sample count, accuracy, scenarios) are the "
                "round's rules document's: edit them on the round. Names, the family and the "
                "order are for the pages.",
            },
        ),
        (
            "Rules (from the round's profile)",
            {"fields": BENCHMARK_RULE_FIELDS[3:]},
        ),
    ]


@admin.register(Scenario)
class ScenarioAdmin(DropsCachedPages, admin.ModelAdmin):
    list_display = ["name", "round", "label", "unit", "better", "min_query_count", "runs"]
    # The round's rules document decides these; the label is for the pages.
    readonly_fields = [
        "round",
        "name",
        "metric",
        "unit",
        "scale",
        "better",
        "min_query_count",
        "runs",
        "min_samples_per_query",
    ]
    list_filter = ["round"]
    list_select_related = ["round"]
    search_fields = ["name", "label"]


# --- The catalogue ----------------------------------------------------------


@admin.register(Submitter)
class SubmitterAdmin(DropsCachedPages, admin.ModelAdmin):
    list_display = ["name", "slug", "system_count"]
    search_fields = ["name", "slug"]

    def rows_rounds(self, obj):
        # Tables sort by submitter name: every round with one of its systems.
        return list(Round.objects.filter(systems__submitter=obj).distinct())

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(system_count=Count("systems"))

    @admin.display(description="Systems", ordering="system_count")
    def system_count(self, obj):
        return obj.system_count


@admin.register(Processor)
class ProcessorAdmin(DropsCachedPages, admin.ModelAdmin):
    list_display = ["name", "canonical_name"]
    list_editable = ["canonical_name"]
    search_fields = ["name", "canonical_name"]


@admin.register(Accelerator)
class AcceleratorAdmin(DropsCachedPages, admin.ModelAdmin):
    list_display = ["name", "canonical_name"]
    list_editable = ["canonical_name"]
    search_fields = ["name", "canonical_name"]


def titled(filter_class, title):
    """A list filter over a related field's values, named for what staff look for."""

    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class WithdrawnFilter(admin.SimpleListFilter):
    title = "withdrawn"
    parameter_name = "withdrawn"

    def lookups(self, request, model_admin):
        return [("no", "In the tables"), ("yes", "Withdrawn")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(withdrawn_at__isnull=self.value() == "no")
        return queryset


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    can_delete = False
    fields = ["result_id", "model_folder", "results_list"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("results__benchmark", "results__scenario")
        )

    @admin.display(description="Results")
    def results_list(self, entry):
        return format_html_join(
            ", ",
            '<a href="{}">{} {} {:g} {}</a>',
            (
                (
                    reverse("admin:results_result_change", args=[r.pk]),
                    r.benchmark.slug,
                    r.scenario.name,
                    r.value,
                    r.unit,
                )
                for r in entry.results.all()
            ),
        )


@admin.register(System)
class SystemAdmin(DropsCachedPages, admin.ModelAdmin):
    list_display = [
        "name",
        "submitter",
        "round",
        "division",
        "system_type",
        "category",
        "accelerator",
        "accelerator_count",
        "withdrawn_at",
    ]
    list_filter = [
        "round",
        "division",
        "system_type",
        ("category__slug", titled(admin.AllValuesFieldListFilter, "category")),
        WithdrawnFilter,
    ]
    list_select_related = ["round", "submitter", "system_type", "category", "accelerator"]
    search_fields = ["name", "folder_id", "submitter__name", "accelerator__name"]
    autocomplete_fields = ["submitter", "processor", "accelerator"]
    readonly_fields = [
        "round",
        "division",
        "submitter",
        "submitter_folder",
        "folder_id",
        "category",
        "status",
        "withdrawn_at",
        "public_link",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "public_link",
                    "round",
                    "division",
                    "submitter",
                    "submitter_folder",
                    "folder_id",
                    "system_type",
                    "category",
                    "status",
                    "withdrawn_at",
                ],
                "description": "Division, category and withdrawal change through the actions "
                "on the list of systems, which record a public correction.",
            },
        ),
        (
            "As the tables show it",
            {
                "fields": [
                    "name",
                    ("processor", "processor_count", "processor_cores"),
                    ("accelerator", "accelerator_count"),
                    "nodes",
                    "software",
                    "operating_system",
                    "notes",
                ]
            },
        ),
        ("Submitted description", {"fields": ["description", "findings"], "classes": ["collapse"]}),
    ]
    inlines = [EntryInline]
    actions = ["withdraw", "move"]
    change_list_template = "admin/results/system/change_list.html"

    def rows_rounds(self, obj):
        # Tables sort by submitter and system name, which staff may change here.
        return [obj.round]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False  # systems come from submissions, or from "Enter a system by hand"

    @admin.display(description="Public page")
    def public_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())

    @admin.action(description="Withdraw the selected systems…", permissions=["change"])
    def withdraw(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset.select_related("round", "submitter"),
            ReasonForm,
            "Withdraw systems",
            lambda system, data, request: services.withdraw_system(
                system, reason=data["reason"], effective=data["effective"], user=request.user
            ),
            done="systems withdrawn",
        )

    @admin.action(
        description="Move the selected systems to another category or division…",
        permissions=["change"],
    )
    def move(self, request, queryset):
        queryset = queryset.select_related("round", "submitter", "category")
        rounds = {system.round_id for system in queryset}
        return action_with_form(
            self,
            request,
            queryset,
            MoveForm,
            "Move systems",
            lambda system, data, request: services.move_system(
                system,
                category=data["category"],
                division=data["division"] or None,
                reason=data["reason"],
                effective=data["effective"],
                user=request.user,
            ),
            rounds=rounds,
            done="systems moved",
        )

    def get_urls(self):
        return [
            path(
                "enter/",
                self.admin_site.admin_view(self.enter_view),
                name="results_system_enter",
            ),
            *super().get_urls(),
        ]

    def enter_view(self, request):
        """A system and its results typed in by hand, on one page, with the import's rules."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        round_ = None
        if request.GET.get("round"):
            round_ = get_object_or_404(Round, pk=request.GET["round"])
        if round_ is None:
            context = {
                **self.admin_site.each_context(request),
                "title": "Enter a system by hand",
                "rounds": Round.objects.all(),
                "opts": self.model._meta,
            }
            return render(request, "admin/results/system/enter.html", context)
        data = request.POST if request.method == "POST" else None
        form = HandEntryForm(data, round_=round_)
        formset = ResultEntryFormSet(data, form_kwargs={"round_": round_}, prefix="results")
        errors = []
        if data is not None and form.is_valid() and formset.is_valid():
            try:
                entry = services.propose_system(
                    round_,
                    **form.service_arguments(),
                    results=formset.result_inputs(),
                    user=request.user,
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                self.log_addition(request, entry, [{"added": {}}])
                messages.success(
                    request,
                    f"{entry.summary}: held for review. Someone else accepts it into "
                    f"{round_}{'' if round_.is_published else ', public at its publication'}.",
                )
                return HttpResponseRedirect(
                    reverse("admin:results_handentry_change", args=[entry.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Enter a system by hand: {round_}",
            "round": round_,
            "form": form,
            "formset": formset,
            "errors": errors,
            "opts": self.model._meta,
        }
        return render(request, "admin/results/system/enter.html", context)


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["result_id", "system", "model_folder"]
    list_select_related = ["system__submitter"]
    search_fields = ["result_id", "system__name", "system__submitter__name", "model_folder"]
    readonly_fields = ["system", "model_folder", "number", "result_id"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    form = CorrectValueForm

    @admin.display(description="Measurements")
    def measurements_list(self, obj):
        # What the checker measured beside the figure; corrections go through the figure.
        return ", ".join(str(m) for m in obj.measurements.all()) or "—"

    list_display = [
        "result_id",
        "system",
        "benchmark",
        "scenario",
        "value",
        "unit",
        "accuracy_raw",
        "inferred",
        "compliant",
        "withdrawn_at",
    ]
    list_filter = [
        "entry__system__round",
        "entry__system__division",
        ("scenario__name", titled(admin.AllValuesFieldListFilter, "scenario")),
        ("benchmark__slug", titled(admin.AllValuesFieldListFilter, "benchmark")),
        "inferred",
        "compliant",
        WithdrawnFilter,
    ]
    list_select_related = [
        "entry__system__submitter",
        "entry__system__round",
        "benchmark",
        "scenario",
    ]
    search_fields = [
        "entry__result_id",
        "entry__system__name",
        "entry__system__folder_id",
        "entry__system__submitter__name",
        "model_folder",
    ]
    readonly_fields = [
        "entry",
        "benchmark",
        "scenario",
        "model_folder",
        "scenario_folder",
        "value",
        "unit",
        "accuracy",
        "accuracy_raw",
        "accuracy_metrics",
        "measurements_list",
        "inferred",
        "compliant",
        "withdrawn_at",
        "run_values",
        "performance",
        "implementation",
        "findings",
        "corrections_list",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "entry",
                    ("benchmark", "scenario"),
                    ("model_folder", "scenario_folder"),
                    ("value", "unit"),
                    ("accuracy", "accuracy_raw"),
                    "accuracy_metrics",
                    "measurements_list",
                    ("inferred", "compliant"),
                    "withdrawn_at",
                    "corrections_list",
                ]
            },
        ),
        (
            "Correct the value",
            {
                "fields": ["new_value", "reason", "effective"],
                "description": "A correction keeps the old value on the public change log.",
            },
        ),
        (
            "From the submission",
            {
                "fields": ["run_values", "performance", "implementation", "findings"],
                "classes": ["collapse"],
            },
        ),
    ]
    actions = ["withdraw"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="ID", ordering="entry__number")
    def result_id(self, obj):
        return obj.entry.result_id or "—"

    @admin.display(description="System", ordering="entry__system__name")
    def system(self, obj):
        return f"{obj.entry.system.submitter}: {obj.entry.system.name}"

    @admin.display(description="Corrections")
    def corrections_list(self, obj):
        return (
            format_html_join(
                mark_safe("<br>"),
                "{}: {} ({} → {}). {}",
                (
                    (
                        c.effective,
                        c.get_kind_display(),
                        c.old_value or "—",
                        c.new_value or "—",
                        c.reason,
                    )
                    for c in obj.corrections.all()
                ),
            )
            or "—"
        )

    def save_model(self, request, obj, form, change):
        new_value = form.cleaned_data.get("new_value")
        if new_value is not None:
            services.correct_value(
                obj,
                value=new_value,
                reason=form.cleaned_data["reason"],
                effective=form.cleaned_data["effective"],
                user=request.user,
            )

    @admin.action(description="Withdraw the selected results…", permissions=["change"])
    def withdraw(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset.select_related("entry__system__round"),
            ReasonForm,
            "Withdraw results",
            lambda result, data, request: services.withdraw_result(
                result, reason=data["reason"], effective=data["effective"], user=request.user
            ),
            done="results withdrawn",
        )


@admin.register(OfficialDifference)
class OfficialDifferenceAdmin(admin.ModelAdmin):
    """Rows where the checked tree and the round's official summary disagree (read-only)."""

    list_display = ["official_id", "location", "field", "ours", "official", "round"]
    list_filter = ["round", "field"]
    list_select_related = ["round"]
    search_fields = ["official_id", "location"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = [
        "effective",
        "kind",
        "system",
        "result",
        "old_value",
        "new_value",
        "reason",
        "created_by",
        "created_at",
    ]
    list_filter = ["round", "kind"]
    list_select_related = [
        "system__submitter",
        "result__benchmark",
        "result__scenario",
        "result__entry",
        "created_by",
    ]
    search_fields = ["reason", "system__name", "system__submitter__name"]
    date_hierarchy = "effective"

    def has_add_permission(self, request):
        return False  # corrections are made from the systems and results they change

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """Who changed what in the admin, and when (Django records every admin change)."""

    list_display = ["action_time", "user", "content_type", "object_repr", "action_flag"]
    list_filter = ["action_flag", "content_type"]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "change_message", "user__username"]
    date_hierarchy = "action_time"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.site_header = "MLPerf Inference Results: staff"
admin.site.site_title = "MLPerf results staff"
admin.site.index_title = "Curation"


@admin.register(HandEntry)
class HandEntryAdmin(admin.ModelAdmin):
    """Systems typed in by staff, awaiting a second person's review as uploads do."""

    list_display = ["summary", "round", "status", "entered_by", "entered_at", "reviewed_by"]
    list_filter = ["status", "round"]
    list_select_related = ["round", "entered_by", "reviewed_by"]
    fields = [
        "round",
        "summary",
        "entered_values",
        "status",
        "entered_by",
        "entered_at",
        "reviewed_by",
        "reviewed_at",
        "rejection_reason",
        "system",
    ]
    readonly_fields = fields
    actions = ["accept", "reject"]

    @admin.display(description="Entered values")
    def entered_values(self, obj):
        payload = dict(obj.payload)
        results = payload.pop("results", [])
        system = format_html_join(
            "", "<tr><th>{}</th><td>{}</td></tr>", ((k, v) for k, v in payload.items())
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    r["benchmark"],
                    r["scenario"],
                    r["model_folder"],
                    r["value"],
                    "" if r["accuracy"] is None else r["accuracy"],
                )
                for r in results
            ),
        )
        return format_html(
            "<table>{}</table><table><thead><tr><th>Benchmark</th><th>Scenario</th>"
            "<th>Model</th><th>Value</th><th>Accuracy</th></tr></thead>{}</table>",
            system,
            rows,
        )

    def has_add_permission(self, request):
        return False  # through "Enter a system by hand" on the systems list

    def has_delete_permission(self, request, obj=None):
        return False  # every entry is kept, as every upload is

    @admin.action(description="Accept: enter the system into its round", permissions=["change"])
    def accept(self, request, queryset):
        for entry in queryset.select_related("round", "entered_by"):
            try:
                system = services.accept_hand_entry(entry, user=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, f"{entry.summary}: {message}", messages.ERROR)
                continue
            self.log_change(request, entry, "Accepted")
            public = entry.round.is_published
            self.message_user(
                request,
                f"{system} entered into {entry.round}"
                f"{', on the change log' if public else ', public at its publication'}.",
                messages.SUCCESS,
            )

    @admin.action(description="Reject with a reason…", permissions=["change"])
    def reject(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset,
            RejectEntryForm,
            "Reject hand entries",
            self._reject_one,
            done="hand entries rejected",
        )

    def _reject_one(self, entry, data, request):
        services.reject_hand_entry(entry, reason=data["reason"], user=request.user)
