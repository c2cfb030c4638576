"""Two people answering one review at the same moment, on real parallel connections.

SQLite serialises writers on one file (and the in-memory test database shares one cache), so
this runs on PostgreSQL, which `.ci/run` always tests; the sequential last-write-wins rules
are covered for both databases in test_wizard.py.
"""

import threading

import pytest
from django.db import connection, connections

from reviews.models import Answer
from reviews.services.answers import review_answer_save
from tests.factories import MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs parallel writers (PostgreSQL run)"
    ),
]

QUESTIONS = {
    "partner_count": ["one", "few", "many", "open"],
    "confidentiality": ["low", "medium", "high"],
    "cost_priority": ["low", "medium", "high"],
}


def test_parallel_answers_lose_nothing_and_the_last_write_wins(review, team, alice):
    erin = UserFactory(username="erin")
    MembershipFactory(team=team, user=erin, role="reviewer")
    barrier = threading.Barrier(2)
    errors = []

    def answer_all(user, offset):
        try:
            barrier.wait(timeout=10)
            for round_ in range(10):
                for question, choices in QUESTIONS.items():
                    choice = choices[(round_ + offset) % len(choices)]
                    review_answer_save(review=review, user=user, question=question, choice=choice)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=answer_all, args=(alice, 0)),
        threading.Thread(target=answer_all, args=(erin, 1)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    answers = {a.question: a for a in Answer.objects.filter(review=review)}
    assert set(answers) == set(QUESTIONS)  # one row per question, none lost or doubled
    for answer in answers.values():
        assert answer.answered_by in (alice, erin)


def test_two_approvers_signing_at_once_both_stay_in_the_pdf(review, alice, carol, dave):
    """Each signature is computed outside the row lock from the PDF as read; the one stored
    second is computed again from the PDF with the first, so neither is lost."""
    from reviews.models import DecisionRecord
    from reviews.services import signoff
    from reviews.signing.check import check_pdf
    from tests.reviews.lifecycle_helpers import PASSWORD, fake_pdf, ready

    original = signoff.record_pdf
    signoff.record_pdf = fake_pdf
    try:
        ready(review, alice, [carol, dave])
    finally:
        signoff.record_pdf = original
    barrier = threading.Barrier(2)
    errors = []

    def sign_now(user):
        try:
            barrier.wait(timeout=10)
            signoff.review_sign(
                review=review, user=user, password=PASSWORD, comment="OK", notify=False
            )
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_now, args=(user,)) for user in (carol, dave)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    check = check_pdf(bytes(DecisionRecord.objects.get(review=review).pdf))
    assert check.genuine and check.closed
    assert {s.signer for s in check.approvals} == {"Carol Chiba", "Dave Doi"}
