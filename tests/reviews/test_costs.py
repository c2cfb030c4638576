"""The licence-cost estimate: formulas against hand-computed cases, input validation, saving.

Prices of the shipped table: Light 1,000 / Standard 1,800 / Wide 3,000 yen per user per month,
minimum 10 / 10 / 1,000 users; guest defaults 580 / 1,200 / 1,200; plugin 5,000 and
integration service 10,000 yen a month (assumptions).
"""

import copy

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from patterns.services import catalog_import
from reviews.access import Action, can, check
from reviews.costs import cost_estimate, resolve_inputs, validate_cost_inputs
from reviews.models import Review, ReviewStateError
from tests.catalog_data import kintone_catalog, tiny_catalog
from tests.factories import ReviewFactory

pytestmark = pytest.mark.usefixtures("english")  # the formulas are read in English

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def table():
    return copy.deepcopy(kintone_catalog()["price_table"])


def monthly(estimate):
    return {key: p["monthly"] for key, p in estimate["patterns"].items()}


def test_standard_course_with_table_defaults(table):
    inputs = {
        "course": "standard",
        "internal_users": 12,
        "external_users": 30,
        "external_own_account": 5,
        "paid_plugins": 2,
    }
    estimate = cost_estimate(table, inputs)
    assert monthly(estimate) == {
        # 12 x 1,800 + (30 - 5) guests x 1,200 + 2 plugins x 5,000
        "guest_space": 21_600 + 30_000 + 10_000,
        # (12 + 30) x 1,800 + 2 x 5,000: Link Account does not waive full licences
        "inter_org_access": 75_600 + 10_000,
        # 12 x 1,800 + service 10,000 + 2 x 5,000
        "external_service": 21_600 + 10_000 + 10_000,
        # main: 12 x 1,800 + 10,000; second domain: (30 + 12 staff) x 1,800 + 10,000 again
        "separate_domain": 21_600 + 10_000 + 75_600 + 10_000,
    }
    for pattern in estimate["patterns"].values():
        assert pattern["yearly"] == 12 * pattern["monthly"]
        assert sum(line["amount"] for line in pattern["lines"]) == pattern["monthly"]
    guest = estimate["patterns"]["guest_space"]
    assert guest["monthly_display"] == "¥61,600" and guest["yearly_display"] == "¥739,200"
    formulas = [line["formula"] for line in guest["lines"]]
    assert formulas == [
        "12 users × ¥1,800",
        "25 guests × ¥1,200 (unconfirmed); 5 with Link Account: free",
        "2 plugins × ¥5,000 (assumption)",
    ]
    separate = [line["formula"] for line in estimate["patterns"]["separate_domain"]["lines"]]
    assert separate == [
        "12 users × ¥1,800",
        "2 plugins × ¥5,000 (assumption)",
        "42 users × ¥1,800",
        "2 plugins × ¥5,000 (assumption)",
    ]
    assert estimate["as_of"] == "2024-11-01" and "not checked" in estimate["source"]
    assert {a["name"] for a in estimate["assumptions"]} == {
        "guest_price",
        "service_fee",
        "plugin_fee",
    }


def test_the_course_minimum_is_billed_and_link_account_guests_are_free(table):
    inputs = {
        "course": "light",
        "internal_users": 4,
        "external_users": 3,
        "external_own_account": 3,
        "paid_plugins": 0,
    }
    estimate = cost_estimate(table, inputs)
    assert monthly(estimate) == {
        "guest_space": 10 * 1_000,  # 4 users billed as the minimum 10; no paid guests
        "inter_org_access": 10 * 1_000,  # 7 users, minimum 10
        "external_service": 10 * 1_000 + 10_000,
        "separate_domain": 10 * 1_000 + 10 * 1_000,  # the second contract has its minimum too
    }
    licences = estimate["patterns"]["guest_space"]["lines"][0]["formula"]
    assert licences == "10 users (the course minimum; 4 needed) × ¥1,000"
    assert estimate["patterns"]["guest_space"]["lines"][1]["formula"] == (
        "no paid guests; 3 with Link Account: free"
    )
    # the Light course: no plugins, and integration services want Standard
    assert estimate["warnings"] == []
    assert "Standard course" in estimate["patterns"]["external_service"]["notes"][0]
    plugins = cost_estimate(table, {**inputs, "paid_plugins": 1})
    assert "cannot use plugins" in plugins["warnings"][0]


