"""The record under sign-off is rendered after the request's commit, outside every lock
(reviews/services/signoff.py): a slow render holds up nobody else's write, a failed one
changes nothing, and a request left without its PDF (its process died) still gets signed."""

import pytest
from django.db import connection
from django.utils import translation

from reviews.models import Review, ReviewEvent, Signature, SignoffRequest
from reviews.records.content import review_lang
from reviews.records.pdf import RecordRenderError
from reviews.services import signoff
from tests.reviews.lifecycle_helpers import answer, decide, fake_pdf, ready, sign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_record_is_rendered_outside_the_requests_transaction(review, alice, carol, monkeypatch):
    answer(review, alice)
    decide(review, alice)
    outside = len(connection.atomic_blocks)  # the test's own transaction
    seen = []

    def render(review, **kwargs):
        seen.append(len(connection.atomic_blocks))
        assert Review.objects.get(pk=review.pk).status == Review.Status.IN_REVIEW
        return fake_pdf(review, **kwargs)

    monkeypatch.setattr(signoff, "record_pdf", render)
    signoff.review_request_signoff(review=review, user=alice, approvers=[carol])
    assert seen == [outside]
    request = SignoffRequest.objects.get(review=review)
    assert request.pdf_sha256 and bytes(request.pdf).startswith(b"%PDF")


def test_a_failed_render_withdraws_the_request_at_once(review, alice, carol, monkeypatch):
    answer(review, alice)
    decide(review, alice)

    def broken(review, **kwargs):
        raise RecordRenderError("boom")

    monkeypatch.setattr(signoff, "record_pdf", broken)
    with pytest.raises(RecordRenderError):
        signoff.review_request_signoff(review=review, user=alice, approvers=[carol])
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT
    request = SignoffRequest.objects.get(review=review)
    assert request.state == SignoffRequest.State.WITHDRAWN
    with translation.override(review_lang(review)):  # the reason in the review's language
        assert request.reason == str(signoff.RENDER_FAILED_REASON)
    assert not Signature.objects.filter(review=review).exists()
    trail = list(ReviewEvent.objects.filter(review=review).values_list("action", flat=True))
    assert trail[-2:] == [ReviewEvent.Action.REQUEST_SIGNOFF, ReviewEvent.Action.WITHDRAW]
    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)  # and it can be asked again
    signoff.review_request_signoff(review=review, user=alice, approvers=[carol])
    review.refresh_from_db()
    assert review.status == Review.Status.IN_REVIEW


def test_a_request_left_without_its_pdf_is_rendered_when_the_approver_signs(
    review, alice, carol, monkeypatch
):
    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)
    ready(review, alice, [carol])
    SignoffRequest.objects.filter(review=review).update(pdf=b"", pdf_sha256="")  # died here
    sign(review, carol)
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert bytes(review.record.pdf).startswith(b"%PDF")


def test_a_request_left_without_its_pdf_serves_it_on_download(
    client, review, alice, carol, monkeypatch
):
    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)
    ready(review, alice, [carol])
    SignoffRequest.objects.filter(review=review).update(pdf=b"", pdf_sha256="")
    client.force_login(carol)
    response = client.get(f"/reviews/{review.pk}/record.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert SignoffRequest.objects.get(review=review).pdf_sha256


def test_a_render_finished_after_a_withdrawal_is_dropped(review, alice, carol, monkeypatch):
    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)
    ready(review, alice, [carol])
    request = SignoffRequest.objects.get(review=review)
    SignoffRequest.objects.filter(pk=request.pk).update(
        pdf=b"", pdf_sha256="", state=SignoffRequest.State.WITHDRAWN
    )
    request.refresh_from_db()
    signoff.ensure_request_pdf(review, request)
    request.refresh_from_db()
    assert request.pdf_sha256 == ""
