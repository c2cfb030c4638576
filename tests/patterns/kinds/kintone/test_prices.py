"""The kintone kind's price table: its format, validation, import and the admin."""

import copy
import json

import pytest
from django.urls import reverse

from patterns.kinds.kintone.prices import validate_price_table
from patterns.models import Catalog
from patterns.services import (
    CatalogImportError,
    catalog_import,
    catalog_new_draft,
    catalog_to_dict,
)
from patterns.validation import validate_catalog
from tests.catalog_data import kintone_catalog, tiny_catalog


@pytest.fixture
def table():
    return copy.deepcopy(kintone_catalog()["price_table"])


def test_the_shipped_table_is_valid_and_says_what_it_rests_on(table):
    assert validate_price_table(table) == []
    assert table["currency"] == "JPY" and table["as_of"] == "2024-11-01"
    assert table["tax_included"] is False
    prices = {c["key"]: (c["price_per_user_month"], c["min_users"]) for c in table["courses"]}
    assert prices == {"light": (1000, 10), "standard": (1800, 10), "wide": (3000, 1000)}
    assert table["default_course"] == "standard"
    assert "2024-05-30" in table["source_en"] and "not checked" in table["source_en"]
    assert "未確認" in table["source_ja"]
    # unconfirmed figures say so
    for part in ("guest_user", "integration_service", "plugin"):
        assert table[part]["confirmed"] is False
    assert table["guest_user"]["note_en"].startswith("Unconfirmed")
    assert "assumption" in table["integration_service"]["note_en"]


def test_the_shipped_catalog_keeps_version_1_0_0_and_validates():
    data = kintone_catalog()
    assert data["version"] == "1.0.0"
    assert validate_catalog(data) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t.update(as_of="2024-13-01"), ".as_of: must be a date YYYY-MM-DD"),
        (lambda t: t.pop("as_of"), ".as_of: required"),
        (lambda t: t.update(currency="yen"), ".currency: must be a three-letter currency code"),
        (lambda t: t.update(tax_included="no"), ".tax_included: must be true or false"),
        (lambda t: t.update(source_en=" "), ".source_en: required"),
        (lambda t: t.update(extra=1), ".extra: unknown field"),
        (lambda t: t.update(courses=[]), ".courses: must be a list of at least one course"),
        (lambda t: t.update(default_course="gold"), ".default_course: must be one of the courses"),
        (
            lambda t: t["courses"][1].update(price_per_user_month=-1),
            ".courses[1].price_per_user_month: must be a whole number from 0 to 1,000,000",
        ),
        (
            lambda t: t["courses"][1].update(price_per_user_month=1800.5),
            ".courses[1].price_per_user_month: must be a whole number",
        ),
        (
            lambda t: t["courses"][0].update(min_users=True),
            ".courses[0].min_users: must be a whole number from 1",
        ),
        (lambda t: t["courses"][0].update(min_users=0), ".courses[0].min_users: must be a whole"),
        (
            lambda t: t["courses"][2].pop("guest_price_per_user_month"),
            ".courses[2].guest_price_per_user_month: required",
        ),
        (lambda t: t["courses"][2].update(key="light"), ".courses[2].key: duplicate course"),
        (lambda t: t["courses"][2].update(key="Wide!"), ".courses[2].key: must match"),
        (lambda t: t["courses"][0].update(colour="red"), ".courses[0].colour: unknown field"),
        (lambda t: t["courses"].append("wide"), ".courses[3]: must be an object"),
        (lambda t: t.pop("plugin"), ".plugin: required"),
        (lambda t: t.update(plugin=[]), ".plugin: must be an object"),
        (
            lambda t: t["plugin"].update(monthly_fee=10**9),
            ".plugin.monthly_fee: must be a whole number from 0 to 100,000,000",
        ),
        (
            lambda t: t["integration_service"].update(confirmed="yes"),
            ".integration_service.confirmed: must be true or false",
        ),
        (lambda t: t["guest_user"].pop("min_users"), ".guest_user.min_users: required"),
        (lambda t: t["guest_user"].update(note_en=3), ".guest_user.note_en: must be a string"),
    ],
)
def test_every_problem_is_reported_with_its_path(table, change, problem):
    change(table)
    problems = validate_price_table(table)
    assert any(p.startswith(problem) for p in problems), problems
    assert all(p.startswith((".", "[")) for p in problems)


