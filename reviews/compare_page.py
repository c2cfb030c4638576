"""The comparison page's context. Its body (the chooser, the summary, the chart and the grid)
is most of the page's cost and depends only on the catalog version, the language, the review,
the chosen options and the ranking: for a published (immutable) catalog version it is rendered
once per such state and kept in `caches["fragments"]`. The cost section, with its form and
CSRF token, is rendered on every request."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import caches
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from patterns.compare import Selection
from patterns.explanation import Explanation
from patterns.kinds.base import CostInputsForm

from .comparison import comparison_body, comparison_selection, review_cost_context
from .models import Review
from .selectors import review_answers, review_recommendation

BODY_TEMPLATE = "reviews/compare.html#compare-body"


def compare_page_context(
    review: Review, user: Any, params: QueryDict, form: CostInputsForm | None = None
) -> dict[str, Any]:
    """What reviews/compare.html shows: `compare_body` (HTML) and the cost section, with the
    inputs `form` when given (a refused save) else the stored inputs."""
    rec = review_recommendation(review, review_answers(review), with_sensitivity=False)
    selection = comparison_selection(review, rec, params)
    return {
        "review": review,
        "recommendation": rec,
        "selection": selection,
        "compare_body": _compare_body(review, rec, selection),
        **review_cost_context(review, user, selection, form=form, answers=rec.result.answers),
    }


def body_cache_key(review: Review, rec: Explanation, selection: Selection) -> str | None:
    """The fragment cache key of the page's body: everything it shows is a function of these
    (the ranking `rec` holds the answers' effects, exclusions, ranks and scores); None for a
    draft catalog version, which is still editable."""
    catalog = review.catalog
    if not catalog.is_published:
        return None
    state = (
        catalog.pk,
        catalog.version,
        str(catalog.published_at),
        get_language(),
        review.pk,
        review.weights,
        selection.keys,
        selection.order,
        [str(problem) for problem in selection.problems],
        rec,
    )
    return "compare-body:" + hashlib.sha256(repr(state).encode()).hexdigest()


def _compare_body(review: Review, rec: Explanation, selection: Selection) -> SafeString:
    key = body_cache_key(review, rec, selection)
    cache = caches["fragments"]
    cached = cache.get(key) if key else None
    if isinstance(cached, SafeString):  # pickled as rendered: the template's escaped output
        return cached
    # rendered without the request: no context processor, nothing of the viewer gets in
    body = render_to_string(BODY_TEMPLATE, comparison_body(review, rec, selection))
    if key:
        cache.set(key, body)
    return body
