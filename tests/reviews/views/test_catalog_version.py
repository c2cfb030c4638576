"""The catalog-version page: a draft moves to the newest version, an approved one re-checks."""

import json

import pytest
from django.urls import reverse

from patterns.services import catalog_import
from reviews.models import Answer, DecisionRecord, ReviewEvent
from tests.catalog_data import kintone_catalog_11
from tests.reviews.lifecycle_helpers import answer, approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def newer():
    return catalog_import(kintone_catalog_11())[0]


def url(review):
    return reverse("reviews:catalog_version", args=[review.pk])


def test_it_says_a_review_is_up_to_date_without_a_newer_version(client_bob, review):
    response = client_bob.get(url(review))
    assert response.status_code == 200
    assert b'data-up-to-date="true"' in response.content


def test_the_review_page_links_to_it(client_bob, review):
    response = client_bob.get(reverse("reviews:detail", args=[review.pk]))
    assert url(review).encode() in response.content


def test_it_shows_what_moving_a_draft_changes(client_alice, review, alice, newer):
    answer(review, alice)
    response = client_alice.get(url(review))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-ranking-moves="true"' in html
    assert 'data-pattern="inter_org_access"' in html
    assert "1.1.0" in html and "<form" in html
    change = response.context["change"]
    assert change.carried and not change.dropped
    assert {m.pattern for m in change.moves} == {
        "guest_space",
        "inter_org_access",
        "external_service",
        "separate_domain",
    }


def test_moving_carries_answers_over_and_records_an_event(client_alice, review, alice, newer):
    answer(review, alice)
    before = dict(Answer.objects.filter(review=review).values_list("question", "choice"))
    response = client_alice.post(url(review))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.catalog == newer
    assert dict(Answer.objects.filter(review=review).values_list("question", "choice")) == before
    event = ReviewEvent.objects.get(review=review, action=ReviewEvent.Action.MOVE_CATALOG)
    assert event.actor == alice and "1.0.0 → 1.1.0" in event.comment
    # now up to date: nothing more to move
    assert b'data-up-to-date="true"' in client_alice.get(url(review)).content


def test_a_stakeholder_cannot_move(client_bob, review, newer):
    assert client_bob.post(url(review)).status_code == 403
    review.refresh_from_db()
    assert review.catalog.version == "1.0.0"


def test_an_outsider_gets_404(client, review, newer):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(url(review)).status_code == 404


def test_wrong_method(client_bob, review):
    assert client_bob.put(url(review)).status_code == 405


def test_an_approved_review_is_rechecked_without_touching_its_record(
    client_alice, review, alice, carol, fast_pdf, newer
):
    approved(review, alice, [carol])
    record = DecisionRecord.objects.get(review=review)
    stored = (record.canonical_json, record.sha256)
    response = client_alice.get(url(review))
    assert response.status_code == 200
    assert b'data-recheck="true"' in response.content
    # "before" is the ranking in the approved record, "after" today's against 1.1.0
    content = json.loads(record.canonical_json)
    recorded = {o["pattern"]: o["rank"] for o in content["options"]}
    change = response.context["change"]
    assert all(m.recorded for m in change.moves)
    assert {m.pattern: m.before_rank for m in change.moves} == recorded
    assert b"<form" not in response.content.split(b'data-recheck="true"')[1]
    # a POST is refused: an approved review keeps its version
    response = client_alice.post(url(review))
    assert response.status_code == 302
    review.refresh_from_db()
    record.refresh_from_db()
    assert review.catalog.version == "1.0.0"
    assert (record.canonical_json, record.sha256) == stored
