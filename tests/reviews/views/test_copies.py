"""Cloning a review, saving it as a template, choosing a template on the new-review form
(reviews/views/copies.py, reviews/views/reviews.py)."""

import pytest
from django.urls import reverse

from reviews.models import Answer, Review, ReviewTemplate
from reviews.services.answers import review_answer_save
from reviews.services.templates import template_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def url(name, review):
    return reverse(f"reviews:{name}", args=[review.pk])


@pytest.fixture
def answered(review, alice):
    review_answer_save(review=review, user=alice, question="partner_count", choice="many", note="N")
    return review


def test_the_review_page_offers_reuse_to_reviewers_only(client, answered, alice, bob, carol):
    client.force_login(alice)
    html = client.get(url("detail", answered)).content.decode()
    assert url("clone", answered) in html and url("template_create", answered) in html
    for user in (bob, carol):
        client.force_login(user)
        html = client.get(url("detail", answered)).content.decode()
        assert url("clone", answered) not in html and url("template_create", answered) not in html


def test_it_clones_and_redirects_to_the_new_draft(client, answered, alice, bob):
    client.force_login(alice)
    assert client.get(url("clone", answered)).status_code == 405
    response = client.post(url("clone", answered))
    new = Review.objects.exclude(pk=answered.pk).get()
    assert response.status_code == 302 and response["Location"] == url("detail", new)
    assert Answer.objects.get(review=new).note == "N"
    html = client.get(response["Location"]).content.decode()
    assert f"copied from #{answered.pk}" in html
    client.force_login(bob)
    assert client.post(url("clone", answered)).status_code == 403
    assert Review.objects.count() == 2


def test_it_saves_a_template_from_its_page(client, answered, alice, bob):
    client.force_login(bob)
    assert client.get(url("template_create", answered)).status_code == 403
    client.force_login(alice)
    assert client.get(url("template_create", answered)).status_code == 200
    response = client.post(url("template_create", answered), {"name": "Standard"})
    assert response.status_code == 302
    assert ReviewTemplate.objects.get().answers == {
        "partner_count": {"choice": "many", "note": "N"}
    }
    again = client.post(url("template_create", answered), {"name": "Standard"})
    assert again.status_code == 400 and "already has a template" in again.content.decode()


def test_the_new_review_form_starts_from_a_template(client, answered, alice, catalog, team):
    template_create(review=answered, user=alice, name="Standard")
    client.force_login(alice)
    html = client.get(reverse("reviews:new")).content.decode()
    assert "Start from a template" in html and "Standard" in html
    data = {
        "team": team.pk,
        "title": "From the template",
        "context": "",
        "catalog": catalog.pk,
        "language": "en",
        "template": ReviewTemplate.objects.get().pk,
    }
    response = client.post(reverse("reviews:new"), data)
    assert response.status_code == 302
    new = Review.objects.get(title="From the template")
    assert Answer.objects.get(review=new).choice == "many"


def test_without_templates_the_form_has_no_template_field(client, alice):
    client.force_login(alice)
    assert "Start from a template" not in client.get(reverse("reviews:new")).content.decode()


def test_only_reviewers_open_the_new_review_form(client, alice, bob, carol, staff):
    for user in (bob, carol, staff):
        client.force_login(user)
        assert client.get(reverse("reviews:new")).status_code == 403
        assert client.post(reverse("reviews:new"), {"title": "x"}).status_code == 403
    client.force_login(bob)
    assert reverse("reviews:new") not in client.get(reverse("home")).content.decode()
    client.force_login(alice)
    assert client.get(reverse("reviews:new")).status_code == 200
