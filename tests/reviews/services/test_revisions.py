"""Revising (reviews/services/revisions.py): a linked draft, superseding on approval.

The PDF renderer is replaced by a fast fake (conftest.py; records/test_pdf.py renders real
PDFs).
"""

import pytest
from django.core.exceptions import PermissionDenied

from patterns.kinds.kintone.scenarios import S2
from reviews.models import (
    Answer,
    Decision,
    DecisionRecord,
    FrozenReviewError,
    Review,
    ReviewStateError,
)
from reviews.services import revisions, signoff
from reviews.services.answers import review_answer_save
from tests.reviews.lifecycle_helpers import actions, approved, sign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


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
