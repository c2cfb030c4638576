"""Writes on a review's answers: one field (the htmx autosave) or a whole step at once.

Nothing is lost. A save names, per question, the `Base` it started from (the answer's version
and its choice and note as the page showed them). A field the user did not change is never
written (a stale copy would overwrite a colleague's edit); a changed field is written when the
answer is still at that version, or when the colleague's saves since left that field as it was;
otherwise it is a `Conflict`, returned with the colleague's answer for the user to choose.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patterns.services import compiled_catalog

from ..models import FROZEN_STATUSES, Answer, FrozenReviewError, Review, ReviewStateError

MAX_NOTE = 5000
NOT_APPLICABLE = "~na"  # the choice value of "not applicable" (no choice key has a "~")
FIELDS = ("choice", "note")


def note_digest(note: str) -> str:
    return hashlib.sha256(note.encode()).hexdigest()[:16]


def choice_token(answer: Answer | None) -> str:
    """The answer's choice as a form sends it: a key, NOT_APPLICABLE, or "" (none)."""
    if answer is None:
        return ""
    return NOT_APPLICABLE if answer.not_applicable else answer.choice


@dataclass(frozen=True)
class Base:
    """What the user's page showed of an answer: its version (0: none yet), choice, note digest."""

    version: int
    choice: str
    note: str  # a digest (`note_digest`)

    @classmethod
    def of(cls, answer: Answer | None) -> Base:
        if answer is None:
            return cls(0, "", note_digest(""))
        return cls(answer.version, choice_token(answer), note_digest(answer.note))

    @classmethod
    def parse(cls, token: str | None) -> Base | None:
        """`token` as `str(base)` made it; None when missing or malformed."""
        parts = (token or "").split(".")
        if len(parts) != 3 or not parts[0].isdigit():
            return None
        return cls(int(parts[0]), parts[1], parts[2])

    def __str__(self) -> str:
        return f"{self.version}.{self.choice}.{self.note}"

    def get(self, name: str) -> str:
        return self.choice if name == "choice" else self.note

    def matches(self, name: str, value: str) -> bool:
        """Whether `value` of field `name` is what this base showed."""
        return self.get(name) == (value if name == "choice" else note_digest(value))


@dataclass(frozen=True)
class Edit:
    """One question's posted fields: None leaves a field alone; `choice=""` clears the choice,
    `choice=NOT_APPLICABLE` marks the question not applicable. `base=None` (a script, a test):
    no check, the last write wins."""

    choice: str | None = None
    note: str | None = None
    base: Base | None = None

    def fields(self) -> dict[str, str]:
        return {name: value for name in FIELDS if (value := getattr(self, name)) is not None}


@dataclass(frozen=True)
class Conflict:
    """A colleague changed `fields` of the answer since the user's page showed it."""

    question: str
    fields: tuple[str, ...]
    theirs: Answer
    mine: Edit

    @property
    def base(self) -> Base:
        """The base to send to overwrite theirs with mine."""
        return Base.of(self.theirs)


@dataclass
class SaveResult:
    answers: dict[str, Answer]  # every answer of the review, after the save
    saved: dict[str, Answer] = field(default_factory=dict)
    conflicts: dict[str, Conflict] = field(default_factory=dict)
    choices_changed: bool = False  # whether a choice changed (else the ranking cannot have)


def answer_validate(review: Review, question: str, choice: str | None, note: str | None) -> None:
    """Raise ValidationError (one clear message) unless the answer fits the review's catalog."""
    compiled = compiled_catalog(review.catalog)
    if question not in compiled.questions:
        raise ValidationError(_("Unknown question “%(key)s”.") % {"key": question})
    if choice and choice != NOT_APPLICABLE and choice not in compiled.questions[question]:
        raise ValidationError(
            _("“%(choice)s” is not a choice of this question; choose one of: %(allowed)s.")
            % {"choice": choice, "allowed": ", ".join(compiled.questions[question])}
        )
    if note is not None and len(note) > MAX_NOTE:
        raise ValidationError(
            _("The note is %(length)d characters long; at most %(max)d are allowed.")
            % {"length": len(note), "max": MAX_NOTE}
        )


def _validate_all(review: Review, edits: dict[str, Edit]) -> None:
    errors = {}
    for question, edit in edits.items():
        try:
            answer_validate(review, question, edit.choice, edit.note)
        except ValidationError as exc:
            errors[question] = exc.messages
    if errors:
        raise ValidationError(errors)


