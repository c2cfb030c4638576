"""Once approved, nothing of a review's record changes: through the services, the views, the
admin, the models' save()/delete(), their QuerySets' update()/delete()/bulk_create()/
bulk_update(), or the base managers. Each path is tried here. (The JSON API only reads
catalogs and scores answers: it has no way to write a review.)"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from reviews.models import (
    APPEND_ONLY_MESSAGE,
    FROZEN_MESSAGE,
    Answer,
    Decision,
    DecisionRecord,
    FrozenReviewError,
    Review,
    ReviewEvent,
    Risk,
    Signature,
)
from reviews.services import decisions, revisions, signoff
from reviews.services.answers import review_answer_save
from reviews.services.reviews import review_update
from tests.factories import ReviewFactory
from tests.reviews.lifecycle_helpers import answer, decide, fake_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_pdf(monkeypatch):
    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)


@pytest.fixture
def frozen(review, alice, carol):
    review_answer_save(
        review=review, user=alice, question="confidentiality", choice="high", note="secret"
    )
    answer(review, alice)
    decide(review, alice)
    decisions.risk_add(review=review, user=alice, description="Leak", owner_name="IT")
    signoff.review_request_signoff(review=review, user=alice, approvers=[carol])
    signoff.review_sign(review=review, user=carol, password="pw-for-tests", comment="OK")
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    return review


@pytest.fixture
def snapshot(frozen):
    """Everything of the frozen review's record, to compare after each attempt."""

    def take():
        return (
            list(Answer.objects.filter(review=frozen).values_list("question", "choice", "note")),
            list(Decision.objects.filter(review=frozen).values()),
            list(Risk.objects.filter(review=frozen).values()),
            list(Signature.objects.filter(review=frozen).values()),
            list(ReviewEvent.objects.filter(review=frozen).values()),
            list(DecisionRecord.objects.filter(review=frozen).values("sha256", "pdf_sha256")),
            Review.objects.filter(pk=frozen.pk).values("title", "context", "status").get(),
        )

    before = take()
    yield
    assert take() == before


GUARDED = [Answer, Decision, Risk, Signature]


# --- model save() and delete() -------------------------------------------------------------


@pytest.mark.parametrize("model", GUARDED)
def test_save_and_delete_refuse(frozen, snapshot, model):
    row = model.objects.filter(review=frozen).first()
    with pytest.raises(FrozenReviewError):
        row.save()
    with pytest.raises(FrozenReviewError):
        row.delete()


def test_new_rows_are_refused(frozen, snapshot, alice):
    with pytest.raises(FrozenReviewError):
        Answer.objects.create(
            review=frozen,
            question="paid_plugins",
            choice="none",
            answered_by=alice,
            answered_at=timezone.now(),
        )
    with pytest.raises(FrozenReviewError):
        Risk.objects.create(review=frozen, description="late", owner_name="x")
    with pytest.raises(FrozenReviewError):
        Signature.objects.create(
            review=frozen, approver=alice, requested_by=alice, requested_at=timezone.now()
        )


def test_rows_cannot_move_into_or_out_of_a_frozen_review(frozen, snapshot, catalog, alice):
    draft = ReviewFactory(team=frozen.team, owner=alice, catalog=catalog)
    row = Answer.objects.filter(review=frozen).first()
    row.review = draft  # out of the frozen review
    with pytest.raises(FrozenReviewError):
        row.save()
    other = Answer.objects.create(
        review=draft, question="paid_plugins", answered_by=alice, answered_at=timezone.now()
    )
    other.review = frozen  # into it
    with pytest.raises(FrozenReviewError):
        other.save()
    with pytest.raises(FrozenReviewError):
        Answer.objects.filter(pk=other.pk).update(review=frozen)


# --- QuerySet and manager bulk operations -------------------------------------------------


@pytest.mark.parametrize("model", GUARDED)
def test_queryset_update_and_delete_refuse(frozen, snapshot, model):
    rows = model.objects.filter(review=frozen)
    field = {Answer: "note", Decision: "justification", Risk: "mitigation", Signature: "comment"}
    with pytest.raises(FrozenReviewError):
        rows.update(**{field[model]: "changed"})
    with pytest.raises(FrozenReviewError):
        rows.delete()
    with pytest.raises(FrozenReviewError):  # the base manager is the guarded one too
        model._base_manager.filter(review=frozen).update(**{field[model]: "changed"})


@pytest.mark.parametrize("model", GUARDED)
def test_bulk_update_refuses(frozen, snapshot, model):
    rows = list(model.objects.filter(review=frozen))
    field = {Answer: "note", Decision: "justification", Risk: "mitigation", Signature: "comment"}
    for row in rows:
        setattr(row, field[model], "changed")
    with pytest.raises(FrozenReviewError):
        model.objects.bulk_update(rows, [field[model]])


