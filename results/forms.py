"""Forms staff fill in the admin: reasons for corrections, and systems entered by hand."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from .models import Benchmark, Category, Division, Result, Scenario, Submitter, SystemType
from .services import ResultInput


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Shown publicly on the round's change log.",
    )
    effective = forms.DateField(
        initial=timezone.localdate, help_text="The date the change log shows."
    )


class RejectEntryForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Kept with the entry; staff see it, the public does not.",
    )


class MoveForm(ReasonForm):
    category = forms.ModelChoiceField(queryset=Category.objects.none(), required=False)
    division = forms.ChoiceField(
        choices=[("", "Keep the division"), *Division.choices], required=False
    )
    field_order = ["category", "division", "reason", "effective"]

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(round__in=rounds).select_related(
            "round"
        )
        self.fields["category"].label_from_instance = lambda c: f"{c.round.version}: {c.name}"

    def clean(self):
        data = super().clean()
        if not data.get("category") and not data.get("division"):
            raise forms.ValidationError("Choose a category, a division, or both.")
        return data


class CorrectValueForm(forms.ModelForm):
    """The result admin form: every field read-only, plus an optional correction."""

    new_value = forms.FloatField(
        required=False, min_value=0, help_text="In the result's unit. Leave empty to keep it."
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    effective = forms.DateField(initial=timezone.localdate, required=False)

    class Meta:
        model = Result
        fields: list[str] = []

    def clean(self):
        data = super().clean()
        if data.get("new_value") is not None:
            if data["new_value"] <= 0:
                self.add_error("new_value", "A result value must be positive.")
            if data["new_value"] == self.instance.value:
                self.add_error("new_value", "This is the value it has.")
            if not (data.get("reason") or "").strip():
                self.add_error("reason", "A correction needs a reason.")
            data["effective"] = data.get("effective") or timezone.localdate()
        return data


class HandEntryForm(forms.Form):
    """A system typed in by staff, for results that arrive outside the upload path."""

    division = forms.ChoiceField(choices=Division.choices)
    submitter = forms.ModelChoiceField(queryset=Submitter.objects.all())
    folder_id = forms.SlugField(
        label="System id", help_text="Unique per submitter and division, like a systems/ file."
    )
    name = forms.CharField(max_length=300, label="System name")
    system_type = forms.ModelChoiceField(queryset=SystemType.objects.all())
    category = forms.ModelChoiceField(queryset=Category.objects.none())
    processor = forms.CharField(max_length=200, required=False)
    processor_count = forms.IntegerField(min_value=1, required=False)
    accelerator = forms.CharField(max_length=200, required=False)
    accelerator_count = forms.IntegerField(min_value=0, required=False)
    software = forms.CharField(max_length=300, required=False)
    operating_system = forms.CharField(max_length=300, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(round=round_)
        # The round's divisions are its profile's (network from v2.1).
        labels = dict(Division.choices)
        self.fields["division"].choices = [
            (name, labels.get(name, name.title())) for name in round_.divisions
        ]

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class ResultEntryForm(forms.Form):
    benchmark = forms.ModelChoiceField(queryset=Benchmark.objects.none())
    scenario = forms.ModelChoiceField(queryset=Scenario.objects.none())
    model_folder = forms.CharField(
        max_length=200, required=False, help_text="Open division: the model used."
    )
    value = forms.FloatField(help_text="In the scenario's unit (ms for SingleStream latency).")
    accuracy = forms.FloatField(required=False)

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["benchmark"].queryset = Benchmark.objects.filter(round=round_)
        scenarios = Scenario.objects.filter(round=round_)
        self.fields["scenario"].queryset = scenarios
        self.fields["scenario"].label_from_instance = lambda s: f"{s.name} ({s.unit})"


class BaseResultEntryFormSet(forms.BaseFormSet):
    def result_inputs(self) -> list[ResultInput]:
        return [
            ResultInput(
                benchmark=form.cleaned_data["benchmark"],
                scenario=form.cleaned_data["scenario"],
                value=form.cleaned_data["value"],
                model_folder=form.cleaned_data.get("model_folder") or "",
                accuracy=form.cleaned_data.get("accuracy"),
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


ResultEntryFormSet = forms.formset_factory(
    ResultEntryForm, formset=BaseResultEntryFormSet, extra=4, can_delete=False
)
