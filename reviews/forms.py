from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from patterns.models import Catalog, pick
from patterns.scoring import MAX_CRITERION_WEIGHT

from . import costs
from .models import Membership, Review, Team

WEIGHT_CHOICES = [
    (0, _("0: does not matter")),
    (1, _("1: normal")),
    (2, _("2: important")),
    (3, _("3: decisive")),
]


class ReviewCreateForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    context = forms.CharField(
        label=_("Context"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is being decided and why: the partners, the data, the constraints."),
    )
    catalog = forms.ModelChoiceField(label=_("Catalog"), queryset=Catalog.objects.none())
    language = forms.ChoiceField(label=_("Record language"), choices=settings.LANGUAGES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.REVIEWER
        )
        latest = {}
        for catalog in Catalog.objects.published().order_by("slug", "-published_at", "-pk"):
            latest.setdefault(catalog.slug, catalog.pk)
        self.fields["catalog"].queryset = Catalog.objects.filter(pk__in=latest.values())
        self.fields["catalog"].label_from_instance = lambda c: f"{pick(c, 'title')} ({c.version})"
        if len(latest) == 1:
            self.fields["catalog"].initial = next(iter(latest.values()))
        teams = list(self.fields["team"].queryset[:2])
        if len(teams) == 1:
            self.fields["team"].initial = teams[0].pk
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Create and start the assessment")))


class ReviewEditForm(forms.ModelForm):
    """Title, context, record language and how much each criterion matters."""

    class Meta:
        model = Review
        fields = ["title", "context", "language"]
        widgets = {"context": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        weights = self.instance.weights or {}
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"weight_{criterion.key}"] = forms.TypedChoiceField(
                label=pick(criterion, "name"),
                choices=WEIGHT_CHOICES,
                coerce=int,
                initial=weights.get(criterion.key, 1),
                help_text=pick(criterion, "description"),
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

    def clean(self):
        data = super().clean()
        data["weights"] = {
            c.key: data[f"weight_{c.key}"]
            for c in self.criteria
            if f"weight_{c.key}" in data and 0 <= data[f"weight_{c.key}"] <= MAX_CRITERION_WEIGHT
        }
        return data


def _count(label, help_text, *, required=True, maximum=costs.MAX_USERS):
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=0,
        max_value=maximum,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )


class CostInputsForm(forms.Form):
    """The inputs of a review's cost estimate (reviews/costs.py); stored in Review.cost_inputs.

    Empty price fields mean "the price table's figure for the chosen course", so that the
    defaults follow the course and the catalog's table.
    """

    internal_users = _count(_("Internal users"), _("People of your company who use kintone."))
    external_users = _count(
        _("External users"), _("People of the partner organizations who take part.")
    )
    external_own_account = _count(
        _("External users with their own cybozu.com account"),
        _("Their company has its own kintone contract: as guests they are free (Link Account)."),
    )
    second_domain_staff = _count(
        _("Your users who also work in a separate domain"),
        _("Only for the separate-domain option. Empty: all internal users."),
        required=False,
    )
    course = forms.ChoiceField(
        label=_("kintone course"), widget=forms.Select(attrs={"class": "form-select"})
    )
    price_per_user = _count(
        _("Price per user per month"), "", required=False, maximum=costs.MAX_PRICE
    )
    guest_price = _count(
        _("Guest user price per month"), "", required=False, maximum=costs.MAX_PRICE
    )
    paid_plugins = _count(
        _("Paid plugins"),
        _("How many paid plugins the environment uses."),
        maximum=costs.MAX_PLUGINS,
    )
    plugin_fee = _count(_("Monthly fee per plugin"), "", required=False, maximum=costs.MAX_FEE)
    service_fee = _count(
        _("Integration service, monthly fee"), "", required=False, maximum=costs.MAX_FEE
    )

    def __init__(self, *args, price_table: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.price_table = price_table
        money = costs.Money(price_table["currency"])
        courses = price_table["courses"]
        self.fields["course"].choices = [(c["key"], costs.localized(c, "name")) for c in courses]

        def listing(field):
            return ", ".join(f"{costs.localized(c, 'name')} {money(c[field])}" for c in courses)

        self.fields["price_per_user"].help_text = _("Empty: the table's price (%(prices)s).") % {
            "prices": listing("price_per_user_month")
        }
        guest_help = [
            _("Empty: the table's price (%(prices)s).")
            % {"prices": listing("guest_price_per_user_month")}
        ]
        if not price_table["guest_user"]["confirmed"]:
            guest_help.append(str(_("Unconfirmed: check the current price.")))
        self.fields["guest_price"].help_text = " ".join(guest_help)
        for name, part in (("plugin_fee", "plugin"), ("service_fee", "integration_service")):
            info = price_table[part]
            text = [_("Empty: %(fee)s.") % {"fee": money(info["monthly_fee"])}]
            if not info["confirmed"]:
                text.append(str(_("An assumption, not a price: enter your own.")))
            self.fields[name].help_text = " ".join(text)

    @classmethod
    def initial_for(cls, price_table: dict, stored: dict) -> dict:
        """The form's initial values: the stored inputs over the defaults."""
        stored = stored if isinstance(stored, dict) else {}
        initial = {**costs.DEFAULT_COUNTS, "course": price_table["default_course"]}
        initial.update({k: v for k, v in stored.items() if k in costs.INPUT_FIELDS})
        return initial

    def clean(self):
        data = super().clean()
        if not self.errors:
            for name, message in costs.validate_cost_inputs(
                self.price_table, self.inputs()
            ).items():
                self.add_error(name if name in self.fields else None, message)
        return data

    def inputs(self) -> dict:
        """The cleaned inputs in the shape stored in Review.cost_inputs."""
        return {name: self.cleaned_data.get(name) for name in costs.INPUT_FIELDS}
