"""The record's content built from the live rows, one function per section of the record.

`record_content(review)` is what `reviews.services.signoff` hashes and freezes at the last sign-off,
and what the exports show before that (a preview).
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.utils import timezone, translation

from patterns.explanation import (
    ExplainedExclusion,
    ExplainedReason,
    Explanation,
    basis_text,
    explain,
)
from patterns.kinds import for_catalog
from patterns.models import Criterion, pick
from patterns.recommendation import Recommendation
from patterns.scoring import CompiledCatalog, rank
from patterns.services import compiled_catalog

from ..models import Answer, Decision, Membership, Review, ReviewEvent
from .content import (
    FORMAT,
    AnswerRow,
    AuditRow,
    CatalogInfo,
    ContextInfo,
    CriterionInfo,
    DecisionInfo,
    Driver,
    Option,
    OptionExclusion,
    OptionReason,
    RecommendationInfo,
    RecordContent,
    ReviewInfo,
    RiskRow,
    SensitivityChange,
    SensitivityItem,
    SignoffRow,
    SourceInfo,
    StatementRow,
    TeamInfo,
    review_lang,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

    from patterns.models import Catalog

DRIVER_COUNT = 5

_Row = TypeVar("_Row", OptionExclusion, OptionReason)


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _person(user: AbstractUser | None) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def record_content(review: Review) -> RecordContent:
    """The record's content, in the review's language.

    Everything product.md lists: title, status, dates, team; context (description and every
    answer with its note); decision drivers; the options side by side with merits, demerits
    and scores per criterion; the recommendation with its reasons and the sensitivity; the
    decision with its consequences and confirmation; risks; the cost estimate; sign-offs; the
    audit trail; catalog slug and version. About twelve queries.
    """
    lang = review_lang(review)
    with translation.override(lang):
        return _content(review, lang)


def _content(review: Review, lang: str) -> RecordContent:
    catalog = review.catalog
    compiled = compiled_catalog(catalog)
    answers = {
        a.question: a for a in Answer.objects.filter(review=review).select_related("answered_by")
    }
    chosen = {key: a.choice for key, a in answers.items() if a.choice}
    result = rank(compiled, chosen, weights=review.weights or None, lang=lang)
    explained = explain(compiled, result, lang)
    criteria = list(catalog.criteria.all())
    context = _context_section(review, compiled, answers, lang)
    options = _options_section(catalog, explained, criteria, lang)
    events = list(review.events.select_related("actor"))
    return RecordContent(
        format=FORMAT,
        language=lang,
        review=_review_section(review, events),
        catalog=_catalog_section(catalog, lang),
        context=context,
        criteria=_criteria_section(criteria, result, lang),
        decision_drivers=_drivers_section(explained, [row.question for row in context.answers]),
        options=options,
        recommendation=_recommendation_section(explained),
        sensitivity=_sensitivity_section(explained),
        decision=_decision_section(review, explained, options),
        risks=_risks_section(review),
        cost=_cost_section(review),
        signoffs=signoff_rows(review),
        audit=_audit_section(events),
    )


def _review_section(review: Review, events: list[ReviewEvent]) -> ReviewInfo:
    approved_at = next(
        (e.at for e in reversed(events) if e.to_status == Review.Status.APPROVED), None
    )
    return ReviewInfo(
        id=review.pk,
        title=review.title,
        status=review.status,
        team=TeamInfo(slug=review.team.slug, name=review.team.name),
        owner=_person(review.owner),
        created_at=_iso(review.created_at),
        approved_at=_iso(approved_at),
        revision_of=review.revision_of_id,
    )


def _catalog_section(catalog: Catalog, lang: str) -> CatalogInfo:
    source = SourceInfo(
        title=pick(catalog, "source_title", lang),
        publisher=catalog.source_publisher,
        url=catalog.source_url,
        as_of=str(catalog.source_as_of),
        series=catalog.source_series,
    )
    return CatalogInfo(
        slug=catalog.slug,
        version=catalog.version,
        title=pick(catalog, "title", lang),
        source=source,
    )


def _context_section(
    review: Review, compiled: CompiledCatalog, answers: dict[str, Answer], lang: str
) -> ContextInfo:
    """The description and every question of the catalog, in step order, answered or not."""
    rows = []
    for step in review.catalog.steps.prefetch_related("questions"):
        for question in step.questions.all():
            answer = answers.get(question.key)
            choice = answer.choice if answer and answer.choice else None
            rows.append(
                AnswerRow(
                    step=pick(step, "title", lang),
                    question=question.key,
                    question_text=pick(question, "text", lang),
                    choice=choice,
                    choice_label=compiled.label(lang, "choice", question.key, choice)
                    if choice
                    else None,
                    note=answer.note if answer else "",
                    answered_by=_person(answer.answered_by) if answer else None,
                    answered_at=_iso(answer.answered_at) if answer else None,
                )
            )
    return ContextInfo(description=review.context, answers=tuple(rows))


def _criteria_section(
    criteria: list[Criterion], result: Recommendation, lang: str
) -> tuple[CriterionInfo, ...]:
    return tuple(
        CriterionInfo(key=c.key, name=pick(c, "name", lang), weight=result.weights.get(c.key, 1))
        for c in criteria
    )


def _drivers_section(explained: Explanation, answer_order: list[str]) -> tuple[Driver, ...]:
    """The answers that moved the ranking most: exclusions first, then by total effect."""
    found: dict[str, tuple[ExplainedReason | ExplainedExclusion, dict[str, int], list[str]]] = {}
    impact: dict[str, int] = {}
    for entry in explained.entries:
        for reason in entry.reasons:
            _, effects, _ = found.setdefault(reason.question, (reason, {}, []))
            impact[reason.question] = impact.get(reason.question, 0) + abs(reason.effect)
            effects[entry.pattern] = effects.get(entry.pattern, 0) + reason.effect
        for exclusion in entry.exclusions:
            found.setdefault(exclusion.question, (exclusion, {}, []))[2].append(entry.pattern)
    drivers = [
        Driver(
            question=first.question,
            question_text=first.question_text,
            choice=first.choice,
            choice_label=first.choice_label,
            impact=impact.get(question, 0),
            effects=effects,
            excludes=tuple(excludes),
        )
        for question, (first, effects, excludes) in found.items()
    ]
    position = {key: i for i, key in enumerate(answer_order)}
    drivers.sort(key=lambda d: (-len(d.excludes), -d.impact, position.get(d.question, 0)))
    return tuple(d for d in drivers if d.impact or d.excludes)[:DRIVER_COUNT]


def _options_section(
    catalog: Catalog, explained: Explanation, criteria: list[Criterion], lang: str
) -> tuple[Option, ...]:
    """Every pattern of the catalog, in catalog order, with its place in the ranking."""
    entries = {entry.pattern: entry for entry in explained.entries}
    criterion_keys = {c.pk: c.key for c in criteria}
    options = []
    for pattern in catalog.patterns.prefetch_related("statements"):
        entry = entries[pattern.key]
        by_criterion = {c.key: 0 for c in criteria}
        for reason in entry.reasons:
            by_criterion[reason.criterion] = by_criterion.get(reason.criterion, 0) + reason.effect
        statements = tuple(
            StatementRow(
                key=s.key,
                criterion=criterion_keys[s.criterion_id],
                kind=s.kind,
                text=pick(s, "text", lang),
                source_section=s.source_section,
                basis_label=basis_text(s.basis, lang),
                basis_type=(s.basis or {}).get("type", ""),
            )
            for s in pattern.statements.all()
        )
        options.append(
            Option(
                pattern=pattern.key,
                name=pick(pattern, "name", lang),
                summary=pick(pattern, "summary", lang),
                rank=entry.rank,
                score=entry.score,
                excluded=entry.excluded,
                exclusions=tuple(_exclusion(x) for x in entry.exclusions),
                reasons=tuple(_reason(r) for r in entry.reasons),
                by_criterion=by_criterion,
                statements=statements,
                earned=entry.earned if catalog.format >= 2 else None,
                possible=entry.possible if catalog.format >= 2 else None,
            )
        )
    return tuple(options)


def _exclusion(exclusion: ExplainedExclusion) -> OptionExclusion:
    return _same_fields(OptionExclusion, exclusion)


def _reason(reason: ExplainedReason) -> OptionReason:
    return _same_fields(OptionReason, reason)


def _same_fields(record_class: type[_Row], source: object) -> _Row:
    """A record dataclass whose every field is the explanation's field of the same name."""
    return record_class(**{f.name: getattr(source, f.name) for f in fields(record_class)})


