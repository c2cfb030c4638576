"""The cached parts of the step page, the review page and the page frame (reviews.fragments,
reviews.catalog_view): each one changes when what it shows changes."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from patterns.models import Question, QuestionGroup
from patterns.services import catalog_new_draft
from reviews.catalog_view import catalog_stamp, catalog_steps
from reviews.fragments import cached_html, page_stamp
from reviews.services.answers import review_answer_save
from reviews.services.weights import review_weights_save
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def step_url(review, step="partners"):
    return reverse("reviews:step", args=[review.pk, step])


def detail_url(review):
    return reverse("reviews:detail", args=[review.pk])


CHECKED_FEW = 'id="q-partner_count-few" value="few" checked'


def test_step_questions_follow_a_changed_answer(client_alice, review):
    assert CHECKED_FEW not in client_alice.get(step_url(review)).content.decode()
    review_answer_save(review=review, user=review.owner, question="partner_count", choice="few")
    assert CHECKED_FEW in client_alice.get(step_url(review)).content.decode()
    review_answer_save(review=review, user=review.owner, question="partner_count", choice="one")
    html = client_alice.get(step_url(review)).content.decode()
    assert CHECKED_FEW not in html
    assert 'id="q-partner_count-one" value="one" checked' in html


def test_step_questions_follow_a_changed_note(client_alice, review):
    review_answer_save(review=review, user=review.owner, question="partner_count", note="first")
    assert "first</textarea>" in client_alice.get(step_url(review)).content.decode()
    review_answer_save(review=review, user=review.owner, question="partner_count", note="second")
    assert "second</textarea>" in client_alice.get(step_url(review)).content.decode()


def test_step_page_is_cached_per_review(client_alice, review, team, alice):
    other = ReviewFactory(team=team, owner=alice, catalog=review.catalog, title="Other")
    review_answer_save(review=review, user=alice, question="partner_count", choice="few")
    assert CHECKED_FEW in client_alice.get(step_url(review)).content.decode()
    html = client_alice.get(step_url(other)).content.decode()
    assert CHECKED_FEW not in html
    assert reverse("reviews:answer", args=[other.pk, "partner_count"]) in html


def test_step_page_is_cached_per_language(client_alice, review):
    japanese = client_alice.get(step_url(review)).content.decode()
    english = client_alice.get(step_url(review), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Note (optional)" in english and "Note (optional)" not in japanese
    step = QuestionGroup.objects.get(catalog=review.catalog, key="partners")
    assert step.title_en in english and step.title_ja in japanese


def test_step_page_is_cached_per_permission(client, review, alice, bob):
    client.force_login(alice)
    assert (
        'data-question="partner_count" disabled'
        not in client.get(step_url(review)).content.decode()
    )
    client.force_login(bob)  # a stakeholder: reads, does not answer
    html = client.get(step_url(review)).content.decode()
    assert 'data-question="partner_count" disabled' in html


def test_weights_panel_follows_the_saved_weights(client_alice, review, alice):
    criterion = review.catalog.criteria.order_by("order", "pk").first()
    selected = '<option value="3" selected>'
    html = client_alice.get(step_url(review)).content.decode()
    assert f'name="weight_{criterion.key}"' in html
    review_weights_save(review=review, user=alice, weights={criterion.key: 3})
    review.refresh_from_db()
    html = client_alice.get(step_url(review)).content.decode()
    start = html.index(f'name="weight_{criterion.key}"')
    assert selected in html[start : html.index("</select>", start)]


def test_review_page_answers_follow_a_changed_answer(client_alice, review, alice):
    review_answer_save(review=review, user=alice, question="partner_count", choice="few")
    first = client_alice.get(detail_url(review)).content.decode()
    review_answer_save(review=review, user=alice, question="partner_count", choice="many")
    second = client_alice.get(detail_url(review)).content.decode()
    question = Question.objects.get(group__catalog=review.catalog, key="partner_count")
    choices = {c.key: c.label_ja for c in question.choices.all()}
    assert f"<strong>{choices['few']}</strong>" in first
    assert f"<strong>{choices['many']}</strong>" in second
    assert f"<strong>{choices['few']}</strong>" not in second


def test_review_page_answers_are_cached_per_language(client_alice, review):
    japanese = client_alice.get(detail_url(review)).content.decode()
    english = client_alice.get(detail_url(review), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "not answered" in english and "not answered" not in japanese


def test_a_draft_catalog_is_never_cached(catalog):
    draft = catalog_new_draft(catalog, version="9.9.9")
    assert catalog_stamp(draft) is None
    review = ReviewFactory.build(catalog=draft)
    assert page_stamp(review) is None
    caches["fragments"].clear()
    cached_html(page_stamp(review), lambda: "x")  # type: ignore[arg-type, return-value]
    assert not caches["fragments"]._cache  # nothing stored
    step = draft.steps.get(key="partners")
    step.title_en = "Changed in the draft"
    step.save()
    assert catalog_steps(draft)[0].title_en == "Changed in the draft"


def test_catalog_steps_match_the_catalog(catalog):
    steps = catalog_steps(catalog)
    stored = list(catalog.steps.prefetch_related("questions__choices"))
    assert [s.key for s in steps] == [s.key for s in stored]
    assert [q.key for s in steps for q in s.questions.all()] == [
        q.key for s in stored for q in s.questions.all()
    ]
    assert catalog_steps(catalog) is steps  # a published version: read once


def test_the_frame_is_cached_per_language_and_staff(client, alice, staff):
    client.force_login(alice)
    home = reverse("home")
    assert reverse("admin:index") not in client.get(home).content.decode()
    client.force_login(staff)
    assert reverse("admin:index") in client.get(reverse("patterns:catalog_list")).content.decode()
    english = client.get(reverse("patterns:catalog_list"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Skip to content" in english.content.decode()
    client.force_login(alice)
    html = client.get(home).content.decode()
    assert reverse("admin:index") not in html and "Skip to content" not in html
