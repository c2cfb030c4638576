"""Queue (or run) the daily re-review reminders; meant for a daily timer (README)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reviews.reminders import reminders_for, send_due_reminders
from reviews.tasks import send_reminders


class Command(BaseCommand):
    help = (
        "Queue the daily job that emails each owner their risks due for re-review (today, or "
        "a week from today). --now runs it here instead of on a worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="day", default="", help="the day (YYYY-MM-DD)")
        parser.add_argument("--now", action="store_true", help="send here, not on a worker")

    def handle(self, *args, day: str, now: bool, **options):
        try:
            when = date.fromisoformat(day) if day else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date: {exc}", returncode=2) from exc
        if now:
            self.stdout.write(f"sent {send_due_reminders(when)} reminder email(s)")
            return
        result = send_reminders.enqueue(when.isoformat())
        count = reminders_for(when).count()
        self.stdout.write(f"queued task {result.id} for {when} ({count} risk(s) to remind of)")
