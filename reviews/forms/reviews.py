"""The forms of starting a review and of its settings page."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from patterns.models import Catalog, pick
from patterns.scoring import MAX_CRITERION_WEIGHT

from ..models import Membership, Review, ReviewTemplate, Team
from .helpers import text_area

WEIGHT_CHOICES = [
    (0, _("0: does not matter")),
    (1, _("1: normal")),
    (2, _("2: important")),
    (3, _("3: decisive")),
]


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReviewTemplate) -> str:
        return f"{obj.name} ({obj.team.name} · {obj.catalog.version})"


class ReviewCreateForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    context = text_area(
        _("Context"),
        rows=4,
        max_length=20000,
        help_text=_("What is being decided and why: the partners, the data, the constraints."),
    )
    catalog = forms.ModelChoiceField(label=_("Catalog"), queryset=Catalog.objects.none())
    language = forms.ChoiceField(label=_("Record language"), choices=settings.LANGUAGES)
    template = TemplateChoiceField(
        label=_("Start from a template"),
        queryset=ReviewTemplate.objects.none(),
        required=False,
        empty_label=_("No template: start with no answers"),
        help_text=_(
            "The template's answers and weights are filled in, and the review uses the "
            "template's catalog version."
        ),
    )

    field_order = ["team", "template", "title", "context", "catalog", "language"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_template(user)
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

    def _init_template(self, user) -> None:
        """The templates of the user's reviewing teams; no field when there are none."""
        teams = Membership.objects.filter(user_id=user.pk, role=Membership.Role.REVIEWER)
        templates = ReviewTemplate.objects.filter(
            team_id__in=teams.values("team_id")
        ).select_related("team", "catalog")
        if not templates.exists():
            del self.fields["template"]
            return
        field = self.fields["template"]
        assert isinstance(field, TemplateChoiceField)
        field.queryset = templates

    def clean(self):
        data = super().clean()
        template = data.get("template")
        if template is not None:
            if data.get("team") is not None and data["team"] != template.team:
                self.add_error("template", _("This template belongs to another team."))
            data["catalog"] = template.catalog
        return data


def weight_fields(form: forms.BaseForm, criteria, weights: dict) -> None:
    """Add one 0-3 choice per criterion (`weight_<key>`), starting at the stored weights."""
    for criterion in criteria:
        form.fields[f"weight_{criterion.key}"] = forms.TypedChoiceField(
            label=pick(criterion, "name"),
            choices=WEIGHT_CHOICES,
            coerce=int,
            initial=weights.get(criterion.key, 1),
            help_text=pick(criterion, "description"),
        )


def cleaned_weights(data: dict, criteria) -> dict[str, int]:
    return {
        c.key: data[f"weight_{c.key}"]
        for c in criteria
        if f"weight_{c.key}" in data and 0 <= data[f"weight_{c.key}"] <= MAX_CRITERION_WEIGHT
    }


class WeightsForm(forms.Form):
    """The wizard's weights panel: how much each criterion matters, before the ranking."""

    def __init__(self, *args, criteria, weights: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        weight_fields(self, criteria, weights or {})

    def clean(self):
        data = super().clean()
        data["weights"] = cleaned_weights(data, self.criteria)
        return data


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
