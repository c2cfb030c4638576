"""Re-review reminders: the risks of approved reviews whose re-review date has come.

`due_risks(user)` is the dashboard's "re-review due" list (overdue, or due within
DUE_HORIZON_DAYS); `send_due_reminders(day)` is the daily job (`reviews.tasks.send_reminders`,
queued by `manage.py send_reminders` from a timer): each owner gets one email listing their
risks due that day or REMIND_AHEAD_DAYS later. A risk's owner is its `owner_user`; a risk
owned by a name only reminds the review's owner.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any, NamedTuple

from django.core.mail import send_mass_mail
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Review, Risk
from .notifications import recipient_language, render_email, review_link

DUE_HORIZON_DAYS = 14
REMIND_AHEAD_DAYS = 7


def _owned_by(user: Any) -> Q:
    return Q(owner_user=user) | Q(owner_user__isnull=True, review__owner=user)


class DueRisk(NamedTuple):
    """A line of the "re-review due" list: plain values, no model instances."""

    pk: int
    review_id: int
    review_on: date
    description: str
    review_title: str


def due_risks(user: Any, today: date | None = None, limit: int = 20) -> list[DueRisk]:
    """The user's risks to re-review, soonest first (one query)."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    rows = (
        Risk.objects.filter(
            _owned_by(user),
            review__status=Review.Status.APPROVED,
            review_on__lte=today + timedelta(days=DUE_HORIZON_DAYS),
        )
        .order_by("review_on", "pk")
        .values_list("pk", "review_id", "review_on", "description", "review__title")[:limit]
    )
    return [DueRisk._make(row) for row in rows]


def reminders_for(day: date) -> QuerySet[Risk]:
    """The risks whose reminder goes out on `day`: due that day, or a week later."""
    return (
        Risk.objects.filter(
            review__status=Review.Status.APPROVED,
            review_on__in=[day, day + timedelta(days=REMIND_AHEAD_DAYS)],
        )
        .select_related("review", "review__owner", "owner_user")
        .order_by("review_on", "pk")
    )


def send_due_reminders(day: date | None = None) -> int:
    """Email each owner their risks from `reminders_for(day)`; returns the emails sent."""
    day = day or timezone.localdate()
    by_owner: dict[Any, list[Risk]] = defaultdict(list)
    for risk in reminders_for(day):
        owner = risk.owner_user or risk.review.owner
        if owner.is_active and owner.email:
            by_owner[owner].append(risk)
    messages = []
    for owner, risks in sorted(by_owner.items(), key=lambda pair: pair[0].pk):
        items = [
            {
                "review_on": risk.review_on.isoformat() if risk.review_on else "",
                "title": risk.review.title,
                "description": " ".join(risk.description.split())[:200],
                "url": review_link("reviews:decision", risk.review),
            }
            for risk in risks
        ]
        subject, body = render_email(
            "reminder", recipient_language(owner, risks[0].review), {"items": items}
        )
        messages.append((subject, body, None, [owner.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0
