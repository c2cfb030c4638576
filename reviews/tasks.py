"""Background work on the task queue (django-tasks; the database backend in production, so
`manage.py db_worker` processes on any machine share it): notification emails and the daily
re-review reminders. Arguments are plain JSON (ids, strings)."""

from __future__ import annotations

import logging
from datetime import date

from django.core.mail import send_mass_mail
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_emails(messages: list[list]) -> int:
    """Send [subject, body, [address]] messages; a mail-server error fails the task (its
    result, kept by the queue, says why) and never reaches the request that queued it."""
    try:
        return send_mass_mail(
            [(subject, body, None, list(to)) for subject, body, to in messages],
            fail_silently=False,
        )
    except Exception:
        logger.exception("could not send %d email(s)", len(messages))
        raise


@task()
def send_reminders(day: str = "") -> int:
    """The daily job: email each owner their risks whose re-review date is today or a week
    from today (`reviews.reminders`). `day` (ISO date) defaults to today."""
    from .reminders import send_due_reminders

    return send_due_reminders(date.fromisoformat(day) if day else None)
