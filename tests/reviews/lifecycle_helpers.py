"""Helpers for the decision-record tests: a review answered, decided, signed off."""

from __future__ import annotations

from patterns.kinds.kintone.scenarios import S2
from reviews.models import ReviewEvent
from reviews.services import decisions, signoff
from reviews.services.answers import review_answer_save

PASSWORD = "pw-for-tests"  # tests.factories.UserFactory's password


def answer(review, user, answers=S2, notes=None):
    for question, choice in answers.items():
        review_answer_save(
            review=review,
            user=user,
            question=question,
            choice=choice,
            note=(notes or {}).get(question),
        )


def decide(review, user, pattern="inter_org_access", **fields):
    return decisions.decision_save(review=review, user=user, pattern=pattern, **fields)


def ready(review, reviewer, approvers, **decision):
    """Answered (S2), decided and in review, waiting for `approvers`."""
    answer(review, reviewer)
    decide(review, reviewer, **decision)
    signoff.review_request_signoff(review=review, user=reviewer, approvers=approvers)
    review.refresh_from_db()
    return review


def sign(review, user, comment="Looks right."):
    return signoff.review_sign(review=review, user=user, password=PASSWORD, comment=comment)


def approved(review, reviewer, approvers, **decision):
    """Answered, decided, and signed by every approver: approved and frozen."""
    ready(review, reviewer, approvers, **decision)
    for approver in approvers:
        sign(review, approver)
    review.refresh_from_db()
    return review


def fake_pdf(
    review, *, draft, content=None, sha256=None, verify_url="", ca_fingerprint="", markdown=""
):
    """A stand-in for the record renderer: a one-page PDF that, like the real one, names the
    record hash in its metadata, carries the record (record.json) and has a box for each
    approver's signature, rendered in a few milliseconds instead of a second
    (test_pdf.py and the browser tests render real ones)."""
    import logging

    import weasyprint

    from reviews.records.canonical import record_json

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

    claim = f"hakari-record-sha256:{sha256}" if sha256 else "hakari-draft-preview"
    boxes = "".join(f'<div id="approver-{n}" class="box"></div>' for n in range(1, 7))
    html = (
        f'<html lang="en"><head><meta name="description" content="{claim}">'
        "<style>.box { display: inline-block; width: 24mm; height: 21mm; }</style></head>"
        f"<body><p>record{' DRAFT' if draft else ''}</p>{boxes}</body></html>"
    )
    options = {}
    if not draft and content is not None:
        options["attachments"] = [
            weasyprint.Attachment(
                string=record_json(content), name="record.json", relationship="Data"
            )
        ]
    return weasyprint.HTML(string=html).write_pdf(**options)


def actions(review):
    """The review's trail as (action, from, to)."""
    return list(
        ReviewEvent.objects.filter(review=review).values_list("action", "from_status", "to_status")
    )
