"""The forms of sign-off: requesting it, signing, sending back, withdrawing."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ..models import Membership
from ..services.signoff import MAX_APPROVERS
from .helpers import person_label, submit_helper, text_area


class SignoffRequestForm(forms.Form):
    """The approval route: who signs, in which order. One choice per place (`approver_1`
    signs first; the last one named is the most senior, whose box is leftmost), so the order
    needs no JavaScript. A plain list of `approvers` (in the order given) is accepted too."""

    message = text_area(_("Message to the approvers"), rows=3, max_length=2000)

    def __init__(self, *args, team, action: str, initial_approvers=(), **kwargs):
        super().__init__(*args, **kwargs)
        queryset = (
            get_user_model()
            .objects.filter(memberships__team=team, memberships__role=Membership.Role.APPROVER)
            .order_by("username")
        )
        places = max(1, min(len(queryset), MAX_APPROVERS))
        self.approver_fields = [f"approver_{n}" for n in range(1, places + 1)]
        initial = list(initial_approvers)
        for n, name in enumerate(self.approver_fields, start=1):
            field = forms.ModelChoiceField(
                label=_place_label(n, places),
                queryset=queryset,
                required=n == 1,
                empty_label=_("(nobody)") if n > 1 else None,
                initial=initial[n - 1].pk if n <= len(initial) else None,
            )
            field.label_from_instance = person_label  # type: ignore[method-assign,assignment]
            self.fields[name] = field
        self.order_fields([*self.approver_fields, "message"])
        self._queryset = queryset
        self.helper = submit_helper(action, _("Request sign-off"))

    def full_clean(self):
        """A plain `approvers` list (API clients, older forms) fills the places in order."""
        if self.is_bound and "approvers" in self.data and "approver_1" not in self.data:
            data = self.data.copy()
            listed = data.getlist("approvers") if hasattr(data, "getlist") else data["approvers"]
            for name, value in zip(self.approver_fields, listed, strict=False):
                data[name] = value
            self.data = data
        super().full_clean()

    def clean(self):
        data = super().clean()
        chosen = [data[name] for name in self.approver_fields if data.get(name)]
        if len({user.pk for user in chosen}) != len(chosen):
            raise forms.ValidationError(_("Name each approver once."))
        data["approvers"] = chosen
        return data

    @property
    def service_data(self) -> dict:
        """What `review_request_signoff` takes: the approvers in order, the message."""
        return {
            "approvers": self.cleaned_data["approvers"],
            "message": self.cleaned_data["message"],
        }


def _place_label(n: int, places: int) -> str:
    if places == 1:
        return str(_("Approver"))
    if n == 1:
        return str(_("1. Signs first (the box next to yours)"))
    if n == places:
        return str(_("%(n)d. Signs last: the most senior (leftmost box)") % {"n": n})
    return str(_("%(n)d. Signs next") % {"n": n})


class SignForm(forms.Form):
    comment = text_area(_("Comment"), rows=3, max_length=2000, required=True)
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Signing is a deliberate act: enter your password again."),
    )
    # The record the approver read: a signature for any other content is refused.
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(action, _("Sign off"), name="sign", css="btn-success")
        self.helper.attrs = {"data-signing": "true"}


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
