"""Catalog kinds: a catalog names its kind, generic code looks it up, unknown kinds are refused."""

import json

import pytest
from django.urls import reverse

from patterns import kinds
from patterns.kinds.base import CostInputsForm
from patterns.kinds.kintone import KIND as KINTONE
from patterns.models import Catalog
from patterns.services import (
    CatalogImportError,
    catalog_import,
    catalog_new_draft,
    catalog_to_dict,
)
from patterns.validation import validate_catalog
from tests.catalog_data import kintone_catalog, tiny_catalog


def test_it_finds_a_kind_by_its_key():
    assert kinds.get("kintone") is KINTONE
    assert kinds.KINDS == {"kintone": KINTONE}
    assert issubclass(KINTONE.cost_inputs_form, CostInputsForm)


def test_an_unknown_kind_is_a_clear_error():
    with pytest.raises(kinds.UnknownKind) as caught:
        kinds.get("salesforce")
    assert str(caught.value) == "unknown catalog kind 'salesforce'; the known kinds are: kintone"
    assert isinstance(caught.value, LookupError)


def test_a_catalog_names_its_kind():
    assert kinds.for_catalog(Catalog(slug="x", version="1", kind="kintone")) is KINTONE
    with pytest.raises(kinds.UnknownKind, match="unknown catalog kind 'gone'"):
        kinds.for_catalog(Catalog(slug="x", version="1", kind="gone"))
    with pytest.raises(kinds.UnknownKind, match="catalog x 1 names no kind"):
        kinds.for_catalog(Catalog(slug="x", version="1"))


def test_the_shipped_catalog_is_a_kintone_catalog():
    data = kintone_catalog()
    assert data["kind"] == "kintone"
    assert validate_catalog(data) == []


@pytest.mark.parametrize("kind", ["salesforce", "", 3, None])
def test_validation_refuses_an_unknown_kind(kind):
    data = tiny_catalog(kind=kind)
    assert validate_catalog(data) == [
        "kind: must be one of: kintone (leave it out for a catalog without a kind)"
    ]


def test_a_catalog_without_a_kind_has_no_price_table():
    assert validate_catalog(tiny_catalog()) == []  # scored and shown like any other
    data = tiny_catalog(price_table=kintone_catalog()["price_table"])
    assert validate_catalog(data) == [
        'price_table: needs the catalog\'s kind ("kind"), whose code reads the table'
    ]
    data["kind"] = "kintone"
    assert validate_catalog(data) == []  # the kind's schema checks the table


def test_an_unknown_kind_does_not_check_the_table():
    data = kintone_catalog()
    data["kind"] = "gone"
    data["price_table"]["currency"] = "yen"
    assert [p.split(":")[0] for p in validate_catalog(data)] == ["kind"]


@pytest.mark.django_db
def test_the_kind_round_trips_through_import_and_export(catalog):
    assert catalog.kind == "kintone"
    assert catalog_to_dict(catalog)["kind"] == "kintone"
    tiny, _ = catalog_import(tiny_catalog())
    assert tiny.kind == ""
    assert "kind" not in catalog_to_dict(tiny)  # absent, as in the file
    assert catalog_to_dict(tiny) == tiny_catalog()
    assert catalog_import(tiny_catalog()) == (tiny, False)  # the same content: a no-op


@pytest.mark.django_db
def test_import_refuses_an_unknown_kind_and_writes_nothing():
    data = kintone_catalog()
    data["kind"] = "gone"
    before = Catalog.objects.count()
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(data)
    assert caught.value.problems[0].startswith("kind: must be one of: kintone")
    assert Catalog.objects.count() == before


@pytest.mark.django_db
def test_the_admin_checks_a_drafts_kind(client, staff, catalog):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    draft = catalog_new_draft(catalog, version="1.1.0")
    url = reverse("admin:patterns_catalog_change", args=[draft.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["price_table"] = json.dumps(draft.price_table)
    for prefix in ("criteria", "patterns", "steps"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    response = client.post(url, {**data, "kind": "gone"})
    assert response.status_code == 200  # the form again, with the problem
    assert "kind: must be one of: kintone" in response.content.decode()
    response = client.post(url, {**data, "kind": ""})
    assert response.status_code == 200
    assert "price_table: needs the catalog" in response.content.decode()
    draft.refresh_from_db()
    assert draft.kind == "kintone"
    response = client.post(url, data)
    assert response.status_code == 302
