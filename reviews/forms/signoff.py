"""The forms of sign-off: requesting it, signing, sending back, withdrawing."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ..models import Membership
from .helpers import person_label, submit_helper, text_area


class SignoffRequestForm(forms.Form):
    approvers = forms.ModelMultipleChoiceField(
        label=_("Approvers"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every approver you name must sign before the review is approved."),
    )
    message = text_area(_("Message to the approvers"), rows=3, max_length=2000)

    def __init__(self, *args, team, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        approvers = self.fields["approvers"]
        assert isinstance(approvers, forms.ModelMultipleChoiceField)
        approvers.queryset = (
            get_user_model()
            .objects.filter(memberships__team=team, memberships__role=Membership.Role.APPROVER)
            .order_by("username")
        )
        approvers.label_from_instance = person_label  # type: ignore[method-assign,assignment]
        self.helper = submit_helper(action, _("Request sign-off"))


class SignForm(forms.Form):
    comment = text_area(_("Comment"), rows=3, max_length=2000, required=True)
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Signing is a deliberate act: enter your password again."),
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(action, _("Sign off"), name="sign", css="btn-success")


class SendBackForm(forms.Form):
    reason = text_area(_("Reason"), rows=3, max_length=2000, required=True)

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(
            action, _("Send back to draft"), name="send_back", css="btn-danger"
        )


class WithdrawForm(forms.Form):
    reason = text_area(
        _("Why withdraw the sign-off request?"), rows=2, max_length=2000, required=True
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(
            action, _("Withdraw the request"), name="withdraw", css="btn-outline-danger"
        )
