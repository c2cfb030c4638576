"""Page 1 of the record: the one-page summary an approval board reads, from the content alone.

`record_summary(content)` picks what the summary shows: the chosen option and why (three
lines), the recommendation and whether the decision follows it, the main risks with their
owners, the chosen option's cost, and the 承認欄 (approval boxes): the approvers in the order
of the request, most senior (last to sign) at the left, the reviewer's 担当 box at the right.
`japanese_date` writes a date with its era, as Japanese records show it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.dateparse import parse_datetime

from .content import RecordContent, RiskRow

WHY_LINES = 3
LINE_CHARS = 90
RISK_COUNT = 3
RISK_CHARS = 110

# (first day, name) of the eras, newest first
ERAS = (
    (datetime.date(2019, 5, 1), "令和"),
    (datetime.date(1989, 1, 8), "平成"),
    (datetime.date(1926, 12, 25), "昭和"),
)


def japanese_date(day: datetime.date) -> str:
    """`2026年（令和8年）12月1日`: the western year with the era's beside it (元年 for 1)."""
    for start, name in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            era = f"{name}{'元' if year == 1 else year}年"
            return f"{day.year}年（{era}）{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"


def record_date(value: str | None, lang: str) -> str:
    """An ISO date-time of the content as the summary shows it: ISO, with the era in Japanese."""
    parsed = parse_datetime(value) if value else None
    if parsed is None:
        return ""
    iso = parsed.date().isoformat()
    return f"{iso}（{japanese_date(parsed.date())}）" if lang == "ja" else iso


def _cut(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Box:
    """One box of the 承認欄: `field` is the signature field (None: the reviewer's box)."""

    field: str | None
    label: str
    name: str
    role: str
    date: str = ""


@dataclass(frozen=True)
class Summary:
    chosen: str
    why: tuple[str, ...]
    recommended: str
    follows: bool | None  # None: nothing decided, or no option recommended
    excluded: bool
    risks: tuple[RiskRow, ...]
    more_risks: int
    cost: dict[str, Any] | None
    boxes: tuple[Box, ...]


def _why(content: RecordContent) -> tuple[str, ...]:
    """The justification's first lines, topped up with the chosen option's strongest reasons."""
    decision = content.decision
    if decision is None:
        return ()
    lines = [line.strip().lstrip("-*・").strip() for line in decision.justification.splitlines()]
    why = [_cut(line, LINE_CHARS) for line in lines if line][:WHY_LINES]
    chosen = next((o for o in content.options if o.pattern == decision.pattern), None)
    reasons = sorted(chosen.reasons, key=lambda r: -r.effect) if chosen else []
    for reason in reasons:
        if len(why) >= WHY_LINES or reason.effect <= 0:
            break
        line = _cut(f"{reason.criterion_name}: {reason.text}", LINE_CHARS)
        if line not in why:
            why.append(line)
    return tuple(why)


def approval_boxes(content: RecordContent, labels: dict[str, str]) -> tuple[Box, ...]:
    """The approvers' boxes, most senior (last in the route) first, then the reviewer's.
    `labels`: "senior", "approver", "reviewer" -> the box headings in the record's language."""
    from ..signing.pdf import field_name

    count = len(content.signoffs)
    boxes = [
        Box(
            field=field_name(order),
            label=labels["senior"] if order == count else labels["approver"],
            name=row.name,
            role=row.role,
        )
        for order, row in reversed(list(enumerate(content.signoffs, start=1)))
    ]
    requested = next((s.requested_at for s in content.signoffs if s.requested_at), None)
    boxes.append(
        Box(
            field=None,
            label=labels["reviewer"],
            name=content.review.owner,
            role="reviewer",
            date=(requested or "")[:10],
        )
    )
    return tuple(boxes)


def record_summary(content: RecordContent, labels: dict[str, str]) -> Summary:
    decision = content.decision
    recommended = content.winner_name
    follows = None
    if decision is not None and recommended:
        follows = decision.recommended
    cost = None
    if content.cost and decision is not None:
        figures = content.cost.get("patterns", {}).get(decision.pattern)
        if figures:
            cost = {**figures, "as_of": content.cost.get("as_of", "")}
    risks = tuple(
        RiskRow(
            description=_cut(r.description, RISK_CHARS),
            owner=r.owner,
            mitigation=r.mitigation,
            review_on=r.review_on,
        )
        for r in content.risks[:RISK_COUNT]
    )
    return Summary(
        chosen=decision.name if decision else "",
        why=_why(content),
        recommended=recommended,
        follows=follows,
        excluded=bool(decision and decision.excluded),
        risks=risks,
        more_risks=max(0, len(content.risks) - RISK_COUNT),
        cost=cost,
        boxes=approval_boxes(content, labels),
    )
