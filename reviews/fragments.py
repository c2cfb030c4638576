"""The wizard's live recommendation sent out of band after an htmx save.

The panel and the phone's summary bar depend only on the catalog version, the language and
the answer set with the review's stated weights: nothing per user or per review. Their
templates keep them in the fragment cache (`caches["fragments"]`, bounded, per process) under
`selectors.recommendation_key`, for published (immutable) catalog versions only; on a hit the
answers are not even ranked. A draft catalog version is ranked and rendered every time.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .models import Answer, Review
from .selectors import engine_answers, lazy_recommendation

OOB_PANEL = '<div id="recommendation" hx-swap-oob="true">{}</div>\n{}'


def recommendation_oob(review: Review, answers: dict[str, Answer]) -> SafeString:
    """The recommendation panel and the phone's bar, both out of band (htmx), for `answers`
    and the review's weights, in the active language (without the sensitivity, which the
    wizard does not show)."""
    context = {
        **lazy_recommendation(review, answers, with_sensitivity=False),
        "answered_any": bool(engine_answers(answers)),
    }
    return format_html(
        OOB_PANEL,
        render_to_string("reviews/_recommendation.html", context),
        render_to_string("reviews/_rec_bar.html", {**context, "oob": True}),
    )
