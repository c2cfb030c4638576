"""Catalog format 2 (when, basis, choice weights, series, guidance): validation with paths,
exact round trip, the version new reviews and `recommend` use, and bad input."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from patterns.models import Catalog
from patterns.services import catalog_import, catalog_to_dict
from patterns.validation import validate_catalog
from tests.catalog_data import kintone_catalog, kintone_catalog_11, tiny_catalog
from tests.factories import UserFactory


def tiny_v2(**overrides):
    data = tiny_catalog(format=2, **overrides)
    data["source"]["series"] = "Tests"
    data["source"]["publisher"] = "Tests"
    data["guidance_ja"] = data["guidance_en"] = ""
    for pattern in data["patterns"]:
        for statement in pattern["statements"]:
            del statement["source_section"]
            statement["basis"] = {"type": "inference"}
    return data


def test_a_format_2_file_is_valid():
    assert validate_catalog(tiny_v2()) == []


def test_format_2_problems_are_reported_with_their_paths():
    data = tiny_v2()
    data["patterns"][0]["statements"][0]["basis"] = {"type": "inference", "section": "x"}
    data["patterns"][1]["statements"][0]["basis"] = {"type": "guide"}
    choice = data["steps"][0]["questions"][0]["choices"][0]
    choice["effects"][0]["when"] = {"q2": ["zz"], "q1": ["y"]}
    choice["weights"] = {"c": 4}
    problems = validate_catalog(data)
    assert "patterns[0].statements[0].basis.section: unknown field" in problems
    assert "patterns[1].statements[0].basis.section: required" in problems
    assert (
        "steps[0].questions[0].choices[0].effects[0].when.q2: unknown choice 'zz'; allowed: p, no"
        in problems
    )
    assert (
        "steps[0].questions[0].choices[0].effects[0].when.q1: a condition cannot name the "
        "effect's own question" in problems
    )
    assert "steps[0].questions[0].choices[0].weights.c: must be a whole number from 0 to 3" in (
        problems
    )


def test_format_1_refuses_format_2_fields():
    data = tiny_catalog()
    data["steps"][0]["questions"][0]["choices"][0]["effects"][0]["when"] = {"q2": ["p"]}
    assert validate_catalog(data) == [
        "steps[0].questions[0].choices[0].effects[0].when: unknown field (conditions need format 2)"
    ]


def test_an_unanswered_condition_is_not_met():
    from patterns import scoring

    data = tiny_v2()
    data["steps"][0]["questions"][0]["choices"][0]["effects"][0]["when"] = {"q2": ["p"]}
    assert scoring.rank(data, {"q1": "x"}).entry("a").earned == 0
    assert scoring.rank(data, {"q1": "x", "q2": "p"}).entry("a").earned == 3


@pytest.mark.django_db
def test_1_1_round_trips_exactly_and_is_the_newest():
    data = kintone_catalog_11()
    new, created = catalog_import(data)
    assert created
    assert catalog_to_dict(new) == data
    assert Catalog.objects.latest_published(data["slug"]).version == "1.1.0"
    assert catalog_to_dict(Catalog.objects.get(slug=data["slug"], version="1.0.0")) == (
        kintone_catalog()
    )


@pytest.mark.django_db
def test_import_publishes_the_newest_version_last_whatever_the_file_order(tmp_path):
    new, old = tmp_path / "a.json", tmp_path / "b.json"
    # published versions cannot be deleted: the same two files under a slug not yet imported
    new.write_text(json.dumps({**kintone_catalog_11(), "slug": "copy"}), encoding="utf-8")
    old.write_text(json.dumps({**kintone_catalog(), "slug": "copy"}), encoding="utf-8")
    call_command("import_catalog", str(new), str(old), verbosity=0)
    first = Catalog.objects.published().filter(slug="copy").order_by("-published_at", "-pk").first()
    assert first.version == "1.1.0"


@pytest.mark.django_db
def test_recommend_uses_the_newest_version_unless_pinned(tmp_path):
    catalog_import(kintone_catalog_11())
    answers = tmp_path / "a.json"
    answers.write_text("{}", encoding="utf-8")
    args = ["--catalog", "kintone-external-collaboration", "--answers", str(answers)]
    out = io.StringIO()
    call_command("recommend", *args, "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["catalog_version"] == "1.1.0"
    out = io.StringIO()
    call_command("recommend", *args, "--catalog-version", "1.0.0", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["catalog_version"] == "1.0.0"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"[" * 100000 + b"]" * 100000, "nested deeper than 20 levels"),
        ('{"partner_count": "ひとつ"}'.encode("shift_jis"), "not UTF-8 text"),
        (b'{"partner_count": "' + b"x" * 5000 + b'"}', "…"),
        (b'{"' + b"y" * 5000 + b'": "one"}', "…"),
        (b'{"partner_count": {"a": [[[1]]]}}', "<a JSON object>"),
    ],
    ids=["deep", "shift_jis", "long-choice", "long-key", "object-choice"],
)
def test_bad_answers_exit_2_with_one_short_line(tmp_path, raw, fragment):
    path = tmp_path / "answers.json"
    path.write_bytes(raw)
    with pytest.raises(CommandError) as info:
        call_command(
            "recommend", "--catalog", "kintone-external-collaboration", "--answers", str(path)
        )
    message = str(info.value)
    assert info.value.returncode == 2
    assert fragment in message and "\n" not in message and len(message) < 600


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [b"[" * 100000 + b"]" * 100000, '{"partner_count": "ひとつ"}'.encode("shift_jis")],
    ids=["deep", "shift_jis"],
)
def test_the_api_answers_400_to_bad_input(client, raw):
    client.force_login(UserFactory())
    url = reverse("patterns:api_recommend", args=["kintone-external-collaboration"])
    response = client.post(url, data=raw, content_type="application/json")
    assert response.status_code == 400
    assert "\n" not in response.json()["error"]


@pytest.mark.django_db
def test_a_byte_order_mark_is_still_utf_8(tmp_path):
    path = tmp_path / "answers.json"
    path.write_bytes(b'\xef\xbb\xbf{"partner_count": "one"}')
    out = io.StringIO()
    call_command(
        "recommend",
        "--catalog",
        "kintone-external-collaboration",
        "--answers",
        str(path),
        "--format",
        "json",
        stdout=out,
    )
    assert json.loads(out.getvalue())["answers"] == {"partner_count": "one"}
