"""Catalog import, export and the compiled (scoring) form of a stored catalog version."""

from __future__ import annotations

import json
import threading
from typing import Any

from django.db import transaction

from . import scoring
from .format2 import basis_label
from .models import (
    Catalog,
    Choice,
    ChoiceEffect,
    Criterion,
    Exclusion,
    Pattern,
    Question,
    QuestionGroup,
    Statement,
    UseCase,
)
from .validation import validate_catalog


class CatalogImportError(Exception):
    """The file cannot be imported; `problems` lists every reason as "path: reason"."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _bi(data: dict, base: str) -> dict[str, str]:
    return {f"{base}_ja": data[f"{base}_ja"], f"{base}_en": data[f"{base}_en"]}


@transaction.atomic
def catalog_import(data: Any, *, publish: bool = True) -> tuple[Catalog, bool]:
    """Store a catalog dict as a new version; returns (catalog, created).

    The whole file is validated first and nothing is written when anything is wrong. Importing
    a version that already exists with the very same content is a no-op; different content
    under an existing version number is refused (published versions never change).
    """
    problems = validate_catalog(data)
    if problems:
        raise CatalogImportError(problems)
    existing = Catalog.objects.filter(slug=data["slug"], version=data["version"]).first()
    if existing is not None:
        if catalog_to_dict(existing) == json.loads(json.dumps(data)):
            return existing, False
        raise CatalogImportError(
            [
                f"version: {data['slug']} {data['version']} already exists with other content;"
                " give the file a new version"
            ]
        )

    catalog = _create_catalog(data)
    criteria = {
        c["key"]: Criterion.objects.create(
            catalog=catalog, key=c["key"], order=order, **_bi(c, "name"), **_bi(c, "description")
        )
        for order, c in enumerate(data["criteria"])
    }
    patterns, statements = _import_patterns(catalog, data["patterns"], criteria)
    _import_steps(catalog, data["steps"], patterns, criteria, statements)
    if publish:
        catalog.publish()
    return catalog, True


def _create_catalog(data: dict[str, Any]) -> Catalog:
    source = data["source"]
    return Catalog.objects.create(
        slug=data["slug"],
        version=data["version"],
        kind=data.get("kind", ""),
        **_bi(data, "title"),
        **_bi(data, "summary"),
        source_title_ja=source["title_ja"],
        source_title_en=source["title_en"],
        source_publisher=source.get("publisher", ""),
        source_series=source.get("series", ""),
        format=data["format"],
        guidance_ja=data.get("guidance_ja", ""),
        guidance_en=data.get("guidance_en", ""),
        source_url=source.get("url", ""),
        source_as_of=source["as_of"],
        **_bi(data, "parent_pattern"),
        price_table=data.get("price_table"),
    )


def _import_patterns(
    catalog: Catalog, items: list[dict[str, Any]], criteria: dict[str, Criterion]
) -> tuple[dict[str, Pattern], dict[str, Statement]]:
    """The patterns with their statements and use cases; returns both by key."""
    patterns, statements = {}, {}
    for order, p in enumerate(items):
        pattern = Pattern.objects.create(
            catalog=catalog, key=p["key"], order=order, **_bi(p, "name"), **_bi(p, "summary")
        )
        patterns[p["key"]] = pattern
        for s_order, st in enumerate(p["statements"]):
            statements[st["key"]] = Statement(
                pattern=pattern,
                criterion=criteria[st["criterion"]],
                key=st["key"],
                order=s_order,
                kind=st["kind"],
                **_bi(st, "text"),
                source_section=basis_label(st.get("basis"), st.get("source_section", "")),
                basis=st.get("basis"),
            )
        UseCase.objects.bulk_create(
            UseCase(
                pattern=pattern, order=u_order, **_bi(u, "text"), source_section=u["source_section"]
            )
            for u_order, u in enumerate(p["use_cases"])
        )
    Statement.objects.bulk_create(statements.values())
    return patterns, statements


def _import_steps(
    catalog: Catalog,
    steps: list[dict[str, Any]],
    patterns: dict[str, Pattern],
    criteria: dict[str, Criterion],
    statements: dict[str, Statement],
) -> None:
    """The steps, their questions and choices, and each choice's effects and exclusions."""
    effects, exclusions = [], []
    for order, step in enumerate(steps):
        group = QuestionGroup.objects.create(
            catalog=catalog,
            key=step["key"],
            order=order,
            **_bi(step, "title"),
            **_bi(step, "description"),
        )
        for q_order, q in enumerate(step["questions"]):
            question = Question.objects.create(
                group=group, key=q["key"], order=q_order, **_bi(q, "text"), **_bi(q, "help")
            )
            for c_order, ch in enumerate(q["choices"]):
                choice = Choice.objects.create(
                    question=question,
                    key=ch["key"],
                    order=c_order,
                    **_bi(ch, "label"),
                    weights=ch.get("weights"),
                )
                effects += [
                    ChoiceEffect(
                        choice=choice,
                        order=e_order,
                        pattern=patterns[e["pattern"]],
                        criterion=criteria[e["criterion"]],
                        weight=e["weight"],
                        statement=statements[e["statement"]],
                        **_bi(e, "reason"),
                        when=e.get("when"),
                    )
                    for e_order, e in enumerate(ch.get("effects", []))
                ]
                exclusions += [
                    Exclusion(
                        choice=choice,
                        order=x_order,
                        pattern=patterns[x["pattern"]],
                        statement=statements[x["statement"]],
                        **_bi(x, "reason"),
                        when=x.get("when"),
                    )
                    for x_order, x in enumerate(ch.get("exclusions", []))
                ]
    ChoiceEffect.objects.bulk_create(effects)
    Exclusion.objects.bulk_create(exclusions)


