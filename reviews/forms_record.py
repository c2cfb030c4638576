"""Forms of the decision record: the decision, risks, sign-off, sending back, verifying."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import Membership

MAX_UPLOAD = 20 * 1024 * 1024  # a record PDF is well under 1 MB
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class Button(Submit):
    """A submit input whose colour is given whole (`Submit` always adds btn-primary)."""

    def __init__(self, name, value, *, css: str = "btn-primary", **kwargs):
        self.field_classes = f"btn {css}"
        super().__init__(name, value, **kwargs)


def _helper(action: str, label, *, name: str = "submit", css: str = "btn-primary") -> FormHelper:
    helper = FormHelper()
    helper.form_action = action
    helper.add_input(Button(name, label, css=css))
    return helper


class DecisionForm(forms.Form):
    """The decision. Whether the justification is required is the service's call."""

    pattern = forms.ChoiceField(label=_("Chosen option"), widget=forms.RadioSelect)
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Why this option. Required when it is not the recommended option or is excluded."
        ),
    )
    consequences_good = forms.CharField(
        label=_("Good consequences"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Left empty, it starts from the catalog's merits of the chosen option."),
    )
    consequences_bad = forms.CharField(
        label=_("Bad consequences"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Left empty, it starts from the catalog's demerits of the chosen option."),
    )
    confirmation = forms.CharField(
        label=_("Confirmation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How and when you will check that the decision is carried out and works."),
    )

    def __init__(self, *args, choices: list[tuple[str, str]], action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pattern"].choices = choices
        self.helper = _helper(action, _("Save the decision"))
        self.helper.add_input(
            Button(
                "prefill", _("Fill the consequences from the catalog"), css="btn-outline-secondary"
            )
        )


class RiskForm(forms.Form):
    description = forms.CharField(
        label=_("Risk"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner_user = forms.ModelChoiceField(
        label=_("Owner"), queryset=get_user_model().objects.none(), required=False
    )
    owner_name = forms.CharField(
        label=_("Or the owner's name"),
        max_length=200,
        required=False,
        help_text=_("Someone outside the team, or a role."),
    )
    mitigation = forms.CharField(
        label=_("Mitigation"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    review_on = forms.DateField(
        label=_("Re-review on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, team, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = (
            get_user_model().objects.filter(memberships__team=team).order_by("username")
        )
        self.fields["owner_user"].label_from_instance = lambda u: (
            u.get_full_name() or u.get_username()
        )
        self.helper = _helper(action, _("Add the risk"), css="btn-outline-primary")

    def clean(self):
        data = super().clean()
        if not data.get("owner_user") and not (data.get("owner_name") or "").strip():
            raise forms.ValidationError(_("Name an owner: a team member or a name."))
        return data


class SignoffRequestForm(forms.Form):
    approvers = forms.ModelMultipleChoiceField(
        label=_("Approvers"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every approver you name must sign before the review is approved."),
    )
    message = forms.CharField(
        label=_("Message to the approvers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, team, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approvers"].queryset = (
            get_user_model()
            .objects.filter(memberships__team=team, memberships__role=Membership.Role.APPROVER)
            .order_by("username")
        )
        self.fields["approvers"].label_from_instance = lambda u: (
            u.get_full_name() or u.get_username()
        )
        self.helper = _helper(action, _("Request sign-off"))


class SignForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Signing is a deliberate act: enter your password again."),
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action, _("Sign off"), name="sign", css="btn-success")


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action, _("Send back to draft"), name="send_back", css="btn-danger")


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why withdraw the sign-off request?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            action, _("Withdraw the request"), name="withdraw", css="btn-outline-danger"
        )


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
        self.helper = _helper(action, _("Verify"))

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