# The writes below skip the rows' frozen-review guard (`patterns.immutability`, which adds a
# join on the review to each UPDATE and a query before each INSERT): `_lock_draft` has just
# locked the review's row as a draft for the transaction, so no row written can be frozen.
_unguarded = models.QuerySet


def _lock_draft(review: Review, now: Any) -> None:
    """Lock the review's row by touching it (one UPDATE); a ReviewStateError unless a draft."""
    draft = Review.objects.filter(pk=review.pk, status=Review.Status.DRAFT)
    if _unguarded.update(draft, updated_at=now):  # a draft is never a locked row
        return
    status = Review.objects.filter(pk=review.pk).values_list("status", flat=True).first()
    error = FrozenReviewError if status in FROZEN_STATUSES else ReviewStateError
    raise error(
        _("This review is %(status)s: its answers can no longer change.")
        % {"status": Review.Status(status).label if status else "?"}
    )


def _changes(current: Answer | None, edit: Edit) -> tuple[dict[str, str], tuple[str, ...]]:
    """(the fields to write, the fields in conflict) of one question's edit."""
    stored = Base.of(current)
    write: dict[str, str] = {}
    conflicts: list[str] = []
    for name, value in edit.fields().items():
        if stored.matches(name, value):
            continue  # already so
        base = edit.base
        if base is not None and base.matches(name, value):
            continue  # the user did not change it: never write back a stale copy
        if base is None or base.version == stored.version or base.get(name) == stored.get(name):
            write[name] = value  # nobody else changed this field since the user's page
        else:
            conflicts.append(name)
    return write, tuple(conflicts)


def _write(review: Review, user: Any, question: str, current: Answer | None, write, now) -> Answer:
    """Write one answer's changed fields: one UPDATE, or one INSERT for a new answer."""
    answer = current or Answer(review=review, question=question, version=0)
    if "choice" in write:
        answer.not_applicable = write["choice"] == NOT_APPLICABLE
        answer.choice = "" if answer.not_applicable else write["choice"]
    if "note" in write:
        answer.note = write["note"]
    answer.answered_by, answer.answered_at, answer.version = user, now, answer.version + 1
    values = {
        "choice": answer.choice,
        "not_applicable": answer.not_applicable,
        "note": answer.note,
        "answered_by": user,
        "answered_at": now,
        "version": answer.version,
    }
    if current is None:
        _unguarded.bulk_create(Answer.objects.all(), [answer])
    else:
        _unguarded.update(Answer.objects.filter(pk=current.pk), **values)
    return answer


def review_answers_save(
    *,
    review: Review,
    user: Any,
    edits: dict[str, Edit] | None = None,
    answers: dict[str, tuple[str | None, str | None]] | None = None,
) -> SaveResult:
    """Save the edits ({question: Edit}) of one page: each changed field, unless in conflict.

    `answers` ({question: (choice, note)}) is the same without bases (scripts, the demo).
    Raises ValidationError (with `error_dict` keyed by question) for unknown questions or
    choices and over-long notes, ReviewStateError when the review is no longer a draft;
    nothing changes then. Conflicts are returned, not raised: the other fields are saved.
    """
    edits = {**(edits or {}), **{q: Edit(c, n) for q, (c, n) in (answers or {}).items()}}
    _validate_all(review, edits)
    now = timezone.now()
    with transaction.atomic():
        _lock_draft(review, now)
        stored = {
            a.question: a
            for a in Answer.objects.filter(review=review).select_related("answered_by")
        }
        result = SaveResult(answers=stored)
        for question, edit in edits.items():
            write, conflicting = _changes(stored.get(question), edit)
            if write:
                result.choices_changed |= "choice" in write
                answer = _write(review, user, question, stored.get(question), write, now)
                stored[question] = result.saved[question] = answer
            if conflicting:
                theirs = stored[question]
                result.conflicts[question] = Conflict(question, conflicting, theirs, edit)
    return result


def review_answer_save(
    *,
    review: Review,
    user: Any,
    question: str,
    choice: str | None = None,
    note: str | None = None,
    base: Base | None = None,
) -> SaveResult:
    """Save one question's choice, note, or both; see `review_answers_save`."""
    try:
        return review_answers_save(
            review=review, user=user, edits={question: Edit(choice, note, base)}
        )
    except ValidationError as exc:
        raise ValidationError(exc.message_dict[question][0]) from exc
