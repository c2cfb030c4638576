"""Sign-off (reviews/services/signoff.py): requesting it, signing, sending back, withdrawing,
and the trail and the emails of each.

The PDF renderer is replaced by a fast fake (conftest.py; records/test_pdf.py renders real
PDFs).
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from patterns.kinds.kintone.scenarios import S1
from reviews.models import DecisionRecord, Review, ReviewEvent, ReviewStateError, Signature
from reviews.services import decisions, signoff
from reviews.services.answers import review_answer_save
from tests.reviews.lifecycle_helpers import PASSWORD, actions, answer, decide, ready, sign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# --- requesting sign-off ------------------------------------------------------------------


def test_requesting_sign_off_locks_the_review_and_emails_the_approvers(
    review, alice, carol, dave, mail
):
    answer(review, alice)
    decide(review, alice)
    with mail():
        signoff.review_request_signoff(
            review=review, user=alice, approvers=[carol, dave], message="Please by Friday."
        )
    review.refresh_from_db()
    assert review.status == Review.Status.IN_REVIEW
    assert set(Signature.objects.values_list("approver__username", "state")) == {
        ("carol", "pending"),
        ("dave", "pending"),
    }
    assert actions(review) == [("request_signoff", "draft", "in_review")]
    event = ReviewEvent.objects.get(review=review)
    assert event.actor == alice and "Carol Chiba" in event.comment and "Friday" in event.comment
    assert sorted(m.to[0] for m in mail.outbox) == ["carol@example.com", "dave@example.com"]
    assert reverse("reviews:sign", args=[review.pk]) in mail.outbox[0].body
    # answers, decision and risks are locked from now on
    with pytest.raises(ReviewStateError):
        review_answer_save(review=review, user=alice, question="partner_count", choice="one")
    with pytest.raises(ReviewStateError):
        decide(review, alice)
    with pytest.raises(ReviewStateError):
        decisions.risk_add(review=review, user=alice, description="x", owner_name="y")


def test_sign_off_needs_a_decision_and_the_teams_approvers(review, alice, bob, carol, charlie):
    answer(review, alice)
    with pytest.raises(ValidationError, match="decision"):
        signoff.review_request_signoff(review=review, user=alice, approvers=[carol])
    decide(review, alice)
    for approvers in ([], [bob], [carol, charlie]):
        with pytest.raises(ValidationError) as info:
            signoff.review_request_signoff(review=review, user=alice, approvers=approvers)
        assert "approvers" in info.value.message_dict
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT and not Signature.objects.exists()


def test_the_justification_is_checked_again_when_sign_off_is_requested(review, alice, carol):
    answer(review, alice, S1)
    decide(review, alice, pattern="guest_space")  # recommended now, no justification
    answer(review, alice, {"internal_app_linkage": "required"})  # now guest_space is excluded
    with pytest.raises(ValidationError) as info:
        signoff.review_request_signoff(review=review, user=alice, approvers=[carol])
    assert "excluded" in info.value.message_dict["justification"][0]


@pytest.mark.parametrize("who", ["bob", "carol", "staff"])
def test_only_reviewers_request_sign_off(request, review, alice, carol, who):
    answer(review, alice)
    decide(review, alice)
    with pytest.raises(PermissionDenied):
        signoff.review_request_signoff(
            review=review, user=request.getfixturevalue(who), approvers=[carol]
        )


# --- signing ------------------------------------------------------------------------------


def test_each_named_approver_signs_and_the_last_signature_approves(
    review, alice, carol, dave, mail
):
    ready(review, alice, [carol, dave])
    with mail():
        sign(review, carol, "Fine by me.")
    review.refresh_from_db()
    assert review.status == Review.Status.IN_REVIEW and not DecisionRecord.objects.exists()
    assert mail.outbox == []
    with mail():
        signed = sign(review, dave, "Approved.")
    assert signed.status == Review.Status.APPROVED
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    record = DecisionRecord.objects.get(review=review)
    assert bytes(record.pdf).startswith(b"%PDF") and len(record.sha256) == 64
    assert actions(review) == [
        ("request_signoff", "draft", "in_review"),
        ("sign", "in_review", "in_review"),
        ("sign", "in_review", "approved"),
    ]
    assert list(
        Signature.objects.order_by("approver__username").values_list("comment", flat=True)
    ) == ["Fine by me.", "Approved."]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.com",
        "carol@example.com",
        "dave@example.com",
    ]
    assert record.sha256 in mail.outbox[0].body


def test_signing_needs_the_password_and_a_comment(review, alice, carol):
    ready(review, alice, [carol])
    with pytest.raises(ValidationError) as info:
        signoff.review_sign(review=review, user=carol, password="wrong", comment="OK")
    assert "password" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        signoff.review_sign(review=review, user=carol, password=PASSWORD, comment="  ")
    assert "comment" in info.value.message_dict
    assert Signature.objects.get().state == Signature.State.PENDING
    review.refresh_from_db()
    assert review.status == Review.Status.IN_REVIEW


@pytest.mark.parametrize("who", ["alice", "bob", "dave", "staff"])
def test_only_named_approvers_sign(request, review, alice, carol, dave, who):
    ready(review, alice, [carol])  # dave is an approver of the team, but not named
    with pytest.raises(PermissionDenied):
        sign(review, request.getfixturevalue(who))
    with pytest.raises(PermissionDenied):
        signoff.review_send_back(review=review, user=request.getfixturevalue(who), reason="x")


def test_an_approver_signs_once(review, alice, carol, dave):
    ready(review, alice, [carol, dave])
    sign(review, carol)
    with pytest.raises(PermissionDenied):
        sign(review, carol)


def test_nobody_signs_a_draft(review, alice, carol):
    answer(review, alice)
    with pytest.raises(ReviewStateError):
        sign(review, carol)


# --- sending back -------------------------------------------------------------------------


def test_sending_back_clears_the_signatures_and_tells_the_reviewers(
    review, alice, carol, dave, mail
):
    ready(review, alice, [carol, dave])
    sign(review, carol)
    with pytest.raises(ValidationError):
        signoff.review_send_back(review=review, user=dave, reason=" ")
    with mail():
        signoff.review_send_back(review=review, user=dave, reason="Cost is missing.")
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT
    assert not Signature.objects.filter(review=review).exists()
    assert actions(review)[-1] == ("send_back", "in_review", "draft")
    assert ReviewEvent.objects.filter(review=review).last().comment == "Cost is missing."
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "carol@example.com"]
    # a draft again: answers can change, and sign-off can be requested again
    review_answer_save(review=review, user=alice, question="cost_priority", choice="high")
    signoff.review_request_signoff(review=review, user=alice, approvers=[dave])
    sign(review, dave)
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED


# --- withdrawing --------------------------------------------------------------------------


def test_a_reviewer_can_withdraw_a_sign_off_request(review, alice, bob, carol, dave, mail):
    ready(review, alice, [carol, dave])
    sign(review, carol)
    with pytest.raises(PermissionDenied):  # only the team's reviewers
        signoff.review_withdraw(review=review, user=bob, reason="x")
    with pytest.raises(PermissionDenied):
        signoff.review_withdraw(review=review, user=carol, reason="x")
    with pytest.raises(ValidationError):
        signoff.review_withdraw(review=review, user=alice, reason="  ")
    with mail():
        signoff.review_withdraw(review=review, user=alice, reason="Dave left the team.")
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT
    assert not Signature.objects.filter(review=review).exists()
    assert actions(review)[-1] == ("withdraw", "in_review", "draft")
    assert ReviewEvent.objects.filter(review=review).last().comment == "Dave left the team."
    assert sorted(m.to[0] for m in mail.outbox) == ["carol@example.com", "dave@example.com"]
    with pytest.raises(ReviewStateError):  # a draft has nothing to withdraw
        signoff.review_withdraw(review=review, user=alice, reason="again")
