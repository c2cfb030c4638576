"""Rendered HTML of page parts kept in `caches["fragments"]` (bounded, per process).

A fragment is cached under a key that names everything its HTML depends on: the published
catalog version (`page_stamp`: a draft catalog is editable, so nothing of it is cached), the
language and time zone it is rendered in, the review, and the answers and permissions it shows
(`answers_stamp`). Fragments never hold a CSRF token or anything of the viewer not in the key.

The wizard's live recommendation (panel and phone bar) is cached by its own templates
(`{% cache %}` under `selectors.recommendation_key`); `recommendation_oob` sends both out of
band after an htmx save.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .catalog_view import catalog_stamp
from .models import Answer, Review
from .selectors import engine_answers, lazy_recommendation

OOB_PANEL = '<div id="recommendation" hx-swap-oob="true">{}</div>\n{}'


def page_stamp(review: Review) -> tuple[Any, ...] | None:
    """The catalog version, language and time zone of a page; None: do not cache (draft)."""
    stamp = catalog_stamp(review.catalog)
    if stamp is None:
        return None
    return (stamp, translation.get_language(), timezone.get_current_timezone_name())


def _answer_stamp(answer: Answer | None) -> tuple[Any, ...] | None:
    if answer is None:
        return None
    who = answer.answered_by
    return (
        answer.pk,
        answer.choice,
        answer.not_applicable,
        answer.note,
        answer.version,
        answer.answered_at,
        who.pk,
        who.get_full_name(),
        who.get_username(),
    )


def answers_stamp(answers: dict[str, Answer], keys: Iterable[str]) -> tuple[Any, ...]:
    """What a fragment shows of the answers to `keys`: choice, note, when and by whom."""
    return tuple(_answer_stamp(answers.get(key)) for key in keys)


def cached_html(key: tuple[Any, ...] | None, render: Callable[[], SafeString]) -> SafeString:
    """`render()`'s HTML (already escaped: a rendered template), from the cache when `key`
    was rendered before; key None: uncached."""
    if key is None:
        return render()
    label = key[0] if key and isinstance(key[0], str) else "html"  # "step-nav:…": readable
    name = f"{label}:" + hashlib.sha256(repr(key).encode()).hexdigest()
    cache = caches["fragments"]
    html = cache.get(name)
    if not isinstance(html, SafeString):
        html = render()
        cache.set(name, html)
    return html


def cached_template(
    key: tuple[Any, ...] | None, template: str, context: Callable[[], dict[str, Any]]
) -> SafeString:
    """`template` rendered with `context()` (no request: no context processors, no CSRF
    token), cached under `key` (None: uncached)."""
    return cached_html(key, lambda: render_to_string(template, context()))


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
