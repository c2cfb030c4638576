"""The record in Markdown, MADR style: templates/reviews/record.md, ready to commit next to code.

Front matter; Context and Problem Statement, Decision Drivers, Considered Options, Decision
Outcome with Consequences and Confirmation, Pros and Cons of the Options; then More
Information (the rest of the record). The template renders with autoescape off and escapes
every text from users or the catalog through the `md_*` filters of `record_tags`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils import translation

from .content import RecordContent, SignoffRow


def record_markdown(
    content: RecordContent,
    *,
    sha256: str | None = None,
    verify_url: str = "",
    status: str | None = None,
    signoffs: Sequence[SignoffRow] | None = None,
) -> str:
    """The record in Markdown, in the record's language.

    A frozen record (`sha256`) is the content as sign-off was requested; the export of an
    approved one passes the review's `status` and its `signoffs` as signed (who, when, what
    they said), which the front matter and the Sign-offs section show.
    """
    rows = tuple(signoffs) if signoffs is not None else content.signoffs
    signed = [s.name for s in rows if s.state == "signed"]
    context = {
        "status": status or content.review.status,
        "signoffs": rows,
        "decision_makers": signed or [s.name for s in rows],
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