def _recommendation_section(explained: Explanation) -> RecommendationInfo:
    return RecommendationInfo(
        tie=explained.tie,
        narrow=explained.narrow,
        winner=explained.winner.pattern if explained.winner else None,
        runner_up=explained.runner_up.pattern if explained.runner_up else None,
        tied=tuple(entry.pattern for entry in explained.tied),
        ranking=tuple(entry.pattern for entry in explained.entries),
        weak=explained.weak,
        guidance=explained.guidance,
    )


def _sensitivity_section(explained: Explanation) -> tuple[SensitivityItem, ...]:
    return tuple(
        SensitivityItem(
            pattern=item.pattern,
            changes=tuple(
                SensitivityChange(question=c.question, from_choice=c.from_, to_choice=c.to)
                for c in item.changes
            ),
            sentence=item.sentence,
        )
        for item in explained.sensitivity
    )


def _decision_section(
    review: Review, explained: Explanation, options: tuple[Option, ...]
) -> DecisionInfo | None:
    decision = Decision.objects.filter(review=review).select_related("decided_by").first()
    if decision is None:
        return None
    names = {option.pattern: option.name for option in options}
    entry = explained.entry(decision.pattern)
    return DecisionInfo(
        pattern=decision.pattern,
        name=names.get(decision.pattern, decision.pattern),
        recommended=decision.pattern in explained.recommended(),
        excluded=entry is not None and entry.excluded,
        justification=decision.justification,
        consequences_good=decision.consequences_good,
        consequences_bad=decision.consequences_bad,
        confirmation=decision.confirmation,
        decided_by=_person(decision.decided_by),
        decided_at=_iso(decision.updated_at),
    )


