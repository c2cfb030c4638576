"""`recommend` command and the JSON API, including their errors."""

import base64
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from patterns.kinds.kintone.scenarios import S1, S2
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def run_recommend(*args):
    out = io.StringIO()
    call_command("recommend", *args, stdout=out)
    return out.getvalue()


def test_recommend_prints_the_contract_json(catalog, tmp_path):
    path = tmp_path / "s2.json"
    path.write_text(json.dumps(S2), encoding="utf-8")
    result = json.loads(
        run_recommend("--catalog", catalog.slug, "--answers", str(path), "--format", "json")
    )
    assert result["catalog"] == catalog.slug
    assert result["catalog_version"] == catalog.version
    assert result["answers"] == S2
    assert result["ranking"][0]["pattern"] == "inter_org_access"
    assert set(result) >= {"tie", "narrow", "ranking", "sensitivity"}
    entry = result["ranking"][0]
    assert set(entry) >= {"pattern", "rank", "score", "excluded", "exclusions", "reasons"}
    assert set(entry["reasons"][0]) >= {"question", "choice", "criterion", "effect", "text"}


def test_recommend_reads_stdin_and_prints_text(catalog, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(S1)))
    text = run_recommend("--catalog", catalog.slug, "--answers", "-", "--lang", "en")
    first = text.splitlines()[1]
    assert first.startswith("1. ") and "(guest_space)" in first
    assert "Sensitivity:" in text


def test_recommend_weights_change_scores(catalog, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(S2), encoding="utf-8")
    plain = json.loads(
        run_recommend("--catalog", catalog.slug, "--answers", str(path), "--format", "json")
    )
    heavy = json.loads(
        run_recommend(
            "--catalog",
            catalog.slug,
            "--answers",
            str(path),
            "--format",
            "json",
            "--weights",
            '{"security": 3}',
        )
    )
    assert heavy["weights"]["security"] == 3
    assert plain["ranking"] != heavy["ranking"] or not any(
        r["criterion"] == "security" for e in plain["ranking"] for r in e["reasons"]
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            '{"partner_count": "lots"}',
            "unknown choice 'lots' for 'partner_count'; allowed: one, few, many, open",
        ),
        ('{"colour": "red"}', "unknown question 'colour'; allowed: partner_count"),
        ("{not json", "answers: not valid JSON"),
    ],
)
def test_recommend_bad_input_exits_2_with_one_line(catalog, tmp_path, payload, message):
    path = tmp_path / "bad.json"
    path.write_text(payload, encoding="utf-8")
    with pytest.raises(CommandError) as info:
        run_recommend("--catalog", catalog.slug, "--answers", str(path))
    assert info.value.returncode == 2
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_recommend_unknown_catalog_exits_2(catalog, tmp_path):
    path = tmp_path / "a.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        run_recommend("--catalog", "nope", "--answers", str(path))
    assert info.value.returncode == 2


def test_recommend_bad_weights_exit_2(catalog, tmp_path):
    path = tmp_path / "a.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        run_recommend(
            "--catalog", catalog.slug, "--answers", str(path), "--weights", '{"speed": 2}'
        )
    assert info.value.returncode == 2
    assert "unknown criterion 'speed'" in str(info.value)


@pytest.fixture
def api_client(client):
    client.force_login(UserFactory())
    return client


def test_api_recommend_returns_the_same_json(catalog, api_client):
    url = reverse("patterns:api_recommend", args=[catalog.slug])
    response = api_client.post(url, data=json.dumps(S1), content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["ranking"][0]["pattern"] == "guest_space"
    assert body["answers"] == S1


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("{nope", "not valid JSON"),
        ('{"partner_count": "lots"}', "unknown choice 'lots'"),
        ('["x"]', "answers must be a JSON object"),
    ],
)
def test_api_recommend_bad_input_is_400_with_an_error(catalog, api_client, body, fragment):
    url = reverse("patterns:api_recommend", args=[catalog.slug])
    response = api_client.post(url, data=body, content_type="application/json")
    assert response.status_code == 400
    assert fragment in response.json()["error"]


def test_api_requires_authentication_and_accepts_basic_auth(catalog, client):
    url = reverse("patterns:api_catalog", args=[catalog.slug])
    response = client.get(url)
    assert response.status_code == 401
    assert response.json() == {"error": "authentication required"}
    UserFactory(username="script", password="pw-for-tests")
    token = base64.b64encode(b"script:pw-for-tests").decode()
    response = client.get(url, HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 200
    assert response.json()["slug"] == catalog.slug
    bad = base64.b64encode(b"script:wrong").decode()
    assert client.get(url, HTTP_AUTHORIZATION=f"Basic {bad}").status_code == 401


def test_api_catalog_unknown_slug_is_404(api_client, db):
    assert api_client.get(reverse("patterns:api_catalog", args=["nope"])).status_code == 404


def test_api_recommend_wrong_method(catalog, api_client):
    url = reverse("patterns:api_recommend", args=[catalog.slug])
    assert api_client.get(url).status_code == 405
