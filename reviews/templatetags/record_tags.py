"""Filters for the decision record's templates (the PDF, the Markdown, the record panel).

The Markdown template (templates/reviews/record.md) renders with autoescape off; every text
from users or the catalog goes through `md_text`, `md_inline` or `md_block`, so it cannot
become markup, and every front-matter value through `yaml`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django import template
from django.utils.dateparse import parse_datetime

register = template.Library()

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


@register.filter
def when(value: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An ISO date-time string of the record's content, formatted (`{{ s.signed_at|when }}`)."""
    parsed = parse_datetime(value) if value else None
    return parsed.strftime(fmt) if parsed else ""


@register.filter
def label(mapping: Mapping[str, Any] | None, key: str) -> Any:
    """`{{ content.names|label:key }}`: the value of `key` in `mapping`, else the key."""
    if not mapping:
        return key or ""
    value = mapping.get(key, key)
    return "" if value is None else value


def _choices(kind: str) -> dict[str, str]:
    from patterns.models import Statement
    from reviews.models import Membership, Review, ReviewEvent

    choices = {
        "status": Review.Status.choices,
        "role": Membership.Role.choices,
        "action": ReviewEvent.Action.choices,
        "kind": Statement.Kind.choices,
    }[kind]
    return {str(key): str(name) for key, name in choices}  # in the active language


@register.filter
def choice_label(key: str | None, kind: str) -> str:
    """`{{ event.to_status|choice_label:"status" }}`: the display name of a key the record
    stores (kind: status, role, action or kind of statement); an unknown key shows as is."""
    if not key:
        return ""
    return _choices(kind).get(key, key)


@register.filter
def md_text(value: str | None) -> str:
    """User or catalog text made inert in Markdown: every character that could start markup
    (HTML, links, images, emphasis, tables) is backslash-escaped; lines are kept."""
    if not value:
        return ""
    escaped = _MD_SPECIAL.sub(r"\\\1", value.replace("\r\n", "\n"))
    escaped = re.sub(r"^(\s*)([-=]{3,})", r"\1\\\2", escaped, flags=re.MULTILINE)
    return re.sub(r"^(\s*\d+)\.", r"\1\\.", escaped, flags=re.MULTILINE)


@register.filter
def md_inline(value: str | None) -> str:
    """`md_text` on one line (for list items and table-free layouts)."""
    return " ".join(md_text(value).split())


@register.filter
def md_block(value: str | None, indent: str = "") -> str:
    """`md_text` over several lines, each line indented (`{{ row.note|md_block:"  " }}`)."""
    lines = md_text(value).split("\n")
    return "\n".join(f"{indent}{line}".rstrip() for line in lines)


@register.filter
def md_names(keys: Iterable[str], names: Mapping[str, str]) -> str:
    """`{{ driver.excludes|md_names:content.names }}`: option names, `md_inline`, comma-joined."""
    return ", ".join(md_inline(names.get(key, key)) for key in keys)


@register.filter
def bullets(value: str | None) -> Iterator[str]:
    """The lines of a text written as a list (`- `, `* `, `・`), without their bullets."""
    for line in (value or "").splitlines():
        line = line.strip().lstrip("-*・").strip()
        if line:
            yield line


_YAML_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@register.filter
def yaml(value: object) -> str:
    """A YAML scalar: a JSON string (double-quoted, escaped; a JSON string is valid YAML) in
    which no markup character and no line break appears raw: `<`, `>`, `&` and the Unicode
    line separators are written as \\u escapes, so no HTML passes whatever renders it."""
    text = json.dumps(value, ensure_ascii=False)
    for char, escape in _YAML_ESCAPES.items():
        text = text.replace(char, escape)
    return text
