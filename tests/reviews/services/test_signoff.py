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


# --- approvals bound to the content ----------------------------------------------------------


def open_request(review):
    from reviews.models import SignoffRequest

    return SignoffRequest.objects.get(review=review, state="pending")


def test_requesting_freezes_the_record_the_approvers_sign(review, alice, carol, dave):
    import hashlib
    import json

    ready(review, alice, [dave, carol])  # the order of the route: dave first, carol last
    request = open_request(review)
    assert hashlib.sha256(request.canonical_json.encode()).hexdigest() == request.sha256
    assert json.loads(request.canonical_json)["decision"]["pattern"] == "inter_org_access"
    assert request.approver_ids == [dave.pk, carol.pk] and request.number == 1
    assert [s.approver for s in Signature.objects.filter(review=review)] == [dave, carol]
    assert [s.order for s in Signature.objects.filter(review=review)] == [1, 2]
    assert bytes(request.pdf).startswith(b"%PDF")
    assert hashlib.sha256(bytes(request.pdf)).hexdigest() == request.pdf_sha256


def test_a_signature_for_another_record_is_refused(review, alice, carol):
    ready(review, alice, [carol])
    with pytest.raises(ValidationError, match="changed since you opened it"):
        signoff.review_sign(
            review=review, user=carol, password=PASSWORD, comment="OK", sha256="0" * 64
        )
    assert Signature.objects.get(approver=carol).state == "pending"


def test_any_change_voids_every_signature_given(review, alice, carol, dave):
    ready(review, alice, [carol, dave])
    first = open_request(review)
    sign(review, carol)
    signoff.review_withdraw(review=review, user=alice, reason="Add a risk", notify=False)
    first.refresh_from_db()
    assert first.state == "withdrawn" and first.reason == "Add a risk"
    assert not Signature.objects.filter(review=review).exists()  # carol's signature is void
    decisions.risk_add(review=review, user=alice, description="New", owner_name="IT")
    signoff.review_request_signoff(review=review, user=alice, approvers=[carol, dave])
    second = open_request(review)
    assert second.number == 2 and second.sha256 != first.sha256
    assert set(Signature.objects.values_list("state", flat=True)) == {"pending"}
    with pytest.raises(ValidationError, match="changed since you opened it"):
        signoff.review_sign(
            review=review, user=carol, password=PASSWORD, comment="OK", sha256=first.sha256
        )
    signoff.review_sign(
        review=review, user=carol, password=PASSWORD, comment="OK", sha256=second.sha256
    )
    assert Signature.objects.get(approver=carol).state == "signed"


def test_sending_back_closes_the_request_with_its_reason(review, alice, carol):
    ready(review, alice, [carol])
    signoff.review_send_back(review=review, user=carol, reason="Costs?", notify=False)
    from reviews.models import SignoffRequest

    request = SignoffRequest.objects.get(review=review)
    assert request.state == "sent_back" and request.reason == "Costs?"
    assert request.closed_by == carol and request.closed_at


def test_the_last_signature_stores_the_signed_pdf_as_the_record(review, alice, carol, dave):
    from reviews.signing.check import check_pdf

    ready(review, alice, [carol, dave])
    sign(review, carol)
    sign(review, dave)
    record = DecisionRecord.objects.get(review=review)
    request = record.request
    assert request.state == "approved" and record.sha256 == request.sha256
    assert bytes(record.pdf) == bytes(request.pdf)
    check = check_pdf(bytes(record.pdf))
    assert check.genuine and check.closed
    assert [s.field for s in check.approvals] == ["approver-1", "approver-2"]


def test_someone_signing_meanwhile_is_signed_over_not_lost(review, alice, carol, dave, monkeypatch):
    """Dave's signature was computed from the PDF before Carol's was stored: it is computed
    again from the PDF with hers, so both stay."""
    from reviews.signing.check import check_pdf

    ready(review, alice, [carol, dave])
    real = signoff._prepare
    calls = []

    def carol_signs_first(current, user, comment, sha256):
        prepared = real(current, user, comment, sha256)
        if not calls:
            calls.append(1)
            sign(review, carol)  # stored while dave's was being computed
        return prepared

    monkeypatch.setattr(signoff, "_prepare", carol_signs_first)
    sign(review, dave)
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    check = check_pdf(bytes(DecisionRecord.objects.get(review=review).pdf))
    assert check.genuine and {s.signer for s in check.approvals} == {"Carol Chiba", "Dave Doi"}


def test_an_approver_gets_a_certificate_at_their_first_sign_off_and_keeps_it(
    review, alice, carol, catalog, team
):
    from reviews.models import SignerCertificate
    from tests.factories import ReviewFactory

    assert not SignerCertificate.objects.filter(user=carol).exists()
    ready(review, alice, [carol])
    sign(review, carol)
    certificate = SignerCertificate.objects.get(user=carol)
    assert "BEGIN ENCRYPTED PRIVATE KEY" in certificate.key_pem  # never in clear
    other = ReviewFactory(team=team, owner=alice, catalog=catalog)
    ready(other, alice, [carol])
    sign(other, carol)
    assert SignerCertificate.objects.filter(user=carol).count() == 1


def test_the_password_is_checked_in_one_function(review, alice, carol, monkeypatch):
    """One small function to wrap (throttling): review_sign goes through it."""
    ready(review, alice, [carol])
    seen = []
    real = signoff.check_signoff_password
    monkeypatch.setattr(
        signoff, "check_signoff_password", lambda user, pw: seen.append(user) or real(user, pw)
    )
    with pytest.raises(ValidationError, match="not your password"):
        signoff.review_sign(review=review, user=carol, password="nope", comment="OK")
    assert seen == [carol]


def test_the_route_names_each_approver_once(review, alice, carol):
    answer(review, alice)
    decide(review, alice)
    with pytest.raises(ValidationError, match="once"):
        signoff.review_request_signoff(review=review, user=alice, approvers=[carol, carol])
