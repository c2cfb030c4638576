"""What changed between two versions of a record's content (a sign-off request and now).

`content_changes(before, after)` lists, in the order of the record, each part that differs:
the title and context, each answer and its note, the criterion weights, the decision and its
fields, the risks, the cost estimate. The request form shows it after a send-back, so nobody
has to guess what the reviewer changed since the approvers last read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .content import RecordContent, RiskRow

TEXT_LIMIT = 160


@dataclass(frozen=True)
class Change:
    """One part of the record that differs: what it is, before, after ("" for none)."""

    what: str
    before: str
    after: str


def _short(text: str | None) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= TEXT_LIMIT else flat[: TEXT_LIMIT - 1] + "…"


def _review_changes(before: RecordContent, after: RecordContent) -> list[Change]:
    changes = []
    if before.review.title != after.review.title:
        changes.append(Change(_("Title"), before.review.title, after.review.title))
    if before.context.description != after.context.description:
        changes.append(
            Change(
                _("Context"),
                _short(before.context.description),
                _short(after.context.description),
            )
        )
    return changes


def _answer_changes(before: RecordContent, after: RecordContent) -> list[Change]:
    old = {row.question: row for row in before.context.answers}
    changes = []
    for row in after.context.answers:
        was = old.get(row.question)
        old_choice = (was.choice_label or "") if was else ""
        old_note = was.note if was else ""
        if old_choice != (row.choice_label or ""):
            changes.append(Change(row.question_text, old_choice, row.choice_label or ""))
        if old_note != row.note:
            label = _("Note on “%(question)s”") % {"question": row.question_text}
            changes.append(Change(label, _short(old_note), _short(row.note)))
    return changes


def _weight_changes(before: RecordContent, after: RecordContent) -> list[Change]:
    old = {c.key: c.weight for c in before.criteria}
    return [
        Change(
            _("Weight of “%(criterion)s”") % {"criterion": c.name},
            str(old.get(c.key, "")),
            str(c.weight),
        )
        for c in after.criteria
        if old.get(c.key) != c.weight
    ]


def _decision_changes(before: RecordContent, after: RecordContent) -> list[Change]:
    old, new = before.decision, after.decision
    if old is None or new is None:
        if old is new:
            return []
        return [Change(_("Decision"), old.name if old else "", new.name if new else "")]
    changes = []
    if old.pattern != new.pattern:
        changes.append(Change(_("Chosen option"), old.name, new.name))
    fields = (
        (_("Justification"), "justification"),
        (_("Good consequences"), "consequences_good"),
        (_("Bad consequences"), "consequences_bad"),
        (_("Confirmation"), "confirmation"),
    )
    for label, name in fields:
        was, now = getattr(old, name), getattr(new, name)
        if was != now:
            changes.append(Change(label, _short(was), _short(now)))
    return changes


def _risk_text(risk: RiskRow) -> str:
    return _short(f"{risk.description} ({risk.owner})")


def _risk_changes(before: RecordContent, after: RecordContent) -> list[Change]:
    old = [_risk_text(r) for r in before.risks]
    new = [_risk_text(r) for r in after.risks]
    changes = [Change(_("Risk removed"), text, "") for text in old if text not in new]
    changes += [Change(_("Risk added"), "", text) for text in new if text not in old]
    return changes


def _cost_changes(before: RecordContent, after: RecordContent) -> list[Change]:
    if before.cost == after.cost:
        return []
    return [Change(_("Cost estimate"), _("as requested before"), _("recalculated"))]


def content_changes(before: RecordContent, after: RecordContent) -> list[Change]:
    """Every part of the record that differs from `before` to `after` (empty: the same)."""
    return [
        *_review_changes(before, after),
        *_answer_changes(before, after),
        *_weight_changes(before, after),
        *_decision_changes(before, after),
        *_risk_changes(before, after),
        *_cost_changes(before, after),
    ]
