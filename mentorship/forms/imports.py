"""The import pages' forms: the upload, and the confirmation of a checked file."""

from __future__ import annotations

from django import forms

from ..imports.reading import MAX_FILE_BYTES


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
        label="Upload a file",
        help_text="A CSV or Excel (.xlsx) file, up to 2 MB and 1,000 people, with the "
        "template's columns.",
        error_messages={
            "required": "Choose a CSV or Excel file to upload",
            "empty": "The file is empty.",
            "invalid": "Choose a CSV or Excel file to upload",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                "The file is larger than 2 MB. Split it into smaller files."
            )
        return upload


class ImportConfirmForm(forms.Form):
    digest = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
