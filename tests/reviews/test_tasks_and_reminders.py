"""Background work: notification emails go through the task queue after the commit; the daily
reminder job emails each owner their risks due for re-review; the dashboard lists them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reviews import reminders, tasks
from reviews.notifications import notify
from tests.reviews.lifecycle_helpers import approved

TODAY = timezone.localdate()
RISKS = [  # (description, owner, days from today)
    ("Partner leaves", "carol", 0),
    ("Cost grows", "", 7),
    ("Later", "carol", 30),
    ("Overdue", "carol", -3),
]


@pytest.fixture
def approved_review(review, alice, carol, monkeypatch):
    """Approved, with the RISKS register (owner "" is the name "Finance", no account)."""
    from reviews.services import decisions, signoff
    from tests.reviews.lifecycle_helpers import answer, decide, fake_pdf

    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)
    alice.email, carol.email = "alice@example.com", "carol@example.com"
    alice.save()
    carol.save()
    answer(review, alice)
    decide(review, alice)
    for description, owner, days in RISKS:
        decisions.risk_add(
            review=review,
            user=alice,
            description=description,
            owner_user=carol if owner else None,
            owner_name="" if owner else "Finance",
            review_on=TODAY + timedelta(days=days),
        )
    return approved(review, alice, [carol])


@pytest.mark.django_db
def test_notify_queues_the_emails_only_after_the_commit(
    review, alice, django_capture_on_commit_callbacks, monkeypatch
):
    alice.email = "alice@example.com"
    queued = []

    class Recorder:
        def enqueue(self, messages):
            queued.append(messages)

    monkeypatch.setattr(tasks, "send_emails", Recorder())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(review, [alice], "sent_back", {"title": "T", "who": "W", "reason": "R", "url": "u"})
    assert queued == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(queued) == 1
    subject, body, to = queued[0][0]
    assert to == ["alice@example.com"] and subject.startswith("[Hakari] ")


@pytest.mark.django_db
def test_a_queue_or_mail_failure_never_reaches_the_request(
    review, alice, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    alice.email = "alice@example.com"

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("django.core.mail.send_mass_mail", broken)
    monkeypatch.setattr(tasks, "send_mass_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        notify(review, [alice], "sent_back", {"title": "T", "who": "W", "reason": "R", "url": "u"})
    assert mail.outbox == []
    assert "could not send" in caplog.text


def test_the_tasks_use_the_database_backend_outside_tests():
    from config.settings import base

    assert base.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


@pytest.mark.django_db
def test_the_daily_job_emails_each_owner_their_due_risks(approved_review):
    mail.outbox.clear()
    call_command("send_reminders")  # queued: the immediate backend runs it at once in tests
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"carol@example.com", "alice@example.com"}
    assert "Partner leaves" in by_to["carol@example.com"].body
    assert "Later" not in by_to["carol@example.com"].body
    assert "Overdue" not in by_to["carol@example.com"].body  # reminded on its day already
    assert "Cost grows" in by_to["alice@example.com"].body  # a name-only owner: the review's
    assert f"/reviews/{approved_review.pk}/decision/" in by_to["alice@example.com"].body
    assert by_to["carol@example.com"].subject.startswith("[Hakari] ")


@pytest.mark.django_db
def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call_command("send_reminders", "--date", "tomorrow")
    assert error.value.returncode == 2


@pytest.mark.django_db
def test_due_risks_lists_overdue_and_soon_due_only_for_their_owner(approved_review, carol, bob):
    assert [r.description for r in reminders.due_risks(carol)] == ["Overdue", "Partner leaves"]
    assert reminders.due_risks(bob) == []


@pytest.mark.django_db(transaction=True)
def test_on_the_database_backend_a_worker_sends_what_a_request_queued(review, alice, settings):
    """The production set-up: the request only writes the task row; `db_worker` sends it."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # resets
    alice.email = "alice@example.com"
    notify(review, [alice], "sent_back", {"title": "T", "who": "W", "reason": "R", "url": "u"})
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_dashboard_lists_the_due_risks_with_their_review(client, approved_review, carol):
    client.force_login(carol)
    html = client.get(reverse("home")).content.decode()
    due = html.split('id="re-review-due"')[1].split("</section>")[0]
    link = reverse("reviews:decision", args=[approved_review.pk])
    assert due.count(f'<a href="{link}">{approved_review.title}</a>') == 2
    assert "Overdue" in due and "Partner leaves" in due
    overdue = (TODAY - timedelta(days=3)).isoformat()
    assert f'<time datetime="{overdue}">{overdue}</time>' in due