def _risks_section(review: Review) -> tuple[RiskRow, ...]:
    return tuple(
        RiskRow(
            description=risk.description,
            owner=risk.owner_display(),
            mitigation=risk.mitigation,
            review_on=risk.review_on.isoformat() if risk.review_on else None,
        )
        for risk in review.risks.select_related("owner_user")
    )


def _cost_section(review: Review) -> dict[str, Any] | None:
    """The licence-cost estimate when the review has cost inputs and the catalog a price table."""
    if not review.cost_inputs or not review.catalog.price_table:
        return None
    kind = for_catalog(review.catalog)
    estimate = kind.cost_estimate(review.catalog.price_table, review.cost_inputs)
    plain: dict[str, Any] = json.loads(json.dumps(estimate, default=str))  # JSON data only
    return plain


def signoff_rows(review: Review) -> tuple[SignoffRow, ...]:
    """The sign-offs as they stand now, in the route's order (the export of an approved
    record shows them beside its frozen content)."""
    signatures = list(review.signatures.select_related("approver"))
    roles = dict(
        Membership.objects.filter(
            team_id=review.team_id, user_id__in=[s.approver_id for s in signatures]
        ).values_list("user_id", "role")
    )
    return tuple(
        SignoffRow(
            name=_person(s.approver),
            username=s.approver.get_username(),
            role=roles.get(s.approver_id, ""),
            state=s.state,
            requested_at=_iso(s.requested_at),
            signed_at=_iso(s.signed_at),
            comment=s.comment,
        )
        for s in signatures
    )


def _audit_section(events: list[ReviewEvent]) -> tuple[AuditRow, ...]:
    return tuple(
        AuditRow(
            at=_iso(e.at),
            actor=_person(e.actor),
            action=e.action,
            from_status=e.from_status,
            to_status=e.to_status,
            comment=e.comment,
        )
        for e in events
    )
