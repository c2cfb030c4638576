"""The catalog's scoring form: `compile_catalog(data)` indexes a valid catalog dict once.

Pure Python on the plain-data form of `fixtures/catalogs/*.json` (fixtures/catalogs/README.md).
Format 2's additions are kept here too: each effect's and exclusion's `when`, each statement's
`basis`, each choice's criterion `weights`, and the catalog's closing `guidance`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LANGS = ("ja", "en")

Condition = tuple[tuple[str, frozenset[str]], ...]  # (question, allowed choices): all must hold


def holds(when: Condition, answers: dict[str, str]) -> bool:
    """True when every condition holds; an unanswered question never meets a condition."""
    return all(answers.get(question) in choices for question, choices in when)


@dataclass(frozen=True)
class Effect:
    pattern: str
    criterion: str
    weight: int
    statement: str
    reason: dict[str, str]
    when: Condition = ()


@dataclass(frozen=True)
class Exclusion:
    pattern: str
    statement: str
    reason: dict[str, str]
    when: Condition = ()


@dataclass
class CompiledCatalog:
    slug: str
    version: str
    patterns: list[str]
    criteria: list[str]
    questions: dict[str, list[str]]  # question key -> choice keys, in catalog order
    effects: dict[tuple[str, str], list[Effect]] = field(default_factory=dict)
    exclusions: dict[tuple[str, str], list[Exclusion]] = field(default_factory=dict)
    statements: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> texts
    # statement key -> {"type": "guide"|"kintone_help"|"inference", ...}; absent in format 1
    basis: dict[str, dict[str, str]] = field(default_factory=dict)
    # (question, choice) -> {criterion: weight}: the default weight an answer gives a criterion
    choice_weights: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    guidance: dict[str, str] = field(default_factory=dict)  # the guide's closing caveats
    # display names: ("pattern", key), ("criterion", key), ("question", key),
    # ("choice", question, key) -> {"ja": ..., "en": ...}
    labels: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict)
    # the evaluation's numeric index, built on first use (patterns.evaluation)
    index: Any = field(default=None, repr=False, compare=False)

    def label(self, lang: str, *path: str) -> str:
        return self.labels.get(path, {}).get(lang, path[-1])


def _condition(item: dict[str, Any]) -> Condition:
    return tuple((q, frozenset(cs)) for q, cs in (item.get("when") or {}).items())


def _names(item: dict[str, Any], base: str) -> dict[str, str]:
    return {lang: item[f"{base}_{lang}"] for lang in LANGS}


def _compile_choice(compiled: CompiledCatalog, question: str, choice: dict[str, Any]) -> None:
    slot = (question, choice["key"])
    compiled.labels[("choice", question, choice["key"])] = _names(choice, "label")
    if choice.get("weights"):
        compiled.choice_weights[slot] = dict(choice["weights"])
    compiled.effects[slot] = [
        Effect(
            pattern=e["pattern"],
            criterion=e["criterion"],
            weight=int(e["weight"]),
            statement=e["statement"],
            reason=_names(e, "reason"),
            when=_condition(e),
        )
        for e in choice.get("effects", [])
    ]
    compiled.exclusions[slot] = [
        Exclusion(
            pattern=x["pattern"],
            statement=x["statement"],
            reason=_names(x, "reason"),
            when=_condition(x),
        )
        for x in choice.get("exclusions", [])
    ]


def compile_catalog(data: dict[str, Any]) -> CompiledCatalog:
    """Index a valid catalog dict for scoring (validate it first with `validate_catalog`)."""
    compiled = CompiledCatalog(
        slug=data["slug"],
        version=str(data["version"]),
        patterns=[p["key"] for p in data["patterns"]],
        criteria=[c["key"] for c in data["criteria"]],
        questions={},
        guidance={lang: data.get(f"guidance_{lang}", "") for lang in LANGS},
    )
    for crit in data["criteria"]:
        compiled.labels[("criterion", crit["key"])] = _names(crit, "name")
    for pattern in data["patterns"]:
        compiled.labels[("pattern", pattern["key"])] = _names(pattern, "name")
        for st in pattern["statements"]:
            compiled.statements[st["key"]] = _names(st, "text")
            if st.get("basis"):
                compiled.basis[st["key"]] = dict(st["basis"])
    for step in data["steps"]:
        for question in step["questions"]:
            compiled.questions[question["key"]] = [c["key"] for c in question["choices"]]
            compiled.labels[("question", question["key"])] = _names(question, "text")
            for choice in question["choices"]:
                _compile_choice(compiled, question["key"], choice)
    return compiled
