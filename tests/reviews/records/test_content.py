"""The record's content (reviews/records/content.py, built by sections.py): what it holds,
in which language, and its JSON round trip."""

import json

import pytest

from reviews.models import DecisionRecord
from reviews.records.content import AuditRow, RecordContent, SensitivityChange
from reviews.records.sections import record_content
from reviews.services import decisions
from reviews.services.answers import review_answer_save
from tests.reviews.lifecycle_helpers import approved, ready
from tests.reviews.records import scenarios

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_content_has_what_product_md_lists(review, alice, carol, dave, fake_pdf):
    review_answer_save(
        review=review, user=alice, question="partner_count", choice="many", note="30社"
    )
    decisions.risk_add(review=review, user=alice, description="設定ミス", owner_user=alice)
    approved(review, alice, [carol, dave], confirmation="3か月後に監査する")
    content = json.loads(DecisionRecord.objects.get(review=review).canonical_json)
    # the record is the content as sign-off was requested: what the approvers read and signed
    assert content["review"]["status"] == "in_review" and not content["review"]["approved_at"]
    assert content["review"]["team"] == {"slug": "acme", "name": "Acme IT"}
    assert content["catalog"]["slug"] == "kintone-external-collaboration"
    answers = {a["question"]: a for a in content["context"]["answers"]}
    assert len(answers) == 14 and answers["partner_count"]["note"] == "30社"
    assert content["decision_drivers"][0]["excludes"]
    assert [o["pattern"] for o in content["options"]] == [
        "guest_space",
        "inter_org_access",
        "external_service",
        "separate_domain",
    ]
    assert all(o["statements"] for o in content["options"])
    assert content["recommendation"]["winner"] == "inter_org_access"
    assert content["sensitivity"] and content["sensitivity"][0]["sentence"]
    assert content["decision"]["recommended"] and content["decision"]["confirmation"]
    assert content["risks"][0]["owner"] == "Alice Abe"
    assert [s["name"] for s in content["signoffs"]] == ["Carol Chiba", "Dave Doi"]
    assert all(s["state"] == "pending" and s["role"] == "approver" for s in content["signoffs"])
    assert [e["action"] for e in content["audit"]] == ["request_signoff"]


def test_an_english_review_is_recorded_in_english(review, alice, carol):
    review.language = "en"
    review.save()
    ready(review, alice, [carol])
    content = record_content(review)
    assert content.language == "en"
    names = {o.pattern: o.name for o in content.options}
    assert names["inter_org_access"].startswith("Limit access across departments")
    assert "組織" not in names["inter_org_access"]


# --- to_json and from_json ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["approved", "draft"])
def test_it_loads_a_stored_record_and_gives_back_the_same_json(name):
    stored = json.loads((scenarios.GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    content = RecordContent.from_json(stored)
    assert content.to_json() == stored
    assert RecordContent.from_json(content.to_json()) == content


def test_the_live_content_survives_the_round_trip(review, alice, carol, dave, fake_pdf):
    decisions.risk_add(review=review, user=alice, description="設定ミス", owner_user=alice)
    approved(review, alice, [carol, dave])
    content = record_content(review)
    assert RecordContent.from_json(json.loads(json.dumps(content.to_json()))) == content


def test_keys_that_are_python_keywords_keep_their_json_names():
    row = AuditRow(
        at=None, actor="A", action="sign", from_status="in_review", to_status="approved", comment=""
    )
    assert row.to_json()["from"] == "in_review" and row.to_json()["to"] == "approved"
    assert AuditRow.from_json(row.to_json()) == row
    change = SensitivityChange(question="q", from_choice=None, to_choice="x")
    assert change.to_json() == {"question": "q", "from": None, "to": "x"}


def test_the_loaded_content_is_typed_and_frozen():
    stored = json.loads((scenarios.GOLDEN / "approved.json").read_text(encoding="utf-8"))
    content = RecordContent.from_json(stored)
    assert isinstance(content.options, tuple) and content.options[0].reasons[0].effect
    assert content.decision is not None and content.decision.pattern == "guest_space"
    assert content.audit[1].from_status == "in_review" and content.audit[1].to_status == "draft"
    assert content.cost == stored["cost"]  # the estimate stays an opaque mapping
    with pytest.raises(AttributeError):
        content.review.title = "changed"  # type: ignore[misc]
    assert content.winner_name == "組織間のアクセス権を有効にする"
    assert content.decision_makers == ("Carol Chiba", "Dave Doi")
    assert [o.pattern for o in content.ranked] == list(stored["recommendation"]["ranking"])
