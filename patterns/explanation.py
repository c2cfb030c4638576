"""A recommendation explained in plain words, in Japanese or English (pages, records, commands).

`explain()` turns the engine's `Recommendation` into an `Explanation`: the same ranking with
every key spelled out (pattern names, question texts, choice labels, criterion names) and the
sensitivity as sentences. Frozen dataclasses; templates read their attributes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from .recommendation import Change, ExclusionReason, Flip, RankedPattern, Reason, Recommendation
from .scoring import CompiledCatalog


@dataclass(frozen=True)
class ExplainedReason(Reason):
    question_text: str
    choice_label: str
    criterion_name: str
    basis_label: str = ""  # what the statement rests on: the guide, kintone help, an inference
    basis_type: str = ""  # "guide", "kintone_help", "inference" ("" in format 1)


@dataclass(frozen=True)
class ExplainedExclusion(ExclusionReason):
    question_text: str
    choice_label: str


@dataclass(frozen=True)
class ExplainedPattern:
    pattern: str
    name: str
    rank: int
    score: int
    excluded: bool
    exclusions: tuple[ExplainedExclusion, ...]
    reasons: tuple[ExplainedReason, ...]
    earned: int = 0
    possible: int = 0


@dataclass(frozen=True)
class ExplainedFlip:
    pattern: str
    changes: tuple[Change, ...]
    sentence: str
    by_exclusion: bool = False
    weak: bool = False


@dataclass(frozen=True)
class Explanation:
    """The ranking for a page or a record: `winner` is None on a tie (then `tied` lists the
    first options); `runner_up` is the second eligible option when there is a winner."""

    result: Recommendation
    entries: tuple[ExplainedPattern, ...]
    tie: bool
    narrow: bool
    tied: tuple[ExplainedPattern, ...]
    winner: ExplainedPattern | None
    runner_up: ExplainedPattern | None
    sensitivity: tuple[ExplainedFlip, ...]
    weak: bool = False  # even the first option fits poorly (under scoring.WEAK_FIT)
    guidance: str = ""  # the catalog's closing caveats, shown with every ranking
    # one sentence per criterion whose weight an answer set (e.g. the cost priority)
    weight_notes: tuple[str, ...] = ()

    def entry(self, pattern: str) -> ExplainedPattern | None:
        return next((e for e in self.entries if e.pattern == pattern), None)

    @property
    def answered(self) -> bool:
        """Whether any question is answered: before that there is no ranking to show."""
        return bool(self.result.answers)

    @property
    def ranked(self) -> tuple[ExplainedPattern, ...]:
        """The options that compete, in ranking order (the excluded ones are shown apart)."""
        return tuple(e for e in self.entries if not e.excluded)

    @property
    def excluded(self) -> tuple[ExplainedPattern, ...]:
        return tuple(e for e in self.entries if e.excluded)

    @property
    def first(self) -> ExplainedPattern | None:
        """The first option that competes (on a tie, the first of those tied)."""
        return self.ranked[0] if self.ranked else None

    def recommended(self) -> set[str]:
        """The patterns a decision may choose without saying why: the sole winner, or every
        pattern of a tie for first place (narrow leads still name the winner)."""
        if self.winner is not None:
            return {self.winner.pattern}
        return {entry.pattern for entry in self.tied}


def basis_text(basis: dict[str, str] | None, lang: str) -> str:
    """What a statement rests on, in `lang`: "Guide: まとめ表 / セキュリティ性", "kintone help:
    …" or "Our inference (not in the guide)"; "" when the statement has no basis (format 1)."""
    if not basis:
        return ""
    with translation.override(lang):
        if basis.get("type") == "guide":
            return _("Guide: %(section)s") % {"section": basis.get("section", "")}
        if basis.get("type") == "kintone_help":
            return _("kintone help: %(topic)s") % {"topic": basis.get("topic", "")}
        return _("Our inference (not in the guide)")


def basis_label(compiled: CompiledCatalog, statement: str, lang: str) -> str:
    """The basis of one of the compiled catalog's statements (see `basis_text`)."""
    return basis_text(compiled.basis.get(statement), lang)


def sensitivity_sentence(compiled: CompiledCatalog, item: Flip, lang: str) -> str:
    """E.g. '“Set up a separate domain” would come first if “How confidential…” were “High”.'"""
    with translation.override(lang):
        pattern = compiled.label(lang, "pattern", item.pattern)
        if not item.changes:
            return _("No change of one or two answers puts “%(pattern)s” first.") % {
                "pattern": pattern
            }
        conditions = [
            _("“%(question)s” were answered “%(choice)s”")
            % {
                "question": compiled.label(lang, "question", change.question),
                "choice": compiled.label(lang, "choice", change.question, change.to),
            }
            for change in item.changes
        ]
        sentence = _("“%(pattern)s” would come first if %(conditions)s.") % {
            "pattern": pattern,
            "conditions": _(" and ").join(conditions),
        }
        if item.by_exclusion:
            sentence += " " + _("Only because that excludes the current first option.")
        if item.weak:
            sentence += " " + _("Even then it would fit poorly (%(score)s / 100).") % {
                "score": item.score
            }
        return sentence


