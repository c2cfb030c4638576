"""The catalog pages: login, both languages, the 4 x 5 grid, constant queries."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client):
    client.force_login(UserFactory())
    return client


def test_it_requires_login(catalog, client):
    url = reverse("patterns:catalog_detail", args=[catalog.slug])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_all_patterns_and_criteria_in_japanese_by_default(catalog, logged_in):
    response = logged_in.get(reverse("patterns:catalog_detail", args=[catalog.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    for name in [
        "ゲストスペースでの運用",
        "組織間のアクセス権を有効にする",
        "外部連携サービスを利用する",
        "別ドメインを用意する",
    ]:
        assert name in html
    grid = response.context["rows"]
    assert [c.key for c, _ in grid] == [
        "app_linkage",
        "user_management",
        "security",
        "use_cases",
        "cost",
    ]
    assert all(len(cells) == 4 and all(cells) for _, cells in grid)
    assert '<html lang="ja">' in html


def test_it_speaks_english_when_asked(catalog, logged_in):
    logged_in.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = logged_in.get(reverse("patterns:catalog_detail", args=[catalog.slug]))
    html = response.content.decode()
    assert '<html lang="en">' in html
    headers = [p.name() for p in response.context["patterns"]]
    assert headers[0].startswith("Run the exchange in a Guest Space")
    assert "ゲストスペースでの運用</th>" not in html


def test_it_sends_a_strict_content_security_policy(catalog, logged_in):
    response = logged_in.get(reverse("patterns:catalog_detail", args=[catalog.slug]))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_unknown_catalog_is_404(logged_in):
    assert logged_in.get(reverse("patterns:catalog_detail", args=["nope"])).status_code == 404


def test_catalog_page_queries_do_not_grow_with_the_catalog(
    catalog, logged_in, django_assert_num_queries
):
    url = reverse("patterns:catalog_detail", args=[catalog.slug])
    # 1 session, 2 user, 3 latest published catalog, 4 patterns, 5 use cases (prefetch),
    # 6 criteria, 7 statements
    with django_assert_num_queries(7):
        logged_in.get(url)


def test_catalog_list_queries(catalog, logged_in, django_assert_num_queries):
    # 1 session, 2 user, 3 published catalogs
    with django_assert_num_queries(3):
        response = logged_in.get(reverse("patterns:catalog_list"))
    assert catalog.slug in response.content.decode()
