"""Filters for the decision record's templates (the PDF, the record panel on review pages)."""

from django import template
from django.utils.dateparse import parse_datetime

register = template.Library()


@register.filter
def when(value: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An ISO date-time string of the record's content, formatted (`{{ s.signed_at|when }}`)."""
    parsed = parse_datetime(value) if value else None
    return parsed.strftime(fmt) if parsed else ""


@register.filter
def label(mapping: dict | None, key: str):
    """`{{ d.labels.status|label:event.to }}`: the display name of a stored key."""
    if not mapping:
        return key or ""
    value = mapping.get(key, key)
    return "" if value is None else value