def recommendation_as_text(compiled: CompiledCatalog, result: Recommendation, lang: str) -> str:
    """The `recommend` command's text output."""
    with translation.override(lang):
        lines = [f"{compiled.slug} {compiled.version}"]
        if result.tie:
            lines.append(_("Tie: the first options have equal scores."))
        elif result.narrow:
            lines.append(_("No clear winner: the lead over the runner-up is under 10 points."))
        if result.weak:
            lines.append(_("No option fits well: even the first fits under 50 / 100."))
        for criterion, (question, choice) in result.weight_from.items():
            lines.append(
                _("Weight of “%(criterion)s”: %(weight)s, from the answer %(answer)s.")
                % {
                    "criterion": compiled.label(lang, "criterion", criterion),
                    "weight": result.weights[criterion],
                    "answer": f"{question}={choice}",
                }
            )
        for entry in result.ranking:
            name = compiled.label(lang, "pattern", entry.pattern)
            flag = f"  [{_('excluded')}]" if entry.excluded else ""
            lines.append(
                f"{entry.rank}. {name} ({entry.pattern}): {entry.score} / 100 "
                f"({entry.earned} / {entry.possible}){flag}"
            )
            for exclusion in entry.exclusions:
                lines.append(f"   ✕ {exclusion.question}={exclusion.choice}: {exclusion.text}")
            for reason in entry.reasons:
                basis = basis_label(compiled, reason.statement, lang)
                lines.append(
                    f"   {reason.effect:+d} [{reason.criterion}] "
                    f"{reason.question}={reason.choice}: {reason.text}"
                    + (f" ({basis})" if basis else "")
                )
        if result.sensitivity:
            lines.append(_("Sensitivity:"))
            for item in result.sensitivity:
                lines.append("- " + sensitivity_sentence(compiled, item, lang))
        if compiled.guidance.get(lang):
            lines.append(compiled.guidance[lang])
        return "\n".join(lines) + "\n"


def _explain_entry(compiled: CompiledCatalog, entry: RankedPattern, lang: str) -> ExplainedPattern:
    def label(*path: str) -> str:
        return compiled.label(lang, *path)

    return ExplainedPattern(
        pattern=entry.pattern,
        name=label("pattern", entry.pattern),
        rank=entry.rank,
        score=entry.score,
        excluded=entry.excluded,
        earned=entry.earned,
        possible=entry.possible,
        reasons=tuple(
            ExplainedReason(
                **r.to_json(),
                question_text=label("question", r.question),
                choice_label=label("choice", r.question, r.choice),
                criterion_name=label("criterion", r.criterion),
                basis_label=basis_label(compiled, r.statement, lang),
                basis_type=compiled.basis.get(r.statement, {}).get("type", ""),
            )
            for r in entry.reasons
        ),
        exclusions=tuple(
            ExplainedExclusion(
                **x.to_json(),
                question_text=label("question", x.question),
                choice_label=label("choice", x.question, x.choice),
            )
            for x in entry.exclusions
        ),
    )


def weight_notes(compiled: CompiledCatalog, result: Recommendation, lang: str) -> tuple[str, ...]:
    """E.g. 'The weight of “Cost” is 3, set by your answer “High” to “How much ...?”.'"""
    with translation.override(lang):
        return tuple(
            _(
                "The weight of “%(criterion)s” is %(weight)s, set by your answer "
                "“%(choice)s” to “%(question)s”."
            )
            % {
                "criterion": compiled.label(lang, "criterion", criterion),
                "weight": result.weights[criterion],
                "choice": compiled.label(lang, "choice", question, choice),
                "question": compiled.label(lang, "question", question),
            }
            for criterion, (question, choice) in result.weight_from.items()
        )


def explain(compiled: CompiledCatalog, result: Recommendation, lang: str) -> Explanation:
    """The ranking with display names for a page or a record, in `lang`."""
    entries = tuple(_explain_entry(compiled, entry, lang) for entry in result.ranking)
    eligible = [e for e in entries if not e.excluded]
    decided = bool(eligible) and not result.tie
    return Explanation(
        result=result,
        entries=entries,
        tie=result.tie,
        narrow=result.narrow,
        weak=result.weak,
        guidance=compiled.guidance.get(lang, ""),
        weight_notes=weight_notes(compiled, result, lang),
        tied=tuple(e for e in eligible if e.score == eligible[0].score) if result.tie else (),
        winner=eligible[0] if decided else None,
        runner_up=eligible[1] if decided and len(eligible) > 1 else None,
        sensitivity=tuple(
            ExplainedFlip(
                pattern=item.pattern,
                changes=item.changes,
                sentence=sensitivity_sentence(compiled, item, lang),
                by_exclusion=item.by_exclusion,
                weak=item.weak,
            )
            for item in result.sensitivity
        ),
    )
