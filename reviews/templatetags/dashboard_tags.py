"""The dashboard's rows, built in one pass of `str.format`: 20 rows through the template
engine cost several milliseconds (a URL, translations and lookups per cell), `format_html`
still ~3 ms (a lazy check per value); this is a fifth of that. The markup is the same as a
template would give, every value escaped."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from html import escape

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..dashboard import ReviewRow
from ..models import Review

register = template.Library()

ROW_LABELS = (
    gettext_noop("Team"), gettext_noop("Status"), gettext_noop("Catalog version"),
    gettext_noop("Created by"), gettext_noop("Created"),
)  # fmt: skip

ROW = (
    '<tr data-review="{}"><td class="review-title"><a href="{}">{}</a></td>'
    '<td class="text-nowrap" data-label="{}">{}</td>'
    '<td data-label="{}"><span class="badge status-badge status-{}">{}</span></td>'
    '<td class="text-nowrap" data-label="{}">{}</td>'
    '<td data-label="{}">{}</td>'
    '<td class="text-nowrap" data-label="{}"><time datetime="{}">{}</time></td></tr>\n'
)


# Django date format letters that have a strftime twin: the project's formats use only these
# (config/formats), and strftime is a tenth of `date_format` per row.
STRFTIME = {"Y": "%Y", "m": "%m", "d": "%d", "H": "%H", "i": "%M"}


def _date_formatter(django_format: str) -> Callable[[datetime], str]:
    if all(not c.isalpha() or c in STRFTIME for c in django_format):
        pattern = "".join(STRFTIME.get(c, c.replace("%", "%%")) for c in django_format)
        return lambda value: value.strftime(pattern)
    return lambda value: formats.date_format(value, django_format)


@register.simple_tag
def review_rows(reviews: Iterable[ReviewRow]) -> SafeString:
    """The `<tr>`s of the dashboard's table for `reviews`: `str.format` with each value put
    through `html.escape` (what Django's `escape` does, without its per-call lazy checks)."""
    labels = [escape(_(label)) for label in ROW_LABELS]
    statuses = {value: escape(str(label)) for value, label in Review.Status.choices}
    detail = reverse("reviews:detail", args=[0]).replace("/0/", "/{}/")
    short = _date_formatter(formats.get_format("SHORT_DATETIME_FORMAT"))  # 2026/12/01 in ja
    html = []
    for review in reviews:
        created = timezone.localtime(review.created_at)
        status = escape(review.status)
        html.append(
            ROW.format(
                review.pk, escape(detail.format(review.pk)), escape(review.title),
                labels[0], escape(review.team_name),
                labels[1], status, statuses.get(review.status, status),
                labels[2], escape(review.catalog_version),
                labels[3], escape(review.owner_name),
                labels[4], created.isoformat(), escape(short(created)),
            )
        )  # fmt: skip
    return mark_safe("".join(html))  # noqa: S308 -- every value above is escaped
