"""Hostile input at the edge: invalid characters are refused (400) on every input path before
any view or database sees them; bidi controls are isolated in pages; wrong methods get 405;
oversized bodies are refused from their Content-Length, before they are read."""

import io
import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.input import has_invalid_text
from config.middleware import _isolate_text_nodes
from reviews.models import Answer, Review

BAD = ["\x00", "a\x01b", "\x1f", "\ud800", "\ufffe", "\uffff"]
GOOD = ["plain", "tab\there", "line\nbreak\r\n", "日本語", "emoji 🎉", "\u202e rtl", "\x7f"]


@pytest.mark.parametrize("text", BAD)
def test_invalid_characters_are_recognised(text):
    assert has_invalid_text(text)


@pytest.mark.parametrize("text", GOOD)
def test_ordinary_text_passes(text):
    assert not has_invalid_text(text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/?q=a%00b", "/?status=%00", "/catalogs/kintone-external-collaboration/?version=1%00"]
)
def test_query_strings_with_nul_are_400(client_alice, path):
    assert client_alice.get(path).status_code == 400


@pytest.mark.django_db
def test_a_query_key_or_a_path_with_nul_is_400(client_alice, review):
    assert client_alice.get("/?q%00=x").status_code == 400
    assert client_alice.get(f"/reviews/{review.pk}/record.pdf%00").status_code == 400


@pytest.mark.django_db
def test_the_api_refuses_nul_in_query_and_json_body(client_alice, catalog):
    url = reverse("patterns:api_catalog", args=[catalog.slug])
    response = client_alice.get(url + "?version=1%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    url = reverse("patterns:api_recommend", args=[catalog.slug])
    for body in ['{"partner_count": "one\\u0000"}', '{"\\u0000": "x"}', '{"a": ["\\ud800"]}']:
        response = client_alice.post(url, body, content_type="application/json")
        assert response.status_code == 400, body
        assert "error" in response.json()
    # the same body sent as a form by a careless script is read as JSON too
    response = client_alice.post(
        url, '{"partner_count": "one\\u0000"}', content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    ok = client_alice.post(
        url, json.dumps({"partner_count": "one"}), content_type="application/json"
    )
    assert ok.status_code == 200


@pytest.mark.django_db
def test_a_form_post_with_nul_changes_nothing(client_alice, review):
    url = reverse("reviews:answer", args=[review.pk, "partner_count"])
    response = client_alice.post(url, {"partner_count": "one", "note-partner_count": "a\x00b"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert not Answer.objects.filter(review=review).exists()
    response = client_alice.post(reverse("reviews:new"), {"title": "x\x00", "team": review.team_id})
    assert response.status_code == 400
    assert Review.objects.count() == 1


@pytest.mark.django_db
def test_an_upload_name_never_reaches_a_view_with_a_control_character(client_alice):
    """Django drops non-printable characters from upload names; the guard checks the rest."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory

    upload = io.BytesIO(b"%PDF-1.4")
    upload.name = "record\x00\x1f.pdf"
    response = client_alice.post("/verify/", {"file": upload})
    assert response.status_code in (200, 400)
    request = RequestFactory().post("/verify/", {"file": SimpleUploadedFile("a\x00b.pdf", b"x")})
    assert request.FILES["file"].name == "ab.pdf"


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_before_it_is_read(client_alice, settings):
    limit = settings.MAX_REQUEST_BODY["/verify/"]
    read = []

    class Body(io.BytesIO):
        def read(self, *args):
            read.append(args)
            return super().read(*args)

    response = client_alice.generic(
        "POST",
        "/verify/",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(limit + 1),
        **{"wsgi.input": Body(b"")},
    )
    assert response.status_code == 413
    assert read == []
    # elsewhere the default limit is smaller
    response = client_alice.generic(
        "POST", "/reviews/new/", b"", CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY["default"] + 1)
    )
    assert response.status_code == 413


def test_bidi_controls_are_isolated_in_text_nodes_not_in_raw_text():
    html = (
        "<title>\u202eevil</title><p>by <a>\u202eevil</a> on</p><textarea>\u202ekeep</textarea>"
    ).encode()
    out = _isolate_text_nodes(html).decode()
    assert "<a><bdi>\u202eevil</bdi></a>" in out
    assert "<title>\u202eevil</title>" in out  # raw text: a tag would show
    assert "<textarea>\u202ekeep</textarea>" in out  # a form value stays as it was


@pytest.mark.django_db
def test_a_title_with_a_right_to_left_override_is_isolated_on_the_pages(client_alice, review):
    review.title = "Portal \u202egnp.exe"
    review.save()
    for url in ["/", reverse("reviews:detail", args=[review.pk])]:
        html = client_alice.get(url).content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        isolated = re.findall(r"<bdi>[^<]*\u202e[^<]*</bdi>", html)
        assert isolated, url
        assert len(isolated) + title.count("\u202e") == html.count("\u202e"), url


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


@pytest.mark.django_db
def test_every_view_answers_405_to_a_method_it_does_not_take(client, staff, review):
    client.force_login(staff)
    args = {
        "<int:pk>": str(review.pk),
        "<slug:step>": "partners",
        "<slug:question>": "q",
        "<int:risk>": "1",
        "<str:fmt>": "pdf",
        "<slug:slug>": review.catalog.slug,
    }
    checked = 0
    for route, _entry in _patterns():
        if route.startswith("admin/") or "<path:" in route or "(?P" in route:
            continue
        path = "/" + route
        for placeholder, value in args.items():
            path = path.replace(placeholder, value)
        for method in ("PUT", "PATCH", "DELETE"):
            status = client.generic(method, path).status_code
            assert status == 405, f"{method} {path}: {status}"
        checked += 1
    assert checked >= 25
