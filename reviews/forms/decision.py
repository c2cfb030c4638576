"""The forms of the decision page: the decision and the risk register."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .helpers import Button, person_label, submit_helper, text_area


class DecisionForm(forms.Form):
    """The decision. Whether the justification is required is the service's call."""

    pattern = forms.ChoiceField(label=_("Chosen option"), widget=forms.RadioSelect)
    justification = text_area(
        _("Justification"),
        rows=4,
        max_length=10000,
        help_text=_(
            "Why this option. Required when it is not the recommended option or is excluded."
        ),
    )
    consequences_good = text_area(
        _("Good consequences"),
        rows=6,
        max_length=10000,
        help_text=_("Left empty, it starts from the catalog's merits of the chosen option."),
    )
    consequences_bad = text_area(
        _("Bad consequences"),
        rows=6,
        max_length=10000,
        help_text=_("Left empty, it starts from the catalog's demerits of the chosen option."),
    )
    confirmation = text_area(
        _("Confirmation"),
        rows=3,
        max_length=5000,
        help_text=_("How and when you will check that the decision is carried out and works."),
    )

    def __init__(self, *args, choices: list[tuple[str, str]], action: str, **kwargs):
        super().__init__(*args, **kwargs)
        pattern = self.fields["pattern"]
        assert isinstance(pattern, forms.ChoiceField)
        pattern.choices = choices
        self.helper = submit_helper(action, _("Save the decision"))
        self.helper.add_input(
            Button(
                "prefill", _("Fill the consequences from the catalog"), css="btn-outline-secondary"
            )
        )


class RiskForm(forms.Form):
    """One accepted risk. That it has an owner (a member or a name) is the service's rule
    (`decisions.risk_add`)."""

    description = text_area(_("Risk"), rows=2, max_length=2000, required=True)
    owner_user = forms.ModelChoiceField(
        label=_("Owner"), queryset=get_user_model().objects.none(), required=False
    )
    owner_name = forms.CharField(
        label=_("Or the owner's name"),
        max_length=200,
        required=False,
        help_text=_("Someone outside the team, or a role."),
    )
    mitigation = text_area(_("Mitigation"), rows=2, max_length=2000)
    review_on = forms.DateField(
        label=_("Re-review on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, team, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner_user"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = (
            get_user_model().objects.filter(memberships__team=team).order_by("username")
        )
        owner.label_from_instance = person_label  # type: ignore[method-assign,assignment]
        self.helper = submit_helper(action, _("Add the risk"), css="btn-outline-primary")
