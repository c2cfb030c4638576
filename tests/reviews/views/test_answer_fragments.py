"""The htmx save's small fragment: the saved status line, the progress, the queries."""

import pytest
from django.urls import reverse

from patterns.services import compiled_catalog
from reviews.selectors import wizard_outline
from reviews.services.answers import review_answer_save

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def answer_url(review, question):
    return reverse("reviews:answer", args=[review.pk, question])


def test_not_applicable_without_a_note_asks_why(client_alice, review):
    html = client_alice.post(
        answer_url(review, "partner_count"), {"partner_count": "~na"}, **HX
    ).content.decode()
    assert '<span class="text-success">該当なし · ' in html and "· Alice Abe</span>" in html
    assert '<span class="text-body-secondary">該当しない理由をメモに書いてください。</span>' in html
    assert "0問回答済み · 該当なし 1 問</div>" in html
    assert 'aria-valuenow="1" aria-valuemin="0"' in html


def test_a_noted_answer_has_no_hint_and_the_progress_counts_it(client_alice, review, english):
    review_answer_save(review=review, user=review.owner, question="partner_count", choice="~na")
    html = client_alice.post(
        answer_url(review, "partner_count"), {"note-partner_count": "No partners yet"}, **HX
    ).content.decode()
    assert "Not applicable · Saved " in html and " · by Alice Abe</span>" in html
    assert "Say in the note" not in html
    assert "Step 1 of 4 · 0 of " in html and " · 1 not applicable</div>" in html
    assert 'class="progress-bar w-' in html


def test_the_first_answer_of_a_question_is_one_insert(
    client_alice, review, django_assert_num_queries
):
    compiled_catalog(review.catalog)
    wizard_outline(review)
    # 1 session, 2 user, 3 review (+role), 4 savepoint, 5 touch (and so lock) the draft,
    # 6 the review's answers, 7 insert the answer, 8 release: no check of the review's status
    # before the insert (the lock just read it as a draft)
    with django_assert_num_queries(8):
        client_alice.post(answer_url(review, "partner_count"), {"partner_count": "few"}, **HX)
