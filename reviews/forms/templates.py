"""The form of saving a review as a team template."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models import ReviewTemplate
from .helpers import submit_helper


class TemplateCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Template name"),
        max_length=ReviewTemplate._meta.get_field("name").max_length,
        help_text=_("The team's reviewers can start a new review from these answers."),
    )

    def __init__(self, *args, review_pk: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(
            reverse("reviews:template_create", args=[review_pk]),
            _("Save as a template"),
            css="btn-outline-secondary",
        )
