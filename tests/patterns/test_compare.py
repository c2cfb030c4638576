"""A catalog's comparison page, its CSV export and the selection rules (patterns/compare.py)."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from patterns.compare import select_patterns
from patterns.services import catalog_import
from tests.catalog_data import tiny_catalog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_bob(client, bob):
    client.force_login(bob)
    return client


ALL = ["guest_space", "inter_org_access", "external_service", "separate_domain"]


def catalog_compare_url(catalog, query=""):
    url = reverse("patterns:catalog_compare", args=[catalog.slug])
    return url + (f"?{query}" if query else "")


def shown(response):
    return [column["key"] for column in response.context["columns"]]


def problems(response):
    return response.context["selection"].problems


def read_csv(response):
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    text = body.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text)))


@translation.override("en")
def test_select_patterns_rules():
    keys = ["a", "b", "c", "d", "e", "f"]
    assert select_patterns(keys, []).keys == ["a", "b", "c", "d"]
    assert select_patterns(keys, [], fallback=["f", "e", "d", "c", "b", "a"]).keys == [
        "c",
        "d",
        "e",
        "f",
    ]  # the best four, shown in catalog order
    chosen = select_patterns(keys, ["e", "b"])
    assert (chosen.keys, chosen.problems) == (["b", "e"], [])
    assert select_patterns(keys, ["b", "b", "e"]).keys == ["b", "e"]  # duplicates count once

    too_many = select_patterns(keys, ["f", "a", "b", "c", "d"])
    assert too_many.keys == ["a", "b", "c", "f"]  # the first four chosen, in catalog order
    assert "at most 4" in too_many.problems[0]

    too_few = select_patterns(keys, ["c"], fallback=["f", "c", "a"], label=str.upper)
    assert too_few.keys == ["c", "f"]
    assert "at least 2" in too_few.problems[0] and "“F”" in too_few.problems[0]

    unknown = select_patterns(keys, ["a", "zz", "b", "<x>"])
    assert unknown.keys == ["a", "b"]
    assert "“zz”" in unknown.problems[0] and "“<x>”" in unknown.problems[0]

    by_score = select_patterns(keys, ["a", "c"], order="score", ranking=["c", "b", "a"])
    assert by_score.keys == ["c", "a"] and by_score.query() == "p=c&p=a&order=score"
    assert select_patterns(keys, ["a", "c"], order="score").order == "catalog"  # no ranking
    assert select_patterns(keys, ["a", "c"], order="sideways").order == "catalog"


def test_more_than_four_on_a_catalog_with_six_options(client_bob):
    data = tiny_catalog(slug="six")
    template = data["patterns"][0]
    for key in ("c", "d", "e", "f"):
        data["patterns"].append(
            {
                **template,
                "key": key,
                "name_ja": key.upper(),
                "name_en": key.upper(),
                "statements": [{**template["statements"][0], "key": f"{key}-c"}],
            }
        )
    six, _ = catalog_import(data)
    response = client_bob.get(catalog_compare_url(six, "p=a&p=b&p=c&p=d&p=e&p=f"))
    assert response.status_code == 200
    assert shown(response) == ["a", "b", "c", "d"]
    assert "4" in problems(response)[0]
    assert shown(client_bob.get(catalog_compare_url(six))) == ["a", "b", "c", "d"]


def test_unknown_keys_on_the_catalog_page(client_bob, catalog):
    response = client_bob.get(catalog_compare_url(catalog, "p=guest_space&p=moon_base"))
    assert response.status_code == 200
    assert shown(response) == ["guest_space", "inter_org_access"]
    assert len(problems(response)) == 2  # unknown, then too few
    assert "moon_base" in response.content.decode()


def test_catalog_page_lists_the_prices(client_bob, catalog):
    response = client_bob.get(catalog_compare_url(catalog))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1,800" in html and "3,000" in html and "2024-11-01" in html
    assert "<svg" not in html  # no scores without answers


def test_catalog_comparison_needs_login_and_a_published_catalog(client, catalog):
    response = client.get(catalog_compare_url(catalog))
    assert response.status_code == 302
    client.force_login(UserFactory())
    assert client.get(catalog_compare_url(catalog)).status_code == 200
    assert client.get(reverse("patterns:catalog_compare", args=["nope"])).status_code == 404
    assert client.post(catalog_compare_url(catalog)).status_code == 405


def test_catalog_csv(client_bob, catalog):
    response = client_bob.get(reverse("patterns:catalog_compare_csv", args=[catalog.slug]))
    assert response["Content-Disposition"] == (
        'attachment; filename="kintone-external-collaboration-1.0.0-comparison.csv"'
    )
    rows = read_csv(response)
    assert len(rows) == 4 * 5
    assert {r["pattern"] for r in rows} == set(ALL)
    assert all(r["statements_ja"] and r["statements_en"] for r in rows)
    assert "[メリット]" in "".join(r["statements_ja"] for r in rows)
    assert "[Merit]" in "".join(r["statements_en"] for r in rows)


def test_csv_cells_cannot_become_formulas(client_bob, team, alice):
    data = tiny_catalog(slug="evil")
    data["patterns"][0]["name_en"] = "=HYPERLINK(1)"
    evil, _ = catalog_import(data)
    response = client_bob.get(reverse("patterns:catalog_compare_csv", args=[evil.slug]))
    assert read_csv(response)[0]["pattern_name_en"] == "'=HYPERLINK(1)"


def test_catalog_comparison_queries(client_bob, catalog, django_assert_num_queries):
    # 1 session, 2 user, 3 latest published catalog, 4 patterns (the picker), 5 patterns
    # (the grid), 6 their use cases (prefetch), 7 criteria, 8 statements
    with django_assert_num_queries(8):
        response = client_bob.get(catalog_compare_url(catalog))
    assert response.status_code == 200
    with django_assert_num_queries(8):
        client_bob.get(catalog_compare_url(catalog, "p=guest_space&p=external_service"))
    with django_assert_num_queries(8):
        client_bob.get(reverse("patterns:catalog_compare_csv", args=[catalog.slug]))
