"""Catalog import, export and the compiled (scoring) form of a stored catalog version."""

from __future__ import annotations

import json
import threading
from typing import Any

from django.db import transaction

from . import scoring
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
from .validation import FORMAT, validate_catalog


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

    source = data["source"]
    catalog = Catalog.objects.create(
        slug=data["slug"],
        version=data["version"],
        kind=data.get("kind", ""),
        **_bi(data, "title"),
        **_bi(data, "summary"),
        source_title_ja=source["title_ja"],
        source_title_en=source["title_en"],
        source_publisher=source.get("publisher", ""),
        source_url=source.get("url", ""),
        source_as_of=source["as_of"],
        **_bi(data, "parent_pattern"),
        price_table=data.get("price_table"),
    )
    criteria = {}
    for order, c in enumerate(data["criteria"]):
        criteria[c["key"]] = Criterion.objects.create(
            catalog=catalog,
            key=c["key"],
            order=order,
            **_bi(c, "name"),
            **_bi(c, "description"),
        )
    patterns, statements = {}, {}
    for order, p in enumerate(data["patterns"]):
        pattern = Pattern.objects.create(
            catalog=catalog, key=p["key"], order=order, **_bi(p, "name"), **_bi(p, "summary")
        )
        patterns[p["key"]] = pattern
        for s_order, s in enumerate(p["statements"]):
            statements[s["key"]] = Statement(
                pattern=pattern,
                criterion=criteria[s["criterion"]],
                key=s["key"],
                order=s_order,
                kind=s["kind"],
                **_bi(s, "text"),
                source_section=s["source_section"],
            )
        UseCase.objects.bulk_create(
            UseCase(
                pattern=pattern,
                order=u_order,
                **_bi(u, "text"),
                source_section=u["source_section"],
            )
            for u_order, u in enumerate(p["use_cases"])
        )
    Statement.objects.bulk_create(statements.values())
    effects, exclusions = [], []
    for order, step in enumerate(data["steps"]):
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
                    question=question, key=ch["key"], order=c_order, **_bi(ch, "label")
                )
                for e_order, e in enumerate(ch.get("effects", [])):
                    effects.append(
                        ChoiceEffect(
                            choice=choice,
                            order=e_order,
                            pattern=patterns[e["pattern"]],
                            criterion=criteria[e["criterion"]],
                            weight=e["weight"],
                            statement=statements[e["statement"]],
                            **_bi(e, "reason"),
                        )
                    )
                for x_order, x in enumerate(ch.get("exclusions", [])):
                    exclusions.append(
                        Exclusion(
                            choice=choice,
                            order=x_order,
                            pattern=patterns[x["pattern"]],
                            statement=statements[x["statement"]],
                            **_bi(x, "reason"),
                        )
                    )
    ChoiceEffect.objects.bulk_create(effects)
    Exclusion.objects.bulk_create(exclusions)
    if publish:
        catalog.publish()
    return catalog, True


def catalog_to_dict(catalog: Catalog) -> dict[str, Any]:
    """The catalog version in its file form (fixtures/catalogs/README.md), in a few queries."""
    criteria = list(catalog.criteria.all())
    crit_key = {c.pk: c.key for c in criteria}
    patterns = list(catalog.patterns.prefetch_related("statements", "use_cases"))
    pattern_key = {p.pk: p.key for p in patterns}
    statement_key = {s.pk: s.key for p in patterns for s in p.statements.all()}
    steps = list(
        catalog.steps.prefetch_related(
            "questions__choices__effects", "questions__choices__exclusions"
        )
    )

    def bi(obj, base):
        return {f"{base}_ja": getattr(obj, f"{base}_ja"), f"{base}_en": getattr(obj, f"{base}_en")}

    return {
        "format": FORMAT,
        "slug": catalog.slug,
        "version": catalog.version,
        **({"kind": catalog.kind} if catalog.kind else {}),  # absent: a catalog without a kind
        **bi(catalog, "title"),
        **bi(catalog, "summary"),
        "source": {
            "title_ja": catalog.source_title_ja,
            "title_en": catalog.source_title_en,
            "publisher": catalog.source_publisher,
            "url": catalog.source_url,
            "as_of": str(catalog.source_as_of),
        },
        **bi(catalog, "parent_pattern"),
        "criteria": [{"key": c.key, **bi(c, "name"), **bi(c, "description")} for c in criteria],
        "patterns": [
            {
                "key": p.key,
                **bi(p, "name"),
                **bi(p, "summary"),
                "statements": [
                    {
                        "key": s.key,
                        "criterion": crit_key[s.criterion_id],
                        "kind": s.kind,
                        **bi(s, "text"),
                        "source_section": s.source_section,
                    }
                    for s in p.statements.all()
                ],
                "use_cases": [
                    {**bi(u, "text"), "source_section": u.source_section} for u in p.use_cases.all()
                ],
            }
            for p in patterns
        ],
        "steps": [
            {
                "key": g.key,
                **bi(g, "title"),
                **bi(g, "description"),
                "questions": [
                    {
                        "key": q.key,
                        **bi(q, "text"),
                        **bi(q, "help"),
                        "choices": [
                            {
                                "key": ch.key,
                                **bi(ch, "label"),
                                "effects": [
                                    {
                                        "pattern": pattern_key[e.pattern_id],
                                        "criterion": crit_key[e.criterion_id],
                                        "weight": e.weight,
                                        "statement": statement_key[e.statement_id],
                                        **bi(e, "reason"),
                                    }
                                    for e in ch.effects.all()
                                ],
                                "exclusions": [
                                    {
                                        "pattern": pattern_key[x.pattern_id],
                                        "statement": statement_key[x.statement_id],
                                        **bi(x, "reason"),
                                    }
                                    for x in ch.exclusions.all()
                                ],
                            }
                            for ch in q.choices.all()
                        ],
                    }
                    for q in g.questions.all()
                ],
            }
            for g in steps
        ],
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
