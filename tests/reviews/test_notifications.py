"""Lifecycle emails: rendered from templates, in the recipient's language, one-line subjects."""

from django.core import mail

from reviews.notifications import render_email
from reviews.services import signoff
from tests.reviews.lifecycle_helpers import answer, decide


def test_it_folds_a_title_with_line_breaks_into_a_one_line_subject():
    subject, body = render_email("sent_back", "en", {"title": "Portal\r\nBcc: x@example.com"})
    assert "\n" not in subject and "\r" not in subject
    assert subject == "[Hakari] Sent back: Portal Bcc: x@example.com"
    assert "Portal" in body


def test_it_renders_in_the_language_asked_for():
    subject, _ = render_email("approved", "ja", {"title": "T", "team": "A", "sha": "x", "url": "u"})
    assert subject.startswith("[Hakari] ") and "T" in subject
    english, _ = render_email("approved", "en", {"title": "T", "team": "A", "sha": "x", "url": "u"})
    assert english == "[Hakari] Approved: T"
    assert subject != english


def test_a_title_with_a_line_break_does_not_stop_the_notifications(
    review, alice, carol, django_capture_on_commit_callbacks
):
    review.title = "Partner\nportal"
    review.save()
    answer(review, alice)
    decide(review, alice)
    with django_capture_on_commit_callbacks(execute=True):
        signoff.review_request_signoff(review=review, user=alice, approvers=[carol])
    assert [m.to for m in mail.outbox] == [[carol.email]]
    assert "\n" not in mail.outbox[0].subject
