"""The decision record: one function per document, all from one canonical content dict.

`record_content(review)` is the record's content (product.md, "The decision record") as plain
JSON data, in the review's language. `record_json` serializes it canonically (sorted keys,
compact separators, UTF-8, no ASCII escaping); its SHA-256 is the record's hash. The PDF
(`record_pdf`, WeasyPrint, templates/reviews/pdf/record.html) and the Markdown
(`record_markdown`, MADR style) render that same content. An approved review's record is
stored once (`reviews.lifecycle`) and exports read the stored content, never the live rows.

WeasyPrint fetches nothing but the app's own static files: `StaticOnlyURLFetcher` resolves
`/static/...` through the staticfiles finders and refuses every other URL.
"""

from __future__ import annotations

import hashlib
import json
import logging
import posixpath
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from patterns.explanation import ExplainedExclusion, ExplainedReason, Explanation, explain
from patterns.models import pick
from patterns.scoring import rank
from patterns.services import compiled_catalog

from .models import Answer, Decision, DecisionRecord, Membership, Review, ReviewEvent

logger = logging.getLogger(__name__)

FORMAT = "hakari-decision-record/1"
DRIVER_COUNT = 5
# Relative URLs in the PDF template resolve against this made-up origin; the fetcher serves
# only its /static/ files and refuses everything else.
PDF_BASE_URL = "https://hakari.invalid/"
PDF_STATIC_PREFIX = PDF_BASE_URL + "static/"
PDF_ASSET_TYPES = {
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".css": "text/css",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
FONT_FAMILY = "Noto Sans JP"


class RecordRenderError(Exception):
    """The PDF could not be rendered; nothing was frozen, signing can be retried."""


# --- content -----------------------------------------------------------------------------


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def review_lang(review: Review) -> str:
    return "en" if (review.language or "ja").startswith("en") else "ja"


def _reason(reason: ExplainedReason) -> dict[str, Any]:
    keys = (
        "question",
        "question_text",
        "choice",
        "choice_label",
        "criterion",
        "criterion_name",
        "effect",
        "text",
        "statement",
        "statement_text",
    )
    return {key: getattr(reason, key) for key in keys}


def _exclusion(exclusion: ExplainedExclusion) -> dict[str, Any]:
    keys = ("question", "question_text", "choice", "choice_label", "text", "statement_text")
    return {key: getattr(exclusion, key) for key in keys}


def _drivers(explained: Explanation, answer_order: list[str]) -> list[dict[str, Any]]:
    """The answers that moved the ranking most: exclusions first, then by total effect."""
    found: dict[str, dict[str, Any]] = {}
    for entry in explained.entries:
        for reason in entry.reasons:
            item = found.setdefault(
                reason.question,
                {
                    "question": reason.question,
                    "question_text": reason.question_text,
                    "choice": reason.choice,
                    "choice_label": reason.choice_label,
                    "impact": 0,
                    "effects": {},
                    "excludes": [],
                },
            )
            item["impact"] += abs(reason.effect)
            item["effects"][entry.pattern] = item["effects"].get(entry.pattern, 0) + reason.effect
        for exclusion in entry.exclusions:
            item = found.setdefault(
                exclusion.question,
                {
                    "question": exclusion.question,
                    "question_text": exclusion.question_text,
                    "choice": exclusion.choice,
                    "choice_label": exclusion.choice_label,
                    "impact": 0,
                    "effects": {},
                    "excludes": [],
                },
            )
            item["excludes"].append(entry.pattern)
    position = {key: i for i, key in enumerate(answer_order)}
    ordered = sorted(
        found.values(),
        key=lambda d: (-len(d["excludes"]), -d["impact"], position.get(d["question"], 0)),
    )
    return [d for d in ordered if d["impact"] or d["excludes"]][:DRIVER_COUNT]


def _cost(review: Review) -> dict[str, Any] | None:
    """The licence-cost estimate when the review has cost inputs and the catalog a price table."""
    if not review.cost_inputs or not review.catalog.price_table:
        return None
    from patterns.kinds import for_catalog

    kind = for_catalog(review.catalog)
    estimate = kind.cost_estimate(review.catalog.price_table, review.cost_inputs)
    return json.loads(json.dumps(estimate, default=str))  # plain JSON data only


def record_content(review: Review) -> dict[str, Any]:
    """The record's content as plain JSON data, in the review's language.

    Everything product.md lists: title, status, dates, team; context (description and every
    answer with its note); decision drivers; the options side by side with merits, demerits
    and scores per criterion; the recommendation with its reasons and the sensitivity; the
    decision with its consequences and confirmation; risks; the cost estimate; sign-offs; the
    audit trail; catalog slug and version. About twelve queries.
    """
    lang = review_lang(review)
    with translation.override(lang):
        return _content(review, lang)


def _content(review: Review, lang: str) -> dict[str, Any]:
    catalog = review.catalog
    compiled = compiled_catalog(catalog)
    answers = {
        a.question: a for a in Answer.objects.filter(review=review).select_related("answered_by")
    }
    chosen = {key: a.choice for key, a in answers.items() if a.choice}
    result = rank(compiled, chosen, weights=review.weights or None, lang=lang)
    explained = explain(compiled, result, lang)
    criteria = list(catalog.criteria.all())
    patterns = list(catalog.patterns.prefetch_related("statements"))
    steps = list(catalog.steps.prefetch_related("questions"))

    answer_rows = []
    for step in steps:
        for question in step.questions.all():
            answer = answers.get(question.key)
            choice = answer.choice if answer and answer.choice else None
            answer_rows.append(
                {
                    "step": pick(step, "title", lang),
                    "question": question.key,
                    "question_text": pick(question, "text", lang),
                    "choice": choice,
                    "choice_label": compiled.label(lang, "choice", question.key, choice)
                    if choice
                    else None,
                    "note": answer.note if answer else "",
                    "answered_by": _person(answer.answered_by) if answer else None,
                    "answered_at": _iso(answer.answered_at) if answer else None,
                }
            )

    entries = {entry.pattern: entry for entry in explained.entries}
    options = []
    for pattern in patterns:
        entry = entries[pattern.key]
        by_criterion = {c.key: 0 for c in criteria}
        for reason in entry.reasons:
            by_criterion[reason.criterion] = by_criterion.get(reason.criterion, 0) + reason.effect
        options.append(
            {
                "pattern": pattern.key,
                "name": pick(pattern, "name", lang),
                "summary": pick(pattern, "summary", lang),
                "rank": entry.rank,
                "score": entry.score,
                "excluded": entry.excluded,
                "exclusions": [_exclusion(x) for x in entry.exclusions],
                "reasons": [_reason(r) for r in entry.reasons],
                "by_criterion": by_criterion,
                "statements": [
                    {
                        "key": s.key,
                        "criterion": next(c.key for c in criteria if c.pk == s.criterion_id),
                        "kind": s.kind,
                        "text": pick(s, "text", lang),
                        "source_section": s.source_section,
                    }
                    for s in pattern.statements.all()
                ],
            }
        )
    names = {option["pattern"]: option["name"] for option in options}
    recommended = explained.recommended()

    decision = Decision.objects.filter(review=review).select_related("decided_by").first()
    decision_data = None
    if decision is not None:
        decision_data = {
            "pattern": decision.pattern,
            "name": names.get(decision.pattern, decision.pattern),
            "recommended": decision.pattern in recommended,
            "excluded": decision.pattern in entries and entries[decision.pattern].excluded,
            "justification": decision.justification,
            "consequences_good": decision.consequences_good,
            "consequences_bad": decision.consequences_bad,
            "confirmation": decision.confirmation,
            "decided_by": _person(decision.decided_by),
            "decided_at": _iso(decision.updated_at),
        }

    signatures = list(review.signatures.select_related("approver"))
    roles = dict(
        Membership.objects.filter(
            team_id=review.team_id, user_id__in=[s.approver_id for s in signatures]
        ).values_list("user_id", "role")
    )
    events = list(review.events.select_related("actor"))
    approved_at = next(
        (e.at for e in reversed(events) if e.to_status == Review.Status.APPROVED), None
    )

    return {
        "format": FORMAT,
        "language": lang,
        "review": {
            "id": review.pk,
            "title": review.title,
            "status": review.status,
            "team": {"slug": review.team.slug, "name": review.team.name},
            "owner": _person(review.owner),
            "created_at": _iso(review.created_at),
            "approved_at": _iso(approved_at),
            "revision_of": review.revision_of_id,
        },
        "catalog": {
            "slug": catalog.slug,
            "version": catalog.version,
            "title": pick(catalog, "title", lang),
            "source": {
                "title": pick(catalog, "source_title", lang),
                "publisher": catalog.source_publisher,
                "url": catalog.source_url,
                "as_of": str(catalog.source_as_of),
            },
        },
        "context": {"description": review.context, "answers": answer_rows},
        "criteria": [
            {
                "key": c.key,
                "name": pick(c, "name", lang),
                "weight": result.weights.get(c.key, 1),
            }
            for c in criteria
        ],
        "decision_drivers": _drivers(explained, [row["question"] for row in answer_rows]),
        "options": options,
        "recommendation": {
            "tie": explained.tie,
            "narrow": explained.narrow,
            "winner": explained.winner.pattern if explained.winner else None,
            "runner_up": explained.runner_up.pattern if explained.runner_up else None,
            "tied": [entry.pattern for entry in explained.tied],
            "ranking": [entry.pattern for entry in explained.entries],
        },
        "sensitivity": [
            {
                "pattern": item.pattern,
                "changes": [change.to_json() for change in item.changes],
                "sentence": item.sentence,
            }
            for item in explained.sensitivity
        ],
        "decision": decision_data,
        "risks": [
            {
                "description": risk.description,
                "owner": risk.owner_display(),
                "mitigation": risk.mitigation,
                "review_on": risk.review_on.isoformat() if risk.review_on else None,
            }
            for risk in review.risks.select_related("owner_user")
        ],
        "cost": _cost(review),
        "signoffs": [
            {
                "name": _person(s.approver),
                "username": s.approver.get_username(),
                "role": roles.get(s.approver_id, ""),
                "state": s.state,
                "requested_at": _iso(s.requested_at),
                "signed_at": _iso(s.signed_at),
                "comment": s.comment,
            }
            for s in signatures
        ],
        "audit": [
            {
                "at": _iso(e.at),
                "actor": _person(e.actor),
                "action": e.action,
                "from": e.from_status,
                "to": e.to_status,
                "comment": e.comment,
            }
            for e in events
        ],
    }


def record_json(content: dict[str, Any]) -> bytes:
    """The canonical serialization that is hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def record_sha256(content: dict[str, Any]) -> str:
    return hashlib.sha256(record_json(content)).hexdigest()


def stored_or_live(review: Review) -> tuple[dict[str, Any], DecisionRecord | None]:
    """The content to export: the frozen record's when there is one, else the live one."""
    record = DecisionRecord.objects.filter(review=review).first()
    if record is not None:
        return json.loads(record.canonical_json), record
    return record_content(review), None


# --- display helpers shared by the PDF and the Markdown ---------------------------------


def _labels() -> dict[str, dict[str, str]]:
    """Display names for the keys the content stores (statuses, roles, actions, kinds)."""
    from patterns.models import Statement

    return {
        "status": {str(k): str(v) for k, v in Review.Status.choices},
        "role": {str(k): str(v) for k, v in Membership.Role.choices},
        "action": {str(k): str(v) for k, v in ReviewEvent.Action.choices},
        "kind": {str(k): str(v) for k, v in Statement.Kind.choices},
    }


def _when(value: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    parsed = parse_datetime(value) if value else None
    return parsed.strftime(fmt) if parsed else ""


def _display(content: dict[str, Any]) -> dict[str, Any]:
    """Lookups the templates need: options by key, statements per criterion, names."""
    labels = _labels()
    names = {option["pattern"]: option["name"] for option in content["options"]}
    ranking = content["recommendation"]["ranking"]
    by_key = {option["pattern"]: option for option in content["options"]}
    rows = []
    for criterion in content["criteria"]:
        cells = []
        for option in content["options"]:
            cells.append([s for s in option["statements"] if s["criterion"] == criterion["key"]])
        rows.append({"criterion": criterion, "cells": cells})
    signed = [s for s in content["signoffs"] if s["state"] == "signed"]
    return {
        "labels": labels,
        "names": names,
        "ranked": [by_key[key] for key in ranking if key in by_key],
        "rows": rows,
        "signed": signed,
        "decision_makers": [s["name"] for s in signed] or [s["name"] for s in content["signoffs"]],
        "status_label": labels["status"].get(content["review"]["status"], ""),
        "winner_name": names.get(content["recommendation"]["winner"] or "", ""),
        "runner_up_name": names.get(content["recommendation"]["runner_up"] or "", ""),
        "tied_names": [names[key] for key in content["recommendation"]["tied"] if key in names],
        "created": _when(content["review"]["created_at"], "%Y-%m-%d"),
        "approved": _when(content["review"]["approved_at"], "%Y-%m-%d"),
    }


# --- PDF -------------------------------------------------------------------------------


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

    class StaticOnlyURLFetcher(URLFetcher):
        """Serves the app's static files (fonts, CSS) to WeasyPrint; refuses every other URL.

        Under gunicorn there is no static server to fetch from, and refusing the rest keeps
        anything in a record from making the renderer fetch file://, internal hosts or data.
        """

        def fetch(self, url, headers=None):
            path = static_path_for(url)
            if path is None:
                logger.warning("PDF renderer refused %s", url[:200])
                raise URLFetchingError(f"refused: {url[:200]}")
            found = finders.find(path)
            if not found:
                raise URLFetchingError(f"no such static file: {path}")
            with open(found, "rb") as handle:
                body = handle.read()
            content_type = PDF_ASSET_TYPES[posixpath.splitext(path)[1].lower()]
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyURLFetcher


def static_path_for(url: str) -> str | None:
    """The static file path a PDF URL may fetch (`fonts/x.ttf`), or None when refused."""
    if not url.startswith(PDF_STATIC_PREFIX):
        return None
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        return None
    path = unquote(parts.path).removeprefix("/static/")
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    if any(segment in ("", ".", "..") for segment in path.split("/")):
        return None
    if posixpath.splitext(path)[1].lower() not in PDF_ASSET_TYPES:
        return None
    return path


@dataclass(frozen=True)
class _ChartReason:
    criterion: str
    effect: int


@dataclass(frozen=True)
class _ChartOption:
    pattern: str
    name: str
    score: int
    excluded: bool
    reasons: tuple[_ChartReason, ...]

    @classmethod
    def of(cls, option: dict[str, Any]) -> _ChartOption:
        reasons = tuple(_ChartReason(r["criterion"], r["effect"]) for r in option["reasons"])
        return cls(option["pattern"], option["name"], option["score"], option["excluded"], reasons)


def _chart(content: dict[str, Any]) -> str:
    from patterns.charts import score_chart_svg

    criteria = [(c["key"], c["name"]) for c in content["criteria"]]
    return score_chart_svg(
        [_ChartOption.of(option) for option in content["options"]],
        criteria,
        title=_("Scores by criterion"),
        description=_(
            "Each option's score split by criterion: contributions in its favour to the right "
            "of zero, against it to the left. The numbers are in the table below."
        ),
        font_family=f"{FONT_FAMILY}, sans-serif",
        chart_id="record-chart",
    )


def record_pdf(
    review: Review,
    *,
    draft: bool,
    content: dict[str, Any] | None = None,
    sha256: str | None = None,
    verify_url: str = "",
) -> bytes:
    """The record as an A4 PDF, in the review's language.

    `draft=True` is a preview, watermarked DRAFT and never stored. The frozen record passes
    the `content` it hashed and its `sha256`, so the PDF shows exactly what was hashed.
    Raises RecordRenderError when WeasyPrint fails.
    """
    if content is None:
        content = record_content(review)
    if sha256 is None and not draft:
        sha256 = record_sha256(content)
    lang = content["language"]
    with translation.override(lang):
        context = {
            "content": content,
            "d": _display(content),
            "draft": draft,
            "sha256": sha256,
            "verify_url": verify_url,
            "chart": _chart(content),
            "font_family": FONT_FAMILY,
            "lang": lang,
        }
        html = render_to_string("reviews/pdf/record.html", context)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # not its 7 steps
    try:
        import weasyprint

        document = weasyprint.HTML(
            string=html, base_url=PDF_BASE_URL, url_fetcher=_fetcher_class()()
        )
        return document.write_pdf()
    except Exception as exc:  # WeasyPrint raises many kinds; the caller shows one message
        logger.exception("rendering the record of review %s failed", review.pk)
        raise RecordRenderError(str(exc)) from exc


# --- Markdown --------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def md_text(value: str | None) -> str:
    """User or catalog text made inert in Markdown: every character that could start markup
    (HTML, links, images, emphasis, tables) is backslash-escaped; lines are kept."""
    if not value:
        return ""
    escaped = _MD_SPECIAL.sub(r"\\\1", value.replace("\r\n", "\n"))
    escaped = re.sub(r"^(\s*)([-=]{3,})", r"\1\\\2", escaped, flags=re.MULTILINE)
    return re.sub(r"^(\s*\d+)\.", r"\1\\.", escaped, flags=re.MULTILINE)


def md_inline(value: str | None) -> str:
    """`md_text` on one line (for list items and table-free layouts)."""
    return " ".join(md_text(value).split())


def md_block(value: str | None, indent: str = "") -> str:
    lines = md_text(value).split("\n")
    return "\n".join(f"{indent}{line}".rstrip() for line in lines)


def _yaml(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def record_markdown(
    content: dict[str, Any], *, sha256: str | None = None, verify_url: str = ""
) -> str:
    """The record in MADR style (front matter; Context and Problem Statement, Decision
    Drivers, Considered Options, Decision Outcome with Consequences and Confirmation, Pros
    and Cons of the Options; then the rest of the record), ready to commit next to code.

    Every text from users or the catalog goes through `md_text`, so it cannot become markup.
    """
    with translation.override(content["language"]):
        return _markdown(content, sha256=sha256, verify_url=verify_url)


def _markdown(content: dict[str, Any], *, sha256: str | None, verify_url: str) -> str:
    d = _display(content)
    review = content["review"]
    names = d["names"]
    out: list[str] = []
    add = out.append

    date = (review["approved_at"] or review["created_at"] or "")[:10]
    add("---")
    add(f"status: {_yaml(review['status'])}")
    add(f"date: {_yaml(date)}")
    add(f"decision-makers: {_yaml(', '.join(d['decision_makers']))}")
    add(f"consulted: {_yaml(review['owner'])}")
    add(f"title: {_yaml(review['title'])}")
    add(f"team: {_yaml(review['team']['name'])}")
    add(f"catalog: {_yaml(content['catalog']['slug'] + ' ' + content['catalog']['version'])}")
    if sha256:
        add(f"record-sha256: {_yaml(sha256)}")
    add("---")
    add("")
    add(f"# {md_inline(review['title'])}")
    add("")
    if review["status"] not in ("approved", "superseded"):
        add("> " + _("DRAFT: this record is not signed off yet; its content may still change."))
        add("")

    add("## " + _("Context and Problem Statement"))
    add("")
    if content["context"]["description"]:
        add(md_block(content["context"]["description"]))
        add("")
    answered = [row for row in content["context"]["answers"] if row["choice"] or row["note"]]
    for row in answered:
        answer = md_inline(row["choice_label"]) if row["choice"] else _("not answered")
        add(f"* {md_inline(row['question_text'])}: **{answer}**")
        if row["note"]:
            add(md_block(row["note"], indent="  "))
    if answered:
        add("")

    add("## " + _("Decision Drivers"))
    add("")
    for driver in content["decision_drivers"]:
        line = f"* {md_inline(driver['question_text'])}: {md_inline(driver['choice_label'])}"
        if driver["excludes"]:
            excluded = ", ".join(md_inline(names.get(p, p)) for p in driver["excludes"])
            line += " (" + _("excludes %(patterns)s") % {"patterns": excluded} + ")"
        add(line)
    if not content["decision_drivers"]:
        add("* " + _("No answer has moved the ranking yet."))
    add("")

    add("## " + _("Considered Options"))
    add("")
    for option in d["ranked"]:
        line = f"* {md_inline(option['name'])} (`{option['pattern']}`): "
        line += _("rank %(rank)s, score %(score)s") % {
            "rank": option["rank"],
            "score": option["score"],
        }
        if option["excluded"]:
            line += ", " + _("excluded")
        add(line)
    add("")

    add("## " + _("Decision Outcome"))
    add("")
    decision = content["decision"]
    if decision:
        add(
            _("Chosen option: “%(name)s”") % {"name": md_inline(decision["name"])}
            + f" (`{decision['pattern']}`)."
        )
        add("")
        if d["winner_name"]:
            add(_("Recommended option: “%(name)s”.") % {"name": md_inline(d["winner_name"])})
            add("")
        if decision["justification"]:
            add(md_block(decision["justification"]))
            add("")
        add("### " + _("Consequences"))
        add("")
        for kind, text in (
            (_("Good, because"), decision["consequences_good"]),
            (_("Bad, because"), decision["consequences_bad"]),
        ):
            for line in (text or "").splitlines():
                line = line.strip().lstrip("-*・").strip()
                if line:
                    add(f"* {kind} {md_inline(line)}")
        add("")
        add("### " + _("Confirmation"))
        add("")
        add(md_block(decision["confirmation"]) or _("Not stated."))
        add("")
    else:
        add(_("No decision has been recorded yet."))
        add("")

    add("## " + _("Pros and Cons of the Options"))
    add("")
    kinds = (("merit", _("Good, because")), ("neutral", _("Neutral, because")))
    kinds += (("demerit", _("Bad, because")),)
    for option in content["options"]:
        add(f"### {md_inline(option['name'])}")
        add("")
        add(md_block(option["summary"]))
        add("")
        for kind, lead in kinds:
            for statement in option["statements"]:
                if statement["kind"] == kind:
                    add(f"* {lead} {md_inline(statement['text'])}")
        for exclusion in option["exclusions"]:
            add(f"* {_('Excluded')}: {md_inline(exclusion['text'])}")
        add("")

    add("## " + _("More Information"))
    add("")
    add("### " + _("Recommendation and its reasons"))
    add("")
    if content["recommendation"]["tie"]:
        add(_("Tie: these options have equal scores:") + " " + ", ".join(d["tied_names"]))
        add("")
    elif content["recommendation"]["narrow"]:
        add(
            _("No clear winner: %(winner)s leads %(runner)s by less than 10%%.")
            % {"winner": md_inline(d["winner_name"]), "runner": md_inline(d["runner_up_name"])}
        )
        add("")
    for option in d["ranked"]:
        add(f"* {option['rank']}. {md_inline(option['name'])}: {option['score']}")
        for reason in option["reasons"]:
            add(
                f"  * {reason['effect']:+d} \\[{md_inline(reason['criterion_name'])}\\] "
                f"{md_inline(reason['question_text'])} → {md_inline(reason['choice_label'])}: "
                f"{md_inline(reason['text'])}"
            )
    add("")
    if content["sensitivity"]:
        add("### " + _("What would change the ranking"))
        add("")
        for item in content["sensitivity"]:
            add(f"* {md_inline(item['sentence'])}")
        add("")

    add("### " + _("Risks"))
    add("")
    for risk in content["risks"]:
        add(f"* {md_inline(risk['description'])}")
        add(f"  * {_('Owner')}: {md_inline(risk['owner']) or '—'}")
        add(f"  * {_('Mitigation')}: {md_inline(risk['mitigation']) or '—'}")
        add(f"  * {_('Re-review on')}: {risk['review_on'] or '—'}")
    if not content["risks"]:
        add(_("No risks recorded."))
    add("")

    cost = content["cost"]
    if cost:
        add("### " + _("Cost estimate"))
        add("")
        add(
            _("Prices as of %(date)s (%(source)s); prices change.")
            % {"date": cost["as_of"], "source": md_inline(cost["source"])}
        )
        add("")
        for key, figures in cost["patterns"].items():
            add(
                f"* {md_inline(names.get(key, key))}: {md_inline(figures['monthly_display'])} "
                + _("per month")
                + f", {md_inline(figures['yearly_display'])} "
                + _("per year")
            )
            for line in figures["lines"]:
                add(
                    f"  * {md_inline(line['label'])}: {md_inline(line['formula'])} = "
                    f"{md_inline(line['amount_display'])}"
                )
        add("")

    add("### " + _("Sign-offs"))
    add("")
    for signoff in content["signoffs"]:
        role = d["labels"]["role"].get(signoff["role"], signoff["role"])
        when = _when(signoff["signed_at"]) or _("pending")
        line = f"* {md_inline(signoff['name'])} ({md_inline(role)}): {when}"
        if signoff["comment"]:
            line += f": {md_inline(signoff['comment'])}"
        add(line)
    if not content["signoffs"]:
        add(_("No sign-off requested yet."))
    add("")

    add("### " + _("Audit trail"))
    add("")
    for event in content["audit"]:
        action = d["labels"]["action"].get(event["action"], event["action"])
        line = (
            f"* {_when(event['at'])} {md_inline(event['actor'])}: {md_inline(action)} "
            f"({d['labels']['status'].get(event['from'], event['from']) or '—'} → "
            f"{d['labels']['status'].get(event['to'], event['to'])})"
        )
        if event["comment"]:
            line += f": {md_inline(event['comment'])}"
        add(line)
    if not content["audit"]:
        add(_("Nothing yet."))
    add("")

    add("### " + _("Catalog and verification"))
    add("")
    catalog = content["catalog"]
    add(
        f"* {_('Catalog')}: {md_inline(catalog['title'])} "
        f"(`{catalog['slug']}`, {_('version')} {md_inline(catalog['version'])})"
    )
    add(f"* {_('Source')}: {md_inline(catalog['source']['title'])}, {catalog['source']['as_of']}")
    if sha256:
        add(f"* {_('Record SHA-256')}: `{sha256}`")
    if verify_url:
        add(f"* {_('Verify at')}: {md_inline(verify_url)}")
    return "\n".join(out).rstrip() + "\n"