def _bi_of(obj: Any, base: str) -> dict[str, str]:
    return {f"{base}_ja": getattr(obj, f"{base}_ja"), f"{base}_en": getattr(obj, f"{base}_en")}


def _when(item: ChoiceEffect | Exclusion) -> dict[str, Any]:
    """`when`, written only where the file had one, so that files round-trip exactly."""
    return {"when": item.when} if item.when is not None else {}


def _pattern_dict(p: Pattern, crit_key: dict[int, str], v2: bool) -> dict[str, Any]:
    return {
        "key": p.key,
        **_bi_of(p, "name"),
        **_bi_of(p, "summary"),
        "statements": [
            {
                "key": s.key,
                "criterion": crit_key[s.criterion_id],
                "kind": s.kind,
                **_bi_of(s, "text"),
                **({"basis": s.basis} if v2 else {"source_section": s.source_section}),
            }
            for s in p.statements.all()
        ],
        "use_cases": [
            {**_bi_of(u, "text"), "source_section": u.source_section} for u in p.use_cases.all()
        ],
    }


def _choice_dict(ch: Choice, keys: dict[str, dict[int, str]]) -> dict[str, Any]:
    pattern_key, crit_key, statement_key = keys["pattern"], keys["criterion"], keys["statement"]
    return {
        "key": ch.key,
        **_bi_of(ch, "label"),
        **({"weights": ch.weights} if ch.weights is not None else {}),
        "effects": [
            {
                "pattern": pattern_key[e.pattern_id],
                "criterion": crit_key[e.criterion_id],
                "weight": e.weight,
                "statement": statement_key[e.statement_id],
                **_bi_of(e, "reason"),
                **_when(e),
            }
            for e in ch.effects.all()
        ],
        "exclusions": [
            {
                "pattern": pattern_key[x.pattern_id],
                "statement": statement_key[x.statement_id],
                **_bi_of(x, "reason"),
                **_when(x),
            }
            for x in ch.exclusions.all()
        ],
    }


def _step_dict(g: QuestionGroup, keys: dict[str, dict[int, str]]) -> dict[str, Any]:
    return {
        "key": g.key,
        **_bi_of(g, "title"),
        **_bi_of(g, "description"),
        "questions": [
            {
                "key": q.key,
                **_bi_of(q, "text"),
                **_bi_of(q, "help"),
                "choices": [_choice_dict(ch, keys) for ch in q.choices.all()],
            }
            for q in g.questions.all()
        ],
    }


def catalog_to_dict(catalog: Catalog) -> dict[str, Any]:
    """The catalog version in its file form (fixtures/catalogs/README.md), in a few queries."""
    criteria = list(catalog.criteria.all())
    patterns = list(catalog.patterns.prefetch_related("statements", "use_cases"))
    keys = {
        "criterion": {c.pk: c.key for c in criteria},
        "pattern": {p.pk: p.key for p in patterns},
        "statement": {s.pk: s.key for p in patterns for s in p.statements.all()},
    }
    steps = catalog.steps.prefetch_related(
        "questions__choices__effects", "questions__choices__exclusions"
    )
    v2 = catalog.format == 2
    return {
        "format": catalog.format,
        "slug": catalog.slug,
        "version": catalog.version,
        **({"kind": catalog.kind} if catalog.kind else {}),  # absent: a catalog without a kind
        **_bi_of(catalog, "title"),
        **_bi_of(catalog, "summary"),
        "source": {
            "title_ja": catalog.source_title_ja,
            "title_en": catalog.source_title_en,
            "publisher": catalog.source_publisher,
            "url": catalog.source_url,
            "as_of": str(catalog.source_as_of),
            **({"series": catalog.source_series} if v2 else {}),
        },
        **_bi_of(catalog, "parent_pattern"),
        **(_bi_of(catalog, "guidance") if v2 else {}),
        "criteria": [
            {"key": c.key, **_bi_of(c, "name"), **_bi_of(c, "description")} for c in criteria
        ],
        "patterns": [_pattern_dict(p, keys["criterion"], v2) for p in patterns],
        "steps": [_step_dict(g, keys) for g in steps],
        "price_table": catalog.price_table,
    }


_compiled_cache: dict[tuple, scoring.CompiledCatalog] = {}
_cache_lock = threading.Lock()


def compiled_catalog(catalog: Catalog) -> scoring.CompiledCatalog:
    """The scoring form of a catalog version; published versions are compiled once per process."""
    if not catalog.is_published:
        return scoring.compile_catalog(catalog_to_dict(catalog))
    cache_key = (catalog.pk, catalog.slug, catalog.version, catalog.published_at)
    with _cache_lock:
        compiled = _compiled_cache.get(cache_key)
    if compiled is None:
        compiled = scoring.compile_catalog(catalog_to_dict(catalog))
        with _cache_lock:
            _compiled_cache[cache_key] = compiled
    return compiled


def catalog_new_draft(catalog: Catalog, *, version: str) -> Catalog:
    """Copy a catalog version into a new, editable draft `version`: changes make new versions."""
    data = catalog_to_dict(catalog)
    data["version"] = version
    new, _ = catalog_import(data, publish=False)
    return new
