"""Saving a review's cost-estimate inputs (reviews/views/costs.py): the view /reviews/ID/costs/
(htmx autosave and plain POST), who may, its queries.

The figures are the shipped kintone table's (tests/patterns/kinds/kintone/test_costs.py).
"""

import pytest
from django.urls import reverse

from patterns.services import catalog_import
from reviews.models import Review
from tests.catalog_data import tiny_catalog
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def compare_url(review, query=""):
    return reverse("reviews:compare", args=[review.pk]) + (f"?{query}" if query else "")


def test_cost_save_queries(client_bob, review, django_assert_num_queries):
    client_bob.get(compare_url(review))  # warm the compiled catalog
    data = {
        "course": "standard",
        "internal_users": "3",
        "external_users": "3",
        "external_own_account": "0",
        "paid_plugins": "0",
        "p": ["guest_space", "inter_org_access"],
    }
    # 1 session, 2 user, 3 review with the user's role, 4 savepoint, 5 the review locked,
    # 6 the update, 7 release savepoint, 8 answers (for the order of the options)
    with django_assert_num_queries(8):
        response = client_bob.post(
            reverse("reviews:costs", args=[review.pk]), data, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200


VALID = {  # FORM below, as stored
    "course": "standard",
    "second_domain_course": None,
    "internal_users": 12,
    "external_users": 30,
    "external_own_account": 5,
    "second_domain_staff": None,
    "price_per_user": None,
    "guest_price": None,
    "paid_plugins": 2,
    "plugin_fee": None,
    "service_fee": None,
}
FORM = {
    "course": "standard",
    "internal_users": "12",
    "external_users": "30",
    "external_own_account": "5",
    "second_domain_staff": "",
    "price_per_user": "",
    "guest_price": "",
    "paid_plugins": "2",
    "plugin_fee": "",
    "service_fee": "",
    "p": ["guest_space", "separate_domain"],
    "order": "catalog",
}


def costs_url(review):
    return reverse("reviews:costs", args=[review.pk])


@pytest.mark.django_db
@pytest.mark.usefixtures("english")  # the formulas are read in English
class TestSaving:
    def test_a_stakeholder_saves_by_htmx_and_gets_the_new_figures(self, client, review, bob):
        client.force_login(bob)
        response = client.post(costs_url(review), FORM, **HX)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-cost-pattern="guest_space"' in html
        assert 'data-cost-pattern="separate_domain"' in html
        assert 'data-cost-pattern="inter_org_access"' not in html  # not chosen
        assert "¥61,600" in html and "¥95,600" in html
        assert 'id="cost-status" hx-swap-oob="innerHTML"' in html
        assert "<html" not in html  # the fragment only
        review.refresh_from_db()
        assert review.cost_inputs == {**VALID}

    def test_a_reviewer_saves_by_plain_post_and_is_sent_back(self, client, review, alice):
        client.force_login(alice)
        response = client.post(costs_url(review), {**FORM, "external_users": "40"})
        assert response.status_code == 302
        compare = reverse("reviews:compare", args=[review.pk])
        assert response["Location"] == f"{compare}?p=guest_space&p=separate_domain#costs"
        review.refresh_from_db()
        assert review.cost_inputs["external_users"] == 40
        page = client.get(response["Location"])
        assert "¥" in page.content.decode()
        assert 'value="40"' in page.content.decode()

    def test_invalid_inputs_save_nothing_and_say_why_htmx(self, client, review, bob):
        review.cost_inputs = {"internal_users": 7}
        review.save()
        client.force_login(bob)
        data = {**FORM, "external_users": "3", "external_own_account": "5", "paid_plugins": "-1"}
        response = client.post(costs_url(review), data, **HX)
        assert response.status_code == 400
        html = response.content.decode()
        assert 'role="alert"' in html
        assert 'href="#id_paid_plugins"' in html
        review.refresh_from_db()
        assert review.cost_inputs == {"internal_users": 7}

    def test_invalid_inputs_save_nothing_and_say_why_plain(self, client, review, alice):
        client.force_login(alice)
        data = {**FORM, "external_users": "3", "external_own_account": "5"}
        response = client.post(costs_url(review), data)
        assert response.status_code == 400
        html = response.content.decode()
        assert "<html" in html  # the whole page, with the form and its messages
        assert response.context["cost_form"].errors["external_own_account"]
        assert 'aria-invalid="true"' in html
        review.refresh_from_db()
        assert review.cost_inputs == {}

    @pytest.mark.parametrize("value", ["abc", "1.5", "-2", "100001", ""])
    def test_counts_must_be_whole_numbers_in_range(self, client, review, alice, value):
        client.force_login(alice)
        response = client.post(costs_url(review), {**FORM, "internal_users": value}, **HX)
        assert response.status_code == 400
        review.refresh_from_db()
        assert review.cost_inputs == {}

    def test_an_approver_may_look_but_not_estimate(self, client, review, carol):
        client.force_login(carol)
        assert client.post(costs_url(review), FORM, **HX).status_code == 403
        assert client.post(costs_url(review), FORM).status_code == 403
        page = client.get(reverse("reviews:compare", args=[review.pk]))
        assert page.status_code == 200
        assert page.context["can_estimate"] is False
        assert "<fieldset disabled>" in page.content.decode()
        review.refresh_from_db()
        assert review.cost_inputs == {}

    def test_site_staff_outside_the_team_may_not_estimate(self, client, review, staff):
        client.force_login(staff)
        assert client.post(costs_url(review), FORM, **HX).status_code == 403

    def test_outsiders_get_404(self, client, review, charlie):
        client.force_login(charlie)
        assert client.post(costs_url(review), FORM, **HX).status_code == 404
        assert client.get(costs_url(review)).status_code == 404

    def test_anonymous_users_are_sent_to_login(self, client, review):
        response = client.post(costs_url(review), FORM)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_get_is_not_allowed(self, client, review, bob):
        client.force_login(bob)
        assert client.get(costs_url(review)).status_code == 405

    def test_only_while_a_draft(self, client, review, bob):
        Review.objects.filter(pk=review.pk).update(status=Review.Status.IN_REVIEW)
        client.force_login(bob)
        response = client.post(costs_url(review), FORM, **HX)
        assert response.status_code == 409
        assert 'role="alert"' in response.content.decode()
        response = client.post(costs_url(review), FORM)
        assert response.status_code == 302
        review.refresh_from_db()
        assert review.cost_inputs == {}

    def test_a_catalog_without_a_price_table(self, client, team, alice):
        tiny, _ = catalog_import(tiny_catalog())
        review = ReviewFactory(team=team, owner=alice, catalog=tiny)
        client.force_login(alice)
        response = client.post(costs_url(review), {"internal_users": "3", "p": ["a", "b"]}, **HX)
        assert response.status_code == 400
        page = client.get(reverse("reviews:compare", args=[review.pk]))
        assert page.status_code == 200
        assert "no price table" in page.content.decode()
