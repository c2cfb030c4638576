"""Rendered HTML kept in the fragment cache (`caches["fragments"]`, bounded, per process).

The live recommendation of the wizard (the panel and the phone's summary bar, sent out of band
after an htmx save) depends only on the catalog version, the language and the answer set with
the review's stated weights: nothing per user or per review. It is rendered once per such
key, for published (immutable) catalog versions only; a draft version is rendered every time.
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .models import Answer, Review
from .selectors import current_lang, engine_answers, review_recommendation

OOB_PANEL = '<div id="recommendation" hx-swap-oob="true">{}</div>\n{}'


def recommendation_key(review: Review, answers: dict[str, Answer]) -> str | None:
    """What the wizard's recommendation depends on, as a cache key; None for a draft catalog
    (editable: its version does not name its content)."""
    catalog = review.catalog
    if not catalog.is_published or catalog.published_at is None:
        return None
    inputs = [sorted(engine_answers(answers).items()), sorted((review.weights or {}).items())]
    digest = hashlib.sha256(json.dumps(inputs).encode()).hexdigest()[:32]
    published = catalog.published_at.isoformat()
    return f"rec:{catalog.pk}:{catalog.version}:{published}:{get_language()}:{digest}"


def recommendation_oob(review: Review, answers: dict[str, Answer]) -> SafeString:
    """The recommendation panel and the phone's bar, both out of band (htmx), for `answers`
    and the review's weights, in the active language (without the sensitivity, which the
    wizard does not show)."""
    key = recommendation_key(review, answers)
    cache = caches["fragments"]
    html = cache.get(key) if key else None
    if html is None:
        recommendation = review_recommendation(
            review, answers, current_lang(), with_sensitivity=False
        )
        context = {"recommendation": recommendation, "answered_any": bool(engine_answers(answers))}
        html = format_html(
            OOB_PANEL,
            render_to_string("reviews/_recommendation.html", context),
            render_to_string("reviews/_rec_bar.html", {**context, "oob": True}),
        )
        if key:
            cache.set(key, html)
    return html
