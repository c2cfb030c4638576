"""Two reviews built at fixed times, whose records are pinned byte for byte (golden/).

The golden files were written by the record code before it became the `reviews.records`
package; the refactoring (and any later one) must keep the canonical JSON, hence every
SHA-256, and the Markdown exactly as they were. Every step runs at a time of its own (the
clock is fixed while it runs), so the content does not depend on how often a step reads it.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from pathlib import Path

from django.utils import timezone

from patterns.kinds.kintone.scenarios import S2
from reviews.services import decisions, signoff
from reviews.services.answers import review_answer_save
from reviews.services.reviews import review_cost_inputs_save
from tests.factories import ReviewFactory
from tests.reviews.lifecycle_helpers import PASSWORD

GOLDEN = Path(__file__).resolve().parent / "golden"
START = datetime.datetime(2025, 4, 1, 0, 30, tzinfo=datetime.UTC)
NOTES = {
    "partner_count": "30社（協力会社）。\n2行目: <b>太字</b> [link](javascript:x) | a | b |",
    "internal_app_linkage": "1. not a list\n---\n* not a bullet",
}


@contextmanager
def at(monkeypatch, minutes: int):
    """Run a step at START + `minutes`, the clock standing still."""
    fixed = START + datetime.timedelta(minutes=minutes)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: fixed)
        yield


def approved_review(monkeypatch, *, catalog, team, alice, carol, dave):
    """Japanese, a revision, every answer of S2 with notes, weights, a cost estimate, an
    option other than the recommended one, two risks, sent back once, then signed by both."""
    with at(monkeypatch, 0):
        previous = ReviewFactory(pk=7001, team=team, owner=alice, catalog=catalog, title="前版")
        review = ReviewFactory(
            pk=7002,
            team=team,
            owner=alice,
            catalog=catalog,
            title='取引先ポータル <img src=x onerror="alert(1)"> & `code` *x*',
            context="30社の協力会社と見積をやり取りする。\n\n# not a heading\n- not a list",
            weights={"security": 2, "cost": 0},
            revision_of=previous,
        )
    for minute, (question, choice) in enumerate(S2.items(), start=1):
        with at(monkeypatch, minute):
            review_answer_save(
                review=review,
                user=alice,
                question=question,
                choice=choice,
                note=NOTES.get(question),
            )
    with at(monkeypatch, 10):
        review_cost_inputs_save(
            review=review,
            inputs={
                "course": "standard",
                "internal_users": 40,
                "external_users": 60,
                "external_own_account": 10,
                "paid_plugins": 2,
            },
        )
    with at(monkeypatch, 11):
        decisions.decision_save(
            review=review,
            user=alice,
            pattern="guest_space",
            justification="費用を優先する。\n<script>alert(1)</script>",
            consequences_good="- 安い\n* すぐ始められる\n\n・設定が簡単",
            consequences_bad="協力会社同士が見える危険",
            confirmation="3か月後に監査する。",
        )
    with at(monkeypatch, 12):
        decisions.risk_add(
            review=review,
            user=alice,
            description="設定ミスで <見える>",
            owner_user=alice,
            mitigation="2名で確認",
            review_on=datetime.date(2026, 3, 31),
        )
    with at(monkeypatch, 13):
        decisions.risk_add(review=review, user=alice, description="費用", owner_name="経理 [部]")
    with at(monkeypatch, 20):
        signoff.review_request_signoff(
            review=review, user=alice, approvers=[carol, dave], notify=False
        )
    with at(monkeypatch, 21):
        signoff.review_send_back(review=review, user=carol, reason="費用の根拠は?", notify=False)
    with at(monkeypatch, 30):
        signoff.review_request_signoff(
            review=review, user=alice, approvers=[carol, dave], notify=False
        )
    with at(monkeypatch, 31):
        signoff.review_sign(
            review=review, user=carol, password=PASSWORD, comment="OK です", notify=False
        )
    with at(monkeypatch, 32):
        signoff.review_sign(
            review=review, user=dave, password=PASSWORD, comment="承認 | **yes**", notify=False
        )
    review.refresh_from_db()
    return review


def draft_review(monkeypatch, *, catalog, team, alice):
    """English, nothing answered, no decision, no cost inputs: every empty branch."""
    with at(monkeypatch, 0):
        return ReviewFactory(
            pk=7101,
            team=team,
            owner=alice,
            catalog=catalog,
            title="Empty",
            context="",
            language="en",
        )
