"""The decision page (reviews/views/decision.py): the decision and the risk register."""

import re

import pytest
from django.urls import reverse

from patterns.services import compiled_catalog
from reviews.models import Decision, Risk
from reviews.services import decisions
from tests.reviews.lifecycle_helpers import answer, decide

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "fast_pdf")]


def url(name, review, *args):
    return reverse(f"reviews:{name}", args=[review.pk, *args])


def test_the_reviewer_gets_the_form_prefilled_with_the_recommendation(client, review, alice):
    answer(review, alice)
    client.force_login(alice)
    response = client.get(url("decision", review))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'value="inter_org_access"[^>]*checked', html)
    assert "ルックアップ" in html  # consequences pre-filled from the catalog's merits
    assert 'name="prefill"' in html


def test_saving_the_decision(client, review, alice):
    answer(review, alice)
    client.force_login(alice)
    response = client.post(
        url("decision", review),
        {"pattern": "inter_org_access", "confirmation": "Audit after 3 months"},
    )
    assert response.status_code == 302
    decision = Decision.objects.get(review=review)
    assert decision.confirmation == "Audit after 3 months" and decision.consequences_good


def test_a_choice_against_the_recommendation_needs_a_justification(client, review, alice):
    answer(review, alice)
    client.force_login(alice)
    response = client.post(url("decision", review), {"pattern": "separate_domain"})
    assert response.status_code == 400
    assert "excluded" in response.content.decode()
    assert not Decision.objects.exists()
    response = client.post(
        url("decision", review),
        {"pattern": "separate_domain", "justification": "Two companies will merge next year."},
    )
    assert response.status_code == 302
    assert Decision.objects.get().pattern == "separate_domain"


def test_prefill_replaces_the_consequences_without_saving(client, review, alice):
    answer(review, alice)
    client.force_login(alice)
    response = client.post(
        url("decision", review),
        {"pattern": "separate_domain", "consequences_good": "mine", "prefill": "1"},
    )
    assert response.status_code == 200
    assert "mine" not in response.content.decode() and not Decision.objects.exists()


def test_the_page_carries_every_options_consequences_for_the_script(client, review, alice):
    import html as html_lib
    import json
    import re

    answer(review, alice)
    client.force_login(alice)
    page = client.get(url("decision", review)).content.decode()
    found = re.search(r'data-prefills="([^"]*)"', page)
    prefills = json.loads(html_lib.unescape(found.group(1)))
    assert set(prefills) == {
        "guest_space",
        "inter_org_access",
        "external_service",
        "separate_domain",
    }
    assert prefills["guest_space"]["good"].startswith("- ")
    assert 'src="/static/js/decision.js"' in page and 'id="consequences-warning"' in page


def test_others_read_the_decision_but_get_no_form(client, review, alice, bob):
    answer(review, alice)
    decide(review, alice, confirmation="Check <b>twice</b>")
    client.force_login(bob)
    response = client.get(url("decision", review))
    html = response.content.decode()
    assert response.status_code == 200 and 'name="pattern"' not in html
    assert "Check &lt;b&gt;twice&lt;/b&gt;" in html
    assert client.post(url("decision", review), {"pattern": "guest_space"}).status_code == 403


def test_the_decision_page_refuses_other_methods(client, review, alice):
    client.force_login(alice)
    assert client.put(url("decision", review)).status_code == 405
    assert client.get(url("risk_add", review)).status_code == 405


def test_risks_are_added_and_removed(client, review, alice, bob):
    client.force_login(alice)
    response = client.post(
        url("risk_add", review),
        {
            "description": "Misconfiguration",
            "owner_user": bob.pk,
            "mitigation": "Four eyes",
            "review_on": "2027-03-31",
        },
    )
    assert response.status_code == 302
    risk = Risk.objects.get()
    assert risk.owner_user == bob and str(risk.review_on) == "2027-03-31"
    assert "Misconfiguration" in client.get(url("decision", review)).content.decode()
    assert client.post(url("risk_remove", review, risk.pk)).status_code == 302
    assert not Risk.objects.exists()


def test_a_risk_needs_an_owner(client, review, alice):
    client.force_login(alice)
    response = client.post(url("risk_add", review), {"description": "Nobody owns this"})
    assert response.status_code == 400 and not Risk.objects.exists()
    # the service's rule, shown on the form as an error of the whole form
    message = "Name an owner: a team member or a name."
    assert response.context["risk_form"].non_field_errors() == [message]
    assert message in response.content.decode()


def test_only_reviewers_change_risks(client, review, alice, bob):
    risk = decisions.risk_add(review=review, user=alice, description="x", owner_name="IT")
    client.force_login(bob)
    assert client.post(url("risk_add", review), {"description": "y"}).status_code == 403
    assert client.post(url("risk_remove", review, risk.pk)).status_code == 403
    assert Risk.objects.count() == 1


def test_the_decision_page_queries_do_not_grow_with_risks(
    client, review, alice, django_assert_num_queries
):
    compiled_catalog(review.catalog)
    answer(review, alice)
    decide(review, alice)
    decisions.risk_add(review=review, user=alice, description="one", owner_user=alice)
    client.force_login(alice)
    # 1 session, 2 user, 3 review (+role), 4 answers, 5 decision, 6 risks (+owner),
    # 7 the team's members for the risk owner field, 8 every option's consequences (prefill)
    with django_assert_num_queries(8):
        client.get(url("decision", review))
    for n in range(3):
        decisions.risk_add(review=review, user=alice, description=f"r{n}", owner_user=alice)
    with django_assert_num_queries(8):
        client.get(url("decision", review))
