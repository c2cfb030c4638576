"""Emails about a review's lifecycle: subject and body from templates, one message each.

`templates/reviews/email/<kind>_subject.txt` and `<kind>_body.txt` render in the recipient's
language (`recipient_language`); the subject is folded to one line, so no text in it (a
review title with a line break) can break the message's headers. Messages are queued on the
task queue (`reviews.tasks.send_emails`) only after the caller's transaction commits, and a
mail-server problem fails that task, never the request: it must not undo a sign-off.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Review
from .records.content import review_lang

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Hakari] "


def recipient_language(user: Any, review: Review) -> str:
    """The language a recipient reads: their own choice when they made one (a profile's
    `language`), else the review's record language."""
    chosen = getattr(getattr(user, "profile", None), "language", "")
    return chosen if chosen in ("ja", "en") else review_lang(review)


def site_url(explicit: str = "") -> str:
    """The address links in emails and records start with (no trailing slash)."""
    return (explicit or getattr(settings, "SITE_URL", "")).rstrip("/")


def review_link(name: str, review: Review, *args: Any, base: str = "") -> str:
    return site_url(base) + reverse(name, args=[review.pk, *args])


def render_email(kind: str, lang: str, context: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of one email in `lang`; the subject on one line, with the prefix."""
    with translation.override(lang):
        subject = render_to_string(f"reviews/email/{kind}_subject.txt", context)
        body = render_to_string(f"reviews/email/{kind}_body.txt", context)
    return SUBJECT_PREFIX + " ".join(subject.split()), body


def notify(review: Review, recipients: Iterable[Any], kind: str, context: dict[str, Any]) -> None:
    """Email `kind` about `review` to each recipient with an address, after the commit."""
    by_language: dict[str, set[str]] = defaultdict(set)
    for user in recipients:
        if user.email:
            by_language[recipient_language(user, review)].add(user.email)
    messages = []
    for lang, emails in sorted(by_language.items()):
        subject, body = render_email(kind, lang, context)
        messages += [[subject, body, [email]] for email in sorted(emails)]
    if messages:
        transaction.on_commit(lambda: enqueue_emails(messages, about=f"review {review.pk}"))


def enqueue_emails(messages: list[list[Any]], *, about: str = "") -> None:
    """Queue [subject, body, [address]] messages for a worker; a queue that cannot be reached
    is logged, never raised (the change that caused the emails has already committed)."""
    from .tasks import send_emails

    try:
        send_emails.enqueue(messages)
    except Exception:
        logger.exception("could not queue %d email(s) about %s", len(messages), about)
