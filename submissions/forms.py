from django import forms
from django.template.defaultfilters import filesizeformat

from .models import ARCHIVE_SUFFIXES, archive_suffix
from .selectors import upload_rounds, user_submitters
from .uploads import closed_message, is_open


class UploadForm(forms.Form):
    round: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, empty_label=None)
    submitter: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        empty_label=None,
        help_text="The archive must hold <division>/<this submitter's folder>/... only.",
    )
    archive = forms.FileField(
        allow_empty_file=True,  # refused below, with the rule
        help_text="A " + ", ".join(ARCHIVE_SUFFIXES) + " archive of your submission tree.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ARCHIVE_SUFFIXES)}),
    )

    def __init__(self, *args, user, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.fields["round"].queryset = upload_rounds()  # type: ignore[attr-defined]
        self.fields["submitter"].queryset = user_submitters(user)  # type: ignore[attr-defined]
        self.fields["archive"].help_text += f" At most {filesizeformat(max_bytes)}."

    def clean_round(self):
        round_ = self.cleaned_data["round"]
        if not is_open(round_):
            raise forms.ValidationError(closed_message(round_))
        return round_

    def clean_archive(self):
        archive = self.cleaned_data["archive"]
        if archive_suffix(archive.name) is None:
            raise forms.ValidationError(
                f"“{archive.name}” is not one of the accepted kinds of archive ("
                + ", ".join(ARCHIVE_SUFFIXES)
                + "); rule IN1."
            )
        if archive.size == 0:
            raise forms.ValidationError(f"“{archive.name}” is empty, not an archive; rule IN1.")
        return archive