def test_several_problems_are_all_listed(table):
    table["currency"] = 1
    table["courses"][0]["min_users"] = -5
    table["plugin"]["confirmed"] = None
    assert len(validate_price_table(table)) == 3


def test_a_table_that_is_not_an_object(table):
    assert validate_price_table([table]) == [": must be an object"]


def test_catalog_validation_prefixes_the_paths(table):
    data = kintone_catalog()
    data["price_table"]["courses"][1]["min_users"] = "10"
    problems = validate_catalog(data)
    assert problems == [
        "price_table.courses[1].min_users: must be a whole number from 1 to 1,000,000"
    ]
    data["price_table"] = "cheap"
    assert validate_catalog(data) == ["price_table: must be an object"]


def test_null_price_table_is_allowed():
    assert validate_catalog(tiny_catalog(price_table=None)) == []


@pytest.mark.django_db
def test_import_refuses_a_bad_table_and_writes_nothing():
    data = kintone_catalog()
    data["price_table"]["default_course"] = "gold"
    before = Catalog.objects.count()
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(data)
    assert any(p.startswith("price_table.default_course:") for p in caught.value.problems)
    assert Catalog.objects.count() == before


@pytest.mark.django_db
def test_the_table_round_trips_through_import_and_export(catalog):
    assert catalog.price_table == kintone_catalog()["price_table"]
    assert catalog_to_dict(catalog)["price_table"] == kintone_catalog()["price_table"]


@pytest.mark.django_db
class TestAdmin:
    @pytest.fixture
    def editor(self, client, staff):
        staff.is_superuser = True
        staff.save()
        client.force_login(staff)
        return client

    @pytest.fixture
    def draft(self, catalog):
        return catalog_new_draft(catalog, version="1.1.0")

    def test_it_shows_the_table_of_a_published_version_read_only(self, editor, catalog):
        response = editor.get(reverse("admin:patterns_catalog_change", args=[catalog.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Price table" in html or "price_table" in html
        assert "スタンダードコース" in html  # shown as JSON, not \\u escapes
        assert 'name="price_table"' not in html  # published: not editable

    def test_a_draft_table_is_edited_and_checked(self, editor, draft):
        url = reverse("admin:patterns_catalog_change", args=[draft.pk])
        response = editor.get(url)
        assert 'name="price_table"' in response.content.decode()

        form = response.context["adminform"].form
        data = {
            name: form.initial.get(name, field.initial)
            for name, field in form.fields.items()
            if name != "price_table"
        }
        data = {k: ("" if v is None else v) for k, v in data.items()}
        for prefix in ("criteria", "patterns", "steps"):
            data.update(
                {
                    f"{prefix}-TOTAL_FORMS": "0",
                    f"{prefix}-INITIAL_FORMS": "0",
                }
            )
        bad = copy.deepcopy(draft.price_table)
        bad["courses"][0]["min_users"] = -1
        response = editor.post(url, {**data, "price_table": json.dumps(bad)})
        assert response.status_code == 200  # the form again, with the problem
        assert "price_table.courses[0].min_users" in response.content.decode()
        draft.refresh_from_db()
        assert draft.price_table["courses"][0]["min_users"] == 10

        good = copy.deepcopy(draft.price_table)
        good["courses"][1]["price_per_user_month"] = 2000
        response = editor.post(url, {**data, "price_table": json.dumps(good)})
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.price_table["courses"][1]["price_per_user_month"] == 2000