def test_every_figure_can_be_overridden(table):
    inputs = {
        "course": "wide",
        "internal_users": 1_200,
        "external_users": 50,
        "external_own_account": 0,
        "second_domain_staff": 20,
        "price_per_user": 2_900,
        "guest_price": 1_000,
        "paid_plugins": 3,
        "plugin_fee": 8_000,
        "service_fee": 30_000,
    }
    estimate = cost_estimate(table, inputs)
    assert monthly(estimate) == {
        "guest_space": 1_200 * 2_900 + 50 * 1_000 + 3 * 8_000,
        "inter_org_access": 1_250 * 2_900 + 3 * 8_000,
        "external_service": 1_200 * 2_900 + 30_000 + 3 * 8_000,
        # the second domain: 50 + 20 = 70 people, billed as the Wide minimum of 1,000
        "separate_domain": 1_200 * 2_900 + 3 * 8_000 + 1_000 * 2_900 + 3 * 8_000,
    }
    assert estimate["assumptions"] == []  # nothing came from unconfirmed defaults
    formulas = " ".join(
        line["formula"] for p in estimate["patterns"].values() for line in p["lines"]
    )
    assert "(assumption)" not in formulas and "(unconfirmed)" not in formulas
    assert "1,000 users (the course minimum; 70 needed) × ¥2,900" in formulas


def test_the_guest_minimum_applies_only_when_there_are_paid_guests(table):
    table["guest_user"]["min_users"] = 5
    base = {"course": "standard", "internal_users": 10, "paid_plugins": 0}
    two = cost_estimate(table, {**base, "external_users": 2, "external_own_account": 0})
    assert two["patterns"]["guest_space"]["monthly"] == 18_000 + 5 * 1_200
    assert "(the minimum for guest users)" in two["patterns"]["guest_space"]["lines"][1]["formula"]
    none = cost_estimate(table, {**base, "external_users": 0, "external_own_account": 0})
    assert none["patterns"]["guest_space"]["monthly"] == 18_000


def test_missing_or_stale_inputs_fall_back_to_defaults(table):
    assert resolve_inputs(table, {})["internal_users"] == 10
    values = resolve_inputs(
        table,
        {"course": "gold", "internal_users": -3, "external_users": "many", "paid_plugins": True},
    )
    assert values["course"] == "standard" and values["price_per_user"] == 1_800
    assert (values["internal_users"], values["external_users"], values["paid_plugins"]) == (
        10,
        10,
        0,
    )
    assert values["second_domain_staff"] == values["internal_users"]
    assert cost_estimate(table, None)["patterns"]["guest_space"]["monthly"] > 0


def test_texts_follow_the_active_language(table):
    with translation.override("ja"):
        estimate = cost_estimate(table, {})
    assert estimate["course"]["name"] == "スタンダードコース"
    assert "未確認" in estimate["source"]


VALID = {
    "course": "standard",
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


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"internal_users": -1}, "internal_users"),
        ({"internal_users": None}, "internal_users"),
        ({"internal_users": 100_001}, "internal_users"),
        ({"external_users": 1.5}, "external_users"),
        ({"external_users": "30"}, "external_users"),
        ({"paid_plugins": True}, "paid_plugins"),
        ({"paid_plugins": 101}, "paid_plugins"),
        ({"price_per_user": 100_001}, "price_per_user"),
        ({"service_fee": -5}, "service_fee"),
        ({"course": "gold"}, "course"),
        ({"external_own_account": 31}, "external_own_account"),
        ({"second_domain_staff": 13}, "second_domain_staff"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_validation_names_the_field(table, change, field):
    assert validate_cost_inputs(table, VALID) == {}
    errors = validate_cost_inputs(table, {**VALID, **change})
    assert list(errors) == [field], errors


def test_validation_of_a_non_object(table):
    assert "__all__" in validate_cost_inputs(table, [1, 2])


@pytest.mark.django_db
def test_who_may_estimate(review, alice, bob, carol, staff):
    for user in (alice, bob):
        assert can(user, review, Action.ESTIMATE)
        check(user, review, Action.ESTIMATE)
    for user in (carol, staff):
        assert not can(user, review, Action.ESTIMATE)
        with pytest.raises(PermissionDenied):
            check(user, review, Action.ESTIMATE)
    review.status = Review.Status.IN_REVIEW
    assert not can(bob, review, Action.ESTIMATE)
    with pytest.raises(ReviewStateError):
        check(bob, review, Action.ESTIMATE)
    with pytest.raises(PermissionDenied):
        check(carol, review, Action.ESTIMATE)
    assert not can(bob, review, Action.ANSWER)  # estimating is not answering


# The view: /reviews/ID/costs/ (htmx autosave and plain POST)

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
class TestSaving:
    def test_a_stakeholder_saves_by_htmx_and_gets_the_new_figures(self, client, review, bob):
        client.force_login(bob)
        response = client.post(costs_url(review), FORM, **HX)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-cost-pattern="guest_space"' in html
        assert 'data-cost-pattern="separate_domain"' in html
        assert 'data-cost-pattern="inter_org_access"' not in html  # not chosen
        assert "¥61,600" in html and "¥117,200" in html
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