def test_bulk_create_refuses(frozen, snapshot, alice):
    with pytest.raises(FrozenReviewError):
        Answer.objects.bulk_create(
            [
                Answer(
                    review=frozen,
                    question="paid_plugins",
                    answered_by=alice,
                    answered_at=timezone.now(),
                )
            ]
        )
    with pytest.raises(FrozenReviewError):
        Risk.objects.bulk_create([Risk(review=frozen, description="x", owner_name="y")])


def test_an_update_across_reviews_leaves_the_frozen_rows_alone(frozen, catalog, alice):
    draft = ReviewFactory(team=frozen.team, owner=alice, catalog=catalog)
    review_answer_save(review=draft, user=alice, question="confidentiality", choice="low")
    assert Answer.objects.filter(question="confidentiality").update(note="bulk") == 1
    assert Answer.objects.get(review=frozen, question="confidentiality").note == "secret"
    assert Answer.objects.get(review=draft, question="confidentiality").note == "bulk"


def test_the_messages_say_why(frozen, snapshot):
    with pytest.raises(FrozenReviewError) as info:
        Answer.objects.filter(review=frozen).update(note="x")
    assert str(info.value) == str(FROZEN_MESSAGE)
    with pytest.raises(FrozenReviewError) as info:
        ReviewEvent.objects.filter(review=frozen).update(comment="x")
    assert str(info.value) == str(APPEND_ONLY_MESSAGE)


def test_rows_move_between_reviews_one_by_one_only(frozen, snapshot, catalog, alice):
    draft = ReviewFactory(team=frozen.team, owner=alice, catalog=catalog)
    review_answer_save(review=draft, user=alice, question="partner_count", choice="one")
    with pytest.raises(FrozenReviewError):
        Answer.objects.filter(review=draft).update(review=F("review"))


def test_upserts_are_refused(review, alice):
    review_answer_save(review=review, user=alice, question="partner_count", choice="one")
    with pytest.raises(TypeError):
        Answer.objects.bulk_create(
            [
                Answer(
                    review=review,
                    question="partner_count",
                    choice="many",
                    answered_by=alice,
                    answered_at=timezone.now(),
                )
            ],
            update_conflicts=True,
            unique_fields=["review", "question"],
            update_fields=["choice"],
        )
    assert Answer.objects.get(review=review).choice == "one"


def test_the_audit_trail_refuses_bulk_updates(frozen, snapshot):
    events = list(ReviewEvent.objects.filter(review=frozen))
    for event in events:
        event.comment = "rewritten"
    with pytest.raises(FrozenReviewError):
        ReviewEvent.objects.bulk_update(events, ["comment"])


def test_a_draft_review_is_deleted_with_its_rows_and_events(review, alice, carol):
    answer(review, alice)
    decide(review, alice)
    decisions.risk_add(review=review, user=alice, description="Leak", owner_name="IT")
    signoff.review_request_signoff(review=review, user=alice, approvers=[carol])
    signoff.review_send_back(review=review, user=carol, reason="Not yet", notify=False)
    assert ReviewEvent.objects.filter(review=review).count() == 2
    pk = review.pk
    assert Answer.objects.filter(review_id=pk).exists() and Risk.objects.filter(review_id=pk)
    Review.objects.get(pk=pk).delete()
    for model in (*GUARDED, ReviewEvent):
        assert not model.objects.filter(review_id=pk).exists()
    assert not Review.objects.filter(pk=pk).exists()


def test_drafts_are_not_affected(review, alice):
    review_answer_save(review=review, user=alice, question="partner_count", choice="one")
    assert Answer.objects.filter(review=review).update(note="fine") == 1
    Answer.objects.filter(review=review).delete()
    assert not Answer.objects.filter(review=review).exists()


# --- the review row ---------------------------------------------------------------------------


def test_the_review_itself_refuses_change_and_deletion(frozen, snapshot):
    frozen.title = "Rewritten"
    with pytest.raises(FrozenReviewError):
        frozen.save()
    with pytest.raises(FrozenReviewError):
        frozen.delete()
    for change in ({"title": "Rewritten"}, {"status": "draft"}, {"weights": {"cost": 3}}):
        with pytest.raises(FrozenReviewError):
            Review.objects.filter(pk=frozen.pk).update(**change)
    with pytest.raises(FrozenReviewError):
        Review.objects.filter(pk=frozen.pk).delete()
    frozen.refresh_from_db()


def test_superseding_is_the_one_change_allowed(frozen):
    frozen.mark_superseded()
    frozen.refresh_from_db()
    assert frozen.status == Review.Status.SUPERSEDED
    with pytest.raises(FrozenReviewError):
        Review.objects.filter(pk=frozen.pk).update(status="approved")


# --- the audit trail and the record -----------------------------------------------------------


def test_the_audit_trail_is_append_only(frozen, snapshot):
    event = ReviewEvent.objects.filter(review=frozen).first()
    event.comment = "rewritten"
    with pytest.raises(FrozenReviewError):
        event.save()
    with pytest.raises(FrozenReviewError):
        event.delete()
    with pytest.raises(FrozenReviewError):
        ReviewEvent.objects.filter(review=frozen).update(comment="x")
    with pytest.raises(FrozenReviewError):
        ReviewEvent.objects.filter(review=frozen).delete()


