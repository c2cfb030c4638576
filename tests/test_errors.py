"""Branded error pages in both languages with a way back; JSON errors under /api/
(config/errors.py)."""

import base64

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def test_404_is_branded_in_japanese_by_default(client, alice):
    client.force_login(alice)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in html(response) and 'lang="ja"' in html(response)
    assert 'href="/"' in html(response)  # the way back
    assert 'id="language-select"' in html(response)


def test_404_in_english_and_for_an_anonymous_visitor(client):
    response = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "Page not found" in html(response)
    assert reverse("login") in html(response)  # not logged in: a link to log in


def test_a_hidden_review_is_the_same_branded_404(client, review, charlie):
    client.force_login(charlie)
    response = client.get(reverse("reviews:detail", args=[review.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and "Page not found" in html(response)


def test_403_is_branded_and_htmx_gets_the_message_only(client, review, bob):
    client.force_login(bob)
    edit = reverse("reviews:edit", args=[review.pk])
    response = client.get(edit, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "You may not do this" in html(response) and "Back to the dashboard" in html(response)
    fragment = client.get(edit, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 403
    assert "この操作は許可されていません" in html(fragment) and "<html" not in html(fragment)


def test_csrf_failure_is_branded_in_both_languages(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 403 and "このフォームは有効期限が切れています" in html(response)
    response = client.post(reverse("logout"), HTTP_ACCEPT_LANGUAGE="en")
    assert "This form has expired" in html(response)
    assert 'href="/"' in html(response)


@override_settings(ROOT_URLCONF="tests.error_urls")
def test_500_renders_without_the_request_context(alice):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "サーバー側で問題が発生しました" in html(response) and 'href="/"' in html(response)
    assert "<form" not in html(response)  # no CSRF token without the request: no form
    assert "alice" not in html(response)  # no user either
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Something went wrong on our side" in html(response)


@override_settings(ROOT_URLCONF="tests.error_urls")
def test_the_api_answers_json_errors():
    client = Client(raise_request_exception=False)
    assert client.get("/api/boom").json() == {"error": "internal server error"}
    assert client.get("/api/nothing-here").json() == {"error": "not found"}


def basic(user):
    token = base64.b64encode(f"{user.username}:pw-for-tests".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_api_errors_are_json_with_their_status(client, alice, catalog):
    catalog_url = reverse("patterns:api_catalog", args=[catalog.slug])
    recommend_url = reverse("patterns:api_recommend", args=[catalog.slug])
    response = client.post(catalog_url, **basic(alice))
    assert response.status_code == 405 and response.json() == {"error": "method not allowed"}
    assert response["Allow"] == "GET"
    response = client.get(recommend_url, **basic(alice))
    assert response.status_code == 405 and response["Allow"] == "POST"
    response = client.get(reverse("patterns:api_catalog", args=["nope"]), **basic(alice))
    assert response.status_code == 404 and response.json() == {"error": "not found"}
    response = client.post(recommend_url, "{", content_type="application/json", **basic(alice))
    assert response.status_code == 400 and "not valid JSON" in response.json()["error"]
    response = client.get(catalog_url)
    assert response.status_code == 401 and response.json() == {"error": "authentication required"}


def test_pages_outside_the_api_keep_html_errors(client, alice):
    client.force_login(alice)
    response = client.post(reverse("patterns:catalog_list"))
    assert response.status_code == 405
    assert not response.get("Content-Type", "").startswith("application/json")
