"""The review lifecycle (reviews/lifecycle.py): who may do what in each state, and the trail.

The PDF renderer is replaced by a fast fake here (records/test_pdf.py renders real PDFs).
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from patterns.kinds.kintone.scenarios import S1, S2
from reviews.models import (
    Answer,
    Decision,
    DecisionRecord,
    FrozenReviewError,
    Review,
    ReviewEvent,
    ReviewStateError,
    Risk,
    Signature,
)
from reviews.services import decisions, revisions, signoff
from reviews.services.answers import review_answer_save
from tests.reviews.lifecycle_helpers import PASSWORD, answer, approved, decide, ready, sign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def fast_pdf(monkeypatch):
    def fake(review, *, draft, content=None, sha256=None, verify_url=""):
        return b"%PDF-1.7\n% fake record " + (sha256 or "draft").encode()

    monkeypatch.setattr(signoff, "record_pdf", fake)


@pytest.fixture
def mail(mailoutbox, django_capture_on_commit_callbacks):
    """Emails are sent after the commit: run the on-commit callbacks of each action."""

    class Mail:
        outbox = mailoutbox

        def __call__(self):
            return django_capture_on_commit_callbacks(execute=True)

    return Mail()


def actions(review):
    return list(
        ReviewEvent.objects.filter(review=review).values_list("action", "from_status", "to_status")
    )


# --- the decision -------------------------------------------------------------------------


def test_it_prefills_the_consequences_from_the_catalog(review, alice):
    answer(review, alice)
    decision = decide(review, alice)
    assert decision.pattern == "inter_org_access"
    good, bad = decisions.decision_prefill(review, "inter_org_access")
    assert decision.consequences_good == good and decision.consequences_bad == bad
    assert "ルックアップ" in good  # the catalog's merits, in the review's language (ja)
    assert good.startswith("- ") and bad.startswith("- ")


def test_it_keeps_edited_consequences(review, alice):
    answer(review, alice)
    decision = decide(review, alice, consequences_good="Fewer tools.", consequences_bad="Licences.")
    assert (decision.consequences_good, decision.consequences_bad) == ("Fewer tools.", "Licences.")


def test_an_excluded_choice_needs_a_justification(review, alice):
    answer(review, alice)  # S2 excludes external_service (data_outside_kintone=not_allowed)
    with pytest.raises(ValidationError) as info:
        decide(review, alice, pattern="external_service")
    assert "justification" in info.value.message_dict
    assert "excluded" in info.value.message_dict["justification"][0]
    decision = decide(
        review, alice, pattern="external_service", justification="The board accepted the risk."
    )
    assert decision.pattern == "external_service"


def test_a_choice_other_than_the_recommendation_needs_a_justification(review, alice):
    answer(review, alice, S1)  # guest_space first; separate_domain is not excluded
    with pytest.raises(ValidationError) as info:
        decide(review, alice, pattern="separate_domain", justification="short")
    assert "not the recommended option" in info.value.message_dict["justification"][0]
    assert decide(review, alice, pattern="guest_space").pattern == "guest_space"
    decide(review, alice, pattern="separate_domain", justification="We need two environments.")
    assert Decision.objects.get(review=review).pattern == "separate_domain"


def test_an_unknown_pattern_is_refused(review, alice):
    answer(review, alice)
    with pytest.raises(ValidationError):
        decide(review, alice, pattern="carrier_pigeon", justification="x" * 20)


@pytest.mark.parametrize("who", ["bob", "carol", "staff"])
def test_only_the_teams_reviewers_decide(request, review, alice, who):
    answer(review, alice)
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        decide(review, user)
    with pytest.raises(PermissionDenied):
        decisions.risk_add(review=review, user=user, description="x", owner_name="y")


def test_risks_are_added_and_removed_by_reviewers(review, alice, bob, charlie):
    risk = decisions.risk_add(
        review=review, user=alice, description="Misconfiguration", owner_user=bob
    )
    assert risk.owner_display() == "Bob Baba"
    with pytest.raises(ValidationError):  # the owner must be a member of the team
        decisions.risk_add(review=review, user=alice, description="x", owner_user=charlie)
    decisions.risk_remove(review=review, user=alice, risk_id=risk.pk)
    assert not Risk.objects.exists()
    with pytest.raises(ValidationError):
        decisions.risk_remove(review=review, user=alice, risk_id=risk.pk)


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


def test_the_withdraw_page_takes_it_back_and_says_so(client, review, alice, carol):
    ready(review, alice, [carol])
    client.force_login(alice)
    detail = reverse("reviews:detail", args=[review.pk])
    assert "Withdraw the request" in client.get(detail).content.decode()
    url = reverse("reviews:withdraw", args=[review.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Say why you withdraw the request." in response.content.decode()
    review.refresh_from_db()
    assert review.status == Review.Status.IN_REVIEW
    response = client.post(url, {"reason": "Wrong approver named."})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT
    client.force_login(carol)
    assert client.post(url, {"reason": "x"}).status_code == 403


# --- revising -----------------------------------------------------------------------------


def test_revising_copies_into_a_linked_draft_and_supersedes_on_approval(
    review, alice, carol, dave, bob
):
    review_answer_save(
        review=review, user=alice, question="partner_count", choice="many", note="30 firms"
    )
    approved(review, alice, [carol])
    with pytest.raises(PermissionDenied):
        revisions.review_revise(review=review, user=bob)
    new = revisions.review_revise(review=review, user=alice)
    assert new.pk != review.pk and new.revision_of == review
    assert new.status == Review.Status.DRAFT
    assert revisions.review_revise(review=review, user=alice) == new  # one open revision
    copied = {a.question: (a.choice, a.note) for a in Answer.objects.filter(review=new)}
    assert copied["partner_count"] == ("many", "30 firms")
    assert set(copied) == set(S2)
    assert Decision.objects.get(review=new).pattern == "inter_org_access"
    assert actions(new) == [("revise", "", "draft")]
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED  # until the revision is approved

    review_answer_save(review=new, user=alice, question="confidentiality", choice="medium")
    signoff.review_request_signoff(review=new, user=alice, approvers=[dave])
    sign(new, dave)
    review.refresh_from_db()
    new.refresh_from_db()
    assert (review.status, new.status) == (Review.Status.SUPERSEDED, Review.Status.APPROVED)
    assert actions(review)[-1] == ("supersede", "approved", "superseded")
    assert DecisionRecord.objects.count() == 2
    with pytest.raises(FrozenReviewError):  # a superseded review is not revised again
        revisions.review_revise(review=review, user=alice)


def test_a_draft_is_not_revised(review, alice):
    with pytest.raises(ReviewStateError):
        revisions.review_revise(review=review, user=alice)


# --- notifications on the dashboard ------------------------------------------------------


def test_the_dashboard_lists_what_waits_for_your_sign_off(
    client, review, alice, carol, dave, django_assert_num_queries
):
    ready(review, alice, [carol, dave])
    sign(review, carol)
    client.force_login(dave)
    # 1 session, 2 user, 3 count for the paginator, 4 the page of reviews, 5 the user's roles,
    # 6 the reviews waiting for this approver's sign-off (+team, owner)
    with django_assert_num_queries(6):
        html = client.get(reverse("home")).content.decode()
    assert 'id="awaiting-signature"' in html
    assert reverse("reviews:sign", args=[review.pk]) in html
    client.force_login(carol)  # carol has signed already
    assert 'id="awaiting-signature"' not in client.get(reverse("home")).content.decode()
