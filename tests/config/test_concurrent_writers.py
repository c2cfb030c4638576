"""Many people writing at once, through the whole stack (middleware, sessions, views), on real
parallel connections, on both databases: SQLite holds 20 concurrent writers without a single
"database is locked" (WAL, busy timeout, BEGIN IMMEDIATE), and racing sign-offs never 500."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from reviews.models import Answer, Review, Signature, SignoffRequest
from reviews.services import signoff
from reviews.views import records as record_views
from tests.factories import MembershipFactory, UserFactory
from tests.reviews.lifecycle_helpers import answer, decide, fake_pdf

pytestmark = pytest.mark.django_db(transaction=True)

QUESTIONS = {
    "partner_count": ["one", "few", "many", "open"],
    "confidentiality": ["low", "medium", "high"],
    "cost_priority": ["low", "medium", "high"],
}


def _run_parallel(workers):
    """Start every worker at once (a barrier), collect their results and exceptions."""
    barrier = threading.Barrier(len(workers))
    results, errors = [], []

    def run(work):
        try:
            barrier.wait(timeout=30)
            results.extend(work())
        except Exception as exc:  # noqa: BLE001 - collected and asserted
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_the_database_is_configured_for_concurrent_writers():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert connection.settings_dict["OPTIONS"]["timeout"] >= 5


def test_twenty_reviewers_saving_at_once_get_no_error(review, team):
    users = []
    for n in range(20):
        user = UserFactory(username=f"writer{n}")
        MembershipFactory(team=team, user=user, role="reviewer")
        users.append(user)

    def saves(user, offset):
        client = Client()
        client.force_login(user)
        statuses = []
        for round_ in range(5):
            question = list(QUESTIONS)[(round_ + offset) % len(QUESTIONS)]
            choices = QUESTIONS[question]
            url = reverse("reviews:answer", args=[review.pk, question])
            choice = choices[(round_ + offset) % len(choices)]
            data = {question: choice, f"note-{question}": f"by {user}"}
            statuses.append(client.post(url, data, HTTP_HX_REQUEST="true").status_code)
        return statuses

    statuses, errors = _run_parallel([lambda u=u, i=i: saves(u, i) for i, u in enumerate(users)])
    assert errors == []
    assert len(statuses) == 100
    assert set(statuses) == {200}, sorted(set(statuses))
    assert Answer.objects.filter(review=review).count() == len(QUESTIONS)


def test_racing_sign_offs_never_500_and_approve_once(review, alice, carol, dave, monkeypatch):
    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)
    monkeypatch.setattr(record_views, "record_pdf", fake_pdf)
    answer(review, alice)
    decide(review, alice)
    signoff.review_request_signoff(review=review, user=alice, approvers=[carol, dave])
    for user in (carol, dave):
        user.set_password("right-horse-battery")
        user.save()

    sha256 = SignoffRequest.objects.get(review=review, state="pending").sha256

    def sign(user):
        client = Client()
        client.force_login(user)
        url = reverse("reviews:sign", args=[review.pk])
        data = {"comment": "fine", "password": "right-horse-battery", "sha256": sha256}
        return [client.post(url, data).status_code]

    # each approver signs from five tabs at once
    statuses, errors = _run_parallel([lambda u=u: sign(u) for u in [carol, dave] * 5])
    assert errors == []
    assert 500 not in statuses and len(statuses) == 10
    assert statuses.count(302) >= 2  # both signed (a late tab is told it is done)
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert Signature.objects.filter(review=review, state="signed").count() == 2
    assert review.events.filter(action="sign").count() == 2
