"""The rules the database itself keeps, for writes that go around the models and services
(QuerySet.update(), objects.create() without full_clean(), SQL)."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews.models import DecisionRecord, Review, Risk, Signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def signature(review, alice, carol):
    return Signature.objects.create(
        review=review, approver=carol, requested_by=alice, requested_at=timezone.now()
    )


def test_a_signed_signature_has_its_time(signature):
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.filter(pk=signature.pk).update(state="signed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.filter(pk=signature.pk).update(signed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.filter(pk=signature.pk).update(state="maybe")
    now = timezone.now()
    assert Signature.objects.filter(pk=signature.pk).update(state="signed", signed_at=now) == 1


def test_a_risk_has_an_owner(review, alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.create(review=review, description="Nobody owns this")
    risk = Risk.objects.create(review=review, description="Leak", owner_user=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(owner_user=None)
    assert Risk.objects.filter(pk=risk.pk).update(owner_user=None, owner_name="IT") == 1


def test_a_review_cannot_revise_itself(review):
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(revision_of=review)


def test_a_record_hash_is_a_sha256(review):
    Review.objects.filter(pk=review.pk).update(status=Review.Status.APPROVED)
    fields = {
        "review": review,
        "canonical_json": "{}",
        "pdf": b"",
        "created_at": timezone.now(),
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionRecord.objects.create(sha256="abc", pdf_sha256="0" * 64, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionRecord.objects.create(sha256="0" * 64, pdf_sha256="", **fields)
    DecisionRecord.objects.create(sha256="0" * 64, pdf_sha256="1" * 64, **fields)
