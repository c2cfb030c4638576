"""A team's review templates: pre-filled answers and weights to start a review from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from patterns.models import Catalog

from .teams import Team


class ReviewTemplate(models.Model):
    """A team's pre-filled answers (and criterion weights) for one catalog version, to start a
    review from. `answers` is `{question key: {"choice": key or "", "note": text}}`, taken
    from a review by `services.templates.template_create`."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="review_templates"
    )
    name = models.CharField(_("name"), max_length=200)
    catalog = models.ForeignKey(
        Catalog, verbose_name=_("catalog version"), on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    weights = models.JSONField(_("criterion weights"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("review template")
        verbose_name_plural = _("review templates")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="review_template_team_name")
        ]

    def __str__(self) -> str:
        return self.name
