"""The dashboard's rows, built with `format_html` in one pass: 20 rows through the template
engine cost several milliseconds (a URL, translations and lookups per cell); this is a tenth
of that. The markup is the same as a template would give, every value escaped."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

ROW = (
    '<tr data-review="{}"><td class="review-title"><a href="{}">{}</a></td>'
    '<td class="text-nowrap" data-label="{}">{}</td>'
    '<td data-label="{}"><span class="badge status-badge status-{}">{}</span></td>'
    '<td class="text-nowrap" data-label="{}">{}</td>'
    '<td data-label="{}">{}</td>'
    '<td class="text-nowrap" data-label="{}"><time datetime="{}">{}</time></td></tr>\n'
)


@register.simple_tag
def review_rows(reviews) -> SafeString:
    """The `<tr>`s of the dashboard's table for `reviews` (with team, owner and catalog)."""
    labels = [_("Team"), _("Status"), _("Catalog version"), _("Created by"), _("Created")]
    detail = reverse("reviews:detail", args=[0]).replace("/0/", "/{}/")
    short = formats.get_format("SHORT_DATETIME_FORMAT")  # 2026/12/01 in Japanese
    rows = []
    for review in reviews:
        created = timezone.localtime(review.created_at)
        owner = review.owner.get_full_name() or review.owner.get_username()
        rows.append(
            (review.pk, detail.format(review.pk), review.title,
             labels[0], review.team.name,
             labels[1], review.status, review.get_status_display(),
             labels[2], review.catalog.version,
             labels[3], owner,
             labels[4], created.isoformat(), formats.date_format(created, short))
        )  # fmt: skip
    return format_html_join("", ROW, rows) if rows else format_html("")