def test_the_record_is_never_changed_or_replaced(frozen, snapshot, catalog, alice):
    record = DecisionRecord.objects.get(review=frozen)
    record.sha256 = "0" * 64
    with pytest.raises(FrozenReviewError):
        record.save()
    with pytest.raises(FrozenReviewError):
        record.delete()
    with pytest.raises(FrozenReviewError):
        DecisionRecord.objects.filter(pk=record.pk).update(pdf=b"%PDF forged")
    with pytest.raises(FrozenReviewError):
        DecisionRecord.objects.all().delete()
    with pytest.raises(FrozenReviewError):
        DecisionRecord.objects.bulk_create([DecisionRecord(review=frozen)])
    draft = ReviewFactory(team=frozen.team, owner=alice, catalog=catalog)
    with pytest.raises(FrozenReviewError):  # only an approved review has a record
        DecisionRecord.objects.create(
            review=draft,
            canonical_json="{}",
            sha256="1" * 64,
            pdf=b"",
            pdf_sha256="2" * 64,
            created_at=timezone.now(),
        )


# --- services, views and admin ----------------------------------------------------------------


def test_the_services_refuse(frozen, snapshot, alice, carol):
    with pytest.raises(FrozenReviewError):
        review_answer_save(review=frozen, user=alice, question="partner_count", choice="one")
    with pytest.raises(FrozenReviewError):
        review_update(review=frozen, title="x", context="", weights={}, language="en")
    with pytest.raises(FrozenReviewError):
        decide(frozen, alice, justification="changed after the fact")
    with pytest.raises(FrozenReviewError):
        decisions.risk_add(
            review=frozen,
            user=alice,
            description="x",
            owner_name="y",
            review_on=datetime.date.today(),
        )
    with pytest.raises(FrozenReviewError):
        decisions.risk_remove(review=frozen, user=alice, risk_id=Risk.objects.get().pk)
    with pytest.raises(FrozenReviewError):
        signoff.review_request_signoff(review=frozen, user=alice, approvers=[carol])
    with pytest.raises((FrozenReviewError, PermissionDenied)):
        signoff.review_sign(review=frozen, user=carol, password="pw-for-tests", comment="x")
    with pytest.raises((FrozenReviewError, PermissionDenied)):
        signoff.review_send_back(review=frozen, user=carol, reason="x")


def test_the_pages_refuse(client, frozen, snapshot, alice, carol):
    client.force_login(alice)
    pk = frozen.pk
    response = client.post(
        reverse("reviews:answer", args=[pk, "partner_count"]),
        {"partner_count": "one"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code in (403, 409)
    client.post(reverse("reviews:step", args=[pk, "partners"]), {"partner_count": "one"})
    client.post(reverse("reviews:edit", args=[pk]), {"title": "x", "language": "en"})
    response = client.post(
        reverse("reviews:decision", args=[pk]),
        {"pattern": "guest_space", "justification": "changed after approval"},
    )
    assert response.status_code == 302
    client.post(reverse("reviews:risk_add", args=[pk]), {"description": "x", "owner_name": "y"})
    risk = Risk.objects.get(review=frozen)
    client.post(reverse("reviews:risk_remove", args=[pk, risk.pk]))
    client.post(reverse("reviews:signoff", args=[pk]), {"approvers": [carol.pk]})
    client.force_login(carol)
    client.post(reverse("reviews:sign", args=[pk]), {"comment": "x", "password": "pw-for-tests"})
    client.post(reverse("reviews:send_back", args=[pk]), {"reason": "x"})


def test_the_admin_shows_a_frozen_review_read_only(admin_client, frozen, snapshot):
    url = reverse("admin:reviews_review_change", args=[frozen.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html and 'name="answers-0-note"' not in html
    assert admin_client.post(url, {"title": "Rewritten"}).status_code == 403
    delete = reverse("admin:reviews_review_delete", args=[frozen.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:reviews_review_changelist")
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [frozen.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302, 403)
    record = DecisionRecord.objects.get(review=frozen)
    record_url = reverse("admin:reviews_decisionrecord_change", args=[record.pk])
    assert admin_client.post(record_url, {"sha256": "0" * 64}).status_code == 403


def test_the_admin_edits_a_draft(admin_client, review):
    response = admin_client.get(reverse("admin:reviews_review_change", args=[review.pk]))
    assert response.status_code == 200 and 'name="_save"' in response.content.decode()


def test_a_revision_leaves_the_approved_record_as_it_was(frozen, snapshot, alice):
    new = revisions.review_revise(review=frozen, user=alice)
    review_answer_save(review=new, user=alice, question="confidentiality", choice="low")
    assert Answer.objects.get(review=new, question="confidentiality").choice == "low"
