"""Catalog versions in use: moving a draft to the newest version, re-checking an approved one.

A review pins the catalog version it was answered against (`Review.catalog`); an approved
review and its record never change. A draft may move to the newest published version of its
catalog: answers are carried over by question and choice key, the ones the new version no
longer has are dropped (and listed), weights are kept for the criteria it still has, and the
move is an entry of the audit trail. An approved review can be re-checked: the ranking its
answers would get against the newest version, beside the ranking it has, without writing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from patterns.explanation import Explanation, explain
from patterns.models import Catalog, version_key
from patterns.scoring import rank
from patterns.services import compiled_catalog

from ..access import Action, check
from ..models import Answer, DecisionRecord, Review, ReviewEvent, ReviewStateError
from ..records.content import RecordContent, review_lang
from .locking import locked_review, record_event


@dataclass(frozen=True)
class DroppedAnswer:
    question: str
    choice: str
    why: str  # "question" (the new version has no such question) or "choice"


@dataclass(frozen=True)
class RankMove:
    """One pattern's place before and after; `before_rank` None: the old version lacks it.
    `recorded`: "before" is the frozen record's ranking (its scores may be of an older
    engine), not today's scoring of the pinned version."""

    pattern: str
    name: str
    before_rank: int | None
    before_score: int | None
    before_excluded: bool
    after_rank: int
    after_score: int
    after_excluded: bool
    recorded: bool = False

    @property
    def moved(self) -> bool:
        return self.before_rank != self.after_rank or self.before_excluded != self.after_excluded


@dataclass(frozen=True)
class VersionChange:
    """What moving (or re-checking) `review` against `target` changes."""

    current: Catalog
    target: Catalog
    carried: dict[str, str]  # question -> choice, kept as they are
    dropped: tuple[DroppedAnswer, ...]
    new_questions: tuple[tuple[str, str], ...]  # (key, text) the review has not answered yet
    before: Explanation
    after: Explanation
    moves: tuple[RankMove, ...]

    @property
    def winner_changed(self) -> bool:
        first = [m for m in self.moves if m.before_rank == 1 and not m.before_excluded]
        now = [m for m in self.moves if m.after_rank == 1 and not m.after_excluded]
        return {m.pattern for m in first} != {m.pattern for m in now}


def newest_catalog(review: Review) -> Catalog | None:
    """The newest published version of the review's catalog when it is newer than the
    review's own, else None."""
    newest = Catalog.objects.latest_published(review.catalog.slug)
    if newest is None or version_key(newest) <= version_key(review.catalog):
        return None
    return newest


def _answers(review: Review) -> dict[str, str]:
    return dict(
        Answer.objects.filter(review=review).exclude(choice="").values_list("question", "choice")
    )


def version_change(review: Review, target: Catalog, lang: str | None = None) -> VersionChange:
    """Read only: the answers carried over and dropped, the new questions, both rankings
    (texts in `lang`, default the review's record language)."""
    old, new = compiled_catalog(review.catalog), compiled_catalog(target)
    lang = lang or review_lang(review)
    answers = _answers(review)
    carried, dropped = {}, []
    for question, choice in answers.items():
        if question not in new.questions:
            dropped.append(DroppedAnswer(question, choice, "question"))
        elif choice not in new.questions[question]:
            dropped.append(DroppedAnswer(question, choice, "choice"))
        else:
            carried[question] = choice
    weights = _weights_for(review.weights, new.criteria)
    before = explain(old, rank(old, answers, weights=review.weights or None, lang=lang), lang)
    after = explain(new, rank(new, carried, weights=weights or None, lang=lang), lang)
    return VersionChange(
        current=review.catalog,
        target=target,
        carried=carried,
        dropped=tuple(dropped),
        new_questions=tuple(
            (q, new.label(lang, "question", q))
            for q in new.questions
            if q not in old.questions and q not in carried
        ),
        before=before,
        after=after,
        moves=_moves(before, after, _recorded_ranking(review)),
    )


def _recorded_ranking(review: Review) -> dict[str, tuple[int, int, bool]] | None:
    """pattern -> (rank, score, excluded) of the review's frozen record, when it has one."""
    record = DecisionRecord.objects.filter(review=review).only("canonical_json").first()
    if record is None:
        return None
    content = RecordContent.from_json(json.loads(record.canonical_json))
    return {o.pattern: (o.rank, o.score, o.excluded) for o in content.options}


def _weights_for(weights: dict[str, Any], criteria: list[str]) -> dict[str, Any]:
    return {c: w for c, w in (weights or {}).items() if c in criteria}


def _moves(
    before: Explanation, after: Explanation, recorded: dict[str, tuple[int, int, bool]] | None
) -> tuple[RankMove, ...]:
    moves = []
    for entry in after.entries:
        if recorded is not None:
            old = recorded.get(entry.pattern)
        else:
            live = before.entry(entry.pattern)
            old = (live.rank, live.score, live.excluded) if live else None
        moves.append(
            RankMove(
                pattern=entry.pattern,
                name=entry.name,
                before_rank=old[0] if old else None,
                before_score=old[1] if old else None,
                before_excluded=bool(old and old[2]),
                after_rank=entry.rank,
                after_score=entry.score,
                after_excluded=entry.excluded,
                recorded=recorded is not None,
            )
        )
    return tuple(moves)


def review_catalog_move(*, review: Review, user: Any, target: Catalog) -> VersionChange:
    """Move a draft to `target` (the newest version of its catalog): answers carried over by
    key, the others dropped, weights kept for the criteria `target` has; an audit entry
    says from which version to which and what was dropped."""
    with transaction.atomic():
        current = locked_review(review)
        check(user, current, Action.MOVE_CATALOG)
        if newest_catalog(current) != target:
            raise ReviewStateError(_("This review already uses the newest catalog version."))
        change = version_change(current, target)
        dropped = [d.question for d in change.dropped]
        Answer.objects.filter(review=current, question__in=dropped).delete()
        Answer.objects.filter(review=current, choice="").exclude(
            question__in=list(compiled_catalog(target).questions)
        ).delete()
        current.catalog = target
        current.weights = _weights_for(current.weights, compiled_catalog(target).criteria)
        current.full_clean()
        current.save(update_fields=["catalog", "weights", "updated_at"])
        comment = f"{change.current.version} → {target.version}"
        if dropped:
            comment += "; dropped: " + ", ".join(f"{d.question}={d.choice}" for d in change.dropped)
        record_event(
            current,
            actor=user,
            action=ReviewEvent.Action.MOVE_CATALOG,
            from_status=current.status,
            comment=comment,
        )
    return change
