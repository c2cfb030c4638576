"""The verify page's form: a record PDF or a hash."""

from __future__ import annotations

import re

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .helpers import submit_helper

MAX_UPLOAD = 20 * 1024 * 1024  # a record PDF is well under 1 MB
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("A decision record PDF"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    sha256 = forms.CharField(
        label=_("Or a SHA-256 hash"),
        required=False,
        max_length=100,
        help_text=_("The record hash printed in the PDF's footer, or the PDF file's own hash."),
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(action, _("Verify"))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("The file is too large (at most %(max)s).") % {"max": filesizeformat(MAX_UPLOAD)}
            )
        return upload

    def clean_sha256(self) -> str:
        value = "".join(self.cleaned_data.get("sha256", "").split()).lower()
        if value and not SHA256_RE.match(value):
            raise forms.ValidationError(_("A SHA-256 hash is 64 hexadecimal characters."))
        return value

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("file") and not data.get("sha256"):
            raise forms.ValidationError(_("Upload a PDF or enter a hash."))
        return data
