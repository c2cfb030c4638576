"""A review's own pages (reviews/views/reviews.py): its page with the record, its settings,
revising."""

import pytest
from django.urls import reverse

from patterns.services import compiled_catalog
from reviews.catalog_view import catalog_steps
from reviews.models import Review
from reviews.services import signoff
from tests.reviews.lifecycle_helpers import approved, ready, sign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "fast_pdf")]


def url(name, review, *args):
    return reverse(f"reviews:{name}", args=[review.pk, *args])


def test_the_reviewer_revises_an_approved_review(client, review, alice, bob, carol):
    approved(review, alice, [carol])
    client.force_login(bob)
    assert client.post(url("revise", review)).status_code == 403
    client.force_login(alice)
    assert client.get(url("revise", review)).status_code == 405
    response = client.post(url("revise", review))
    new = Review.objects.get(revision_of=review)
    assert response["Location"] == url("detail", new)
    html = client.get(url("detail", new)).content.decode()
    assert f"Revision of #{review.pk}" in html or f"#{review.pk}" in html


def test_the_review_page_shows_the_record_and_the_audit_trail(client, review, alice, carol, dave):
    ready(review, alice, [carol, dave])
    sign(review, carol, "Looks <em>right</em>")
    client.force_login(dave)
    html = client.get(url("detail", review)).content.decode()
    assert 'id="audit-trail"' in html and 'data-action="request_signoff"' in html
    assert 'data-signer="carol" data-state="signed"' in html
    assert "Looks &lt;em&gt;right&lt;/em&gt;" in html
    assert url("sign", review) in html  # dave may sign
    assert url("record", review, "pdf") in html


def test_the_review_page_queries_do_not_grow_with_the_trail(
    client, review, alice, carol, dave, django_assert_num_queries
):
    compiled_catalog(review.catalog)  # compiled once per process per published version
    catalog_steps(review.catalog)  # the steps, questions, choices: read once per process
    ready(review, alice, [carol, dave])
    client.force_login(alice)
    # 1 session, 2 user, 3 review (+team, owner, catalog, viewer's role), 4 answers; the
    # record panel: 5 signatures (+approver), 6 the decision, the stored record's summary,
    # the number of risks and the last request's state, 7 audit trail (+actor)
    with django_assert_num_queries(7):
        client.get(url("detail", review))
    for n in range(3):
        signoff.review_send_back(review=review, user=carol, reason=f"round {n}")
        signoff.review_request_signoff(review=review, user=alice, approvers=[carol, dave])
    sign(review, carol)
    with django_assert_num_queries(7):
        client.get(url("detail", review))
    sign(review, dave)
    with django_assert_num_queries(8):  # 8 its revisions, once approved
        client.get(url("detail", review))


def test_weights_are_edited_on_the_settings_page(client_alice, review):
    url = reverse("reviews:edit", args=[review.pk])
    data = {"title": "New title", "context": "", "language": "en"}
    data.update(
        {f"weight_{c}": "1" for c in ["app_linkage", "user_management", "use_cases", "cost"]}
    )
    data["weight_security"] = "3"
    response = client_alice.post(url, data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.weights["security"] == 3
    assert review.title == "New title"
    bad = client_alice.post(url, {**data, "weight_security": "7"})
    assert bad.status_code == 400
    review.refresh_from_db()
    assert review.weights["security"] == 3
