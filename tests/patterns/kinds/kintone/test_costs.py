"""The kintone licence-cost estimate: formulas against hand-computed cases, input validation.

Prices of the shipped table: Light 1,000 / Standard 1,800 / Wide 3,000 yen per user per month,
minimum 10 / 10 / 1,000 users; guest defaults 580 / 1,200 / 1,200; plugin 5,000 and
integration service 10,000 yen a month (assumptions).
"""

import copy

import pytest
from django.utils import translation

from patterns.kinds.kintone.costs import cost_estimate, resolve_inputs, validate_cost_inputs
from tests.catalog_data import kintone_catalog, kintone_catalog_11

pytestmark = pytest.mark.usefixtures("english")  # the formulas are read in English


@pytest.fixture
def table():
    return copy.deepcopy(kintone_catalog()["price_table"])


@pytest.fixture
def table_11():
    """Catalog 1.1.0's table: the Wide course has no guest price (the sources give none)."""
    return copy.deepcopy(kintone_catalog_11()["price_table"])


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
        # main: 12 x 1,800 + 10,000; second domain: 30 external users (no staff entered)
        # x 1,800 + 10,000 again
        "separate_domain": 21_600 + 10_000 + 54_000 + 10_000,
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
        "30 users × ¥1,800",
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
    assert values["second_domain_staff"] == 0  # not entered: none, never all internal users
    assert values["not_entered"] == ["second_domain_staff"]
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


def test_the_second_domain_has_its_own_course_staff_and_minimum(table):
    inputs = {
        "course": "wide",
        "second_domain_course": "standard",
        "internal_users": 1_200,
        "external_users": 3,
        "external_own_account": 0,
        "second_domain_staff": 4,
        "paid_plugins": 0,
    }
    sd = cost_estimate(table, inputs)["patterns"]["separate_domain"]
    # main: 1,200 x 3,000 (Wide); second: 3 + 4 = 7 people, billed as Standard's minimum 10
    assert sd["monthly"] == 1_200 * 3_000 + 10 * 1_800
    assert "10 users (the course minimum; 7 needed) × ¥1,800" in [
        line["formula"] for line in sd["lines"]
    ]


def test_a_price_the_sources_do_not_give_is_not_invented(table_11):
    inputs = {"course": "wide", "internal_users": 1_000, "external_users": 5}
    estimate = cost_estimate(table_11, {**inputs, "external_own_account": 0, "paid_plugins": 0})
    guest = estimate["patterns"]["guest_space"]
    assert guest["monthly"] is None and guest["yearly"] is None
    assert guest["monthly_display"] == "not priced — enter it"
    entered = cost_estimate(
        table_11,
        {**inputs, "external_own_account": 0, "paid_plugins": 0, "guest_price": 900},
    )
    assert entered["patterns"]["guest_space"]["monthly"] == 1_000 * 3_000 + 5 * 900
    # the other options are priced as usual
    assert estimate["patterns"]["inter_org_access"]["monthly"] == 1_005 * 3_000


@pytest.mark.parametrize(
    ("answers", "external", "own", "plugins"),
    [
        ({}, 10, 0, 0),
        ({"external_user_count": "medium"}, 50, 0, 0),
        ({"external_user_count": "large", "partners_use_kintone": "all"}, 200, 200, 0),
        ({"external_user_count": "medium", "partners_use_kintone": "some"}, 50, 25, 0),
        ({"paid_plugins": "many"}, 10, 0, 5),
    ],
)
def test_empty_inputs_start_from_the_answers(table, answers, external, own, plugins):
    values = resolve_inputs(table, {}, answers)
    assert (values["external_users"], values["external_own_account"]) == (external, own)
    assert values["paid_plugins"] == plugins
    # what was entered wins over the answers
    assert resolve_inputs(table, {"external_users": 7}, answers)["external_users"] == 7
