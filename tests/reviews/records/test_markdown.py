"""The record in Markdown, MADR style (reviews/records/markdown.py)."""

import json

import pytest

from reviews import records
from tests.reviews.records import scenarios

SHA256 = "be74f67ba6b40ac2864f35c5896a13f490b9096f17bb0a1cc5a405f87b826d61"


def golden_content(name):
    return json.loads((scenarios.GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name, source, options",
    [
        ("approved", "approved", {"sha256": SHA256, "verify_url": "https://h/verify/"}),
        ("draft", "draft", {}),
        ("narrow", "approved", {}),
    ],
)
def test_it_keeps_the_pinned_markdown(name, source, options):
    content = golden_content(source)
    if name == "narrow":
        content["recommendation"].update(narrow=True, runner_up="external_service")
    expected = (scenarios.GOLDEN / f"{name}.md").read_text(encoding="utf-8")
    assert records.record_markdown(content, **options) == expected
