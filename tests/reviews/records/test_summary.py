"""Page 1's summary and the changes since a request (reviews/records/summary.py, changes.py),
from the golden record's content: no database."""

import dataclasses
import datetime
import json

import pytest

from reviews.records.changes import content_changes
from reviews.records.content import RecordContent
from reviews.records.summary import japanese_date, record_date, record_summary
from tests.reviews.records import scenarios

LABELS = {"senior": "承認", "approver": "確認", "reviewer": "担当"}


@pytest.fixture
def content():
    data = json.loads((scenarios.GOLDEN / "approved.json").read_text(encoding="utf-8"))
    return RecordContent.from_json(data)


@pytest.mark.parametrize(
    "day, text",
    [
        (datetime.date(2026, 12, 1), "2026年（令和8年）12月1日"),
        (datetime.date(2019, 5, 1), "2019年（令和元年）5月1日"),
        (datetime.date(2019, 4, 30), "2019年（平成31年）4月30日"),
        (datetime.date(1989, 1, 8), "1989年（平成元年）1月8日"),
    ],
)
def test_japanese_dates_carry_the_era(day, text):
    assert japanese_date(day) == text


def test_dates_are_iso_with_the_era_on_japanese_records():
    assert (
        record_date("2026-12-01T09:00:00+09:00", "ja") == "2026-12-01（2026年（令和8年）12月1日）"
    )
    assert record_date("2026-12-01T09:00:00+09:00", "en") == "2026-12-01"
    assert record_date(None, "ja") == ""


def test_the_summary_names_the_decision_why_risks_and_boxes(content):
    summary = record_summary(content, LABELS)
    assert summary.chosen == content.decision.name
    assert summary.why[0] == "費用を優先する。" and 1 <= len(summary.why) <= 3
    assert summary.follows is False  # guest_space is not the recommended option
    assert [r.owner for r in summary.risks] == ["Alice Abe", "経理 [部]"]
    assert summary.cost and summary.cost["monthly_display"]
    # most senior (last in the route) leftmost, the reviewer's 担当 box at the right
    assert [(b.label, b.name, b.field) for b in summary.boxes] == [
        ("承認", "Dave Doi", "approver-2"),
        ("確認", "Carol Chiba", "approver-1"),
        ("担当", "Alice Abe", None),
    ]


def test_nothing_changed_is_no_change(content):
    assert content_changes(content, content) == []


def test_changes_name_the_parts_that_differ(content):
    decision = dataclasses.replace(
        content.decision, justification="新しい理由", pattern="x", name="X"
    )
    risks = content.risks[:1]
    after = dataclasses.replace(content, decision=decision, risks=risks)
    changes = content_changes(content, after)
    assert [(c.before, c.after) for c in changes if c.after == "X"] == [
        (content.decision.name, "X")
    ]
    assert any(c.after == "新しい理由" for c in changes)
    assert any(c.before.startswith("費用") and not c.after for c in changes)  # a risk removed
