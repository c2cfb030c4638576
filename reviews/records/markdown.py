"""The record in Markdown, MADR style: templates/reviews/record.md, ready to commit next to code.

Front matter; Context and Problem Statement, Decision Drivers, Considered Options, Decision
Outcome with Consequences and Confirmation, Pros and Cons of the Options; then More
Information (the rest of the record). The template renders with autoescape off and escapes
every text from users or the catalog through the `md_*` filters of `record_tags`.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from .content import RecordContent


def record_markdown(
    content: RecordContent, *, sha256: str | None = None, verify_url: str = ""
) -> str:
    """The record in Markdown, in the record's language."""
    context = {
        "content": content,
        "review": content.review,
        "catalog": content.catalog,
        "decision": content.decision,
        "sha256": sha256,
        "verify_url": verify_url,
    }
    with translation.override(content.language):
        text = render_to_string("reviews/record.md", context)
    return text.rstrip() + "\n"
