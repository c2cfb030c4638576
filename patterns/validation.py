"""Validation of a catalog file (fixtures/catalogs/README.md) before anything is written.

`validate_catalog(data)` returns every problem as "path: reason", e.g.
"patterns[2].statements[0].text_en: required". Pure Python, no database.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from . import kinds
from .format2 import check_basis, check_choice_weights, check_when, question_choices

FORMAT = 1  # the original format; still read and written for versions made in it
FORMATS = (1, 2)  # 2 adds: statement `basis`, effect/exclusion `when`, choice `weights`,
# `source.series`, `guidance_*` (fixtures/catalogs/README.md)
KEY_RE = re.compile(r"^[a-z0-9_]+$")
STATEMENT_KEY_RE = re.compile(r"^[a-z0-9_-]+$")
VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,39}$")
STATEMENT_KINDS = ("merit", "demerit", "neutral")
MAX_EFFECT = 3


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, path: str, reason: str) -> None:
        self.problems.append(f"{path}: {reason}")

    def obj(self, value: Any, path: str) -> dict | None:
        if not isinstance(value, dict):
            self.add(path, "must be an object")
            return None
        return value

    def items(self, parent: dict, name: str, path: str, *, required=True) -> list:
        value = parent.get(name)
        where = f"{path}.{name}" if path else name
        if value is None:
            if required:
                self.add(where, "required")
            return []
        if not isinstance(value, list):
            self.add(where, "must be a list")
            return []
        return value

    def text(self, parent: dict, name: str, path: str, *, blank=False, max_len=5000) -> str:
        value = parent.get(name)
        where = f"{path}.{name}" if path else name
        if value is None or (value == "" and not blank):
            self.add(where, "required")
            return ""
        if not isinstance(value, str):
            self.add(where, "must be a string")
            return ""
        if not blank and not value.strip():
            self.add(where, "required")
        if len(value) > max_len:
            self.add(where, f"at most {max_len} characters")
        return value

    def bilingual(self, parent: dict, base: str, path: str, *, blank=False, max_len=5000):
        for lang in ("ja", "en"):
            self.text(parent, f"{base}_{lang}", path, blank=blank, max_len=max_len)

    def key(self, parent: dict, name: str, path: str, pattern=KEY_RE) -> str:
        value = self.text(parent, name, path, max_len=60)
        if value and not pattern.match(value):
            self.add(f"{path}.{name}", f"must match {pattern.pattern}")
        return value

    def unknown(self, parent: dict, allowed: set[str], path: str) -> None:
        for name in parent:
            if name not in allowed:
                self.add(f"{path}.{name}" if path else name, "unknown field")


def validate_catalog(data: Any) -> list[str]:
    """Every problem of a catalog dict as "path: reason"; [] when it can be imported."""
    c = _Checker()
    if c.obj(data, "(top)") is None:
        return c.problems
    v2 = _check_header(c, data)
    criteria = _check_criteria(c, data)
    patterns, statements = _check_patterns(c, data, criteria, v2)
    # `when` may name a later question, so the question keys are read first
    refs = _Refs(patterns, criteria, statements, v2, question_choices(data))
    _check_steps(c, data, refs)
    c.problems.extend(kind_problems(data))
    return c.problems


@dataclass(frozen=True)
class _Refs:
    """What effects and exclusions may name: pattern, criterion and statement keys."""

    patterns: list[str]
    criteria: list[str]
    statements: dict[str, tuple[str, str]]
    v2: bool = False  # format 2: `when` and choice `weights` allowed
    questions: dict[str, list[str]] | None = None  # {question: [choices]}, for `when`


def _check_header(c: _Checker, data: dict[str, Any]) -> bool:
    """The top-level fields; True when the file is in format 2."""
    fmt = data.get("format")
    v2 = fmt == 2 and not isinstance(fmt, bool)
    c.unknown(
        data,
        {
            "format",
            "slug",
            "version",
            "kind",
            "title_ja",
            "title_en",
            "summary_ja",
            "summary_en",
            "source",
            "parent_pattern_ja",
            "parent_pattern_en",
            "criteria",
            "patterns",
            "steps",
            "price_table",
            *(("guidance_ja", "guidance_en") if v2 else ()),
        },
        "",
    )
    if fmt not in FORMATS or isinstance(fmt, bool):
        c.add("format", f"must be one of {', '.join(map(str, FORMATS))}")
    if v2:
        c.bilingual(data, "guidance", "", blank=True)
    slug = c.text(data, "slug", "", max_len=60)
    if slug and not re.match(r"^[a-z0-9][a-z0-9-]*$", slug):
        c.add("slug", "must be lowercase letters, digits and hyphens")
    version = c.text(data, "version", "", max_len=40)
    if version and not VERSION_RE.match(version):
        c.add("version", "must be letters, digits, dots and hyphens (e.g. 1.0.0)")
    c.bilingual(data, "title", "", max_len=200)
    c.bilingual(data, "summary", "")
    c.bilingual(data, "parent_pattern", "", blank=True, max_len=200)
    source = c.obj(data.get("source"), "source")
    if source is not None:
        c.unknown(
            source,
            {"title_ja", "title_en", "publisher", "url", "as_of", *(("series",) if v2 else ())},
            "source",
        )
        c.bilingual(source, "title", "source", max_len=200)
        c.text(source, "publisher", "source", blank=not v2, max_len=200)
        if v2:
            c.text(source, "series", "source", max_len=200)
        c.text(source, "url", "source", blank=True, max_len=500)
        as_of = c.text(source, "as_of", "source", max_len=10)
        if as_of:
            try:
                datetime.date.fromisoformat(as_of)
            except ValueError:
                c.add("source.as_of", "must be a date YYYY-MM-DD")
    return v2


def _check_criteria(c: _Checker, data: dict[str, Any]) -> list[str]:
    criteria: list[str] = []
    for i, crit in enumerate(c.items(data, "criteria", "")):
        path = f"criteria[{i}]"
        if c.obj(crit, path) is None:
            continue
        c.unknown(crit, {"key", "name_ja", "name_en", "description_ja", "description_en"}, path)
        key = c.key(crit, "key", path)
        if key in criteria:
            c.add(f"{path}.key", f"duplicate criterion {key!r}")
        criteria.append(key)
        c.bilingual(crit, "name", path, max_len=200)
        c.bilingual(crit, "description", path, blank=True)
    if not criteria:
        c.add("criteria", "at least one criterion is required")
    return criteria


def _check_patterns(
    c: _Checker, data: dict[str, Any], criteria: list[str], v2: bool
) -> tuple[list[str], dict[str, tuple[str, str]]]:
    patterns: list[str] = []
    statements: dict[str, tuple[str, str]] = {}  # key -> (pattern, criterion)
    for i, pattern in enumerate(c.items(data, "patterns", "")):
        path = f"patterns[{i}]"
        if c.obj(pattern, path) is None:
            continue
        c.unknown(
            pattern,
            {"key", "name_ja", "name_en", "summary_ja", "summary_en", "statements", "use_cases"},
            path,
        )
        key = c.key(pattern, "key", path)
        if key in patterns:
            c.add(f"{path}.key", f"duplicate pattern {key!r}")
        patterns.append(key)
        c.bilingual(pattern, "name", path, max_len=200)
        c.bilingual(pattern, "summary", path)
        for j, st in enumerate(c.items(pattern, "statements", path)):
            spath = f"{path}.statements[{j}]"
            if c.obj(st, spath) is None:
                continue
            c.unknown(
                st,
                {"key", "criterion", "kind", "text_ja", "text_en"}
                | ({"basis"} if v2 else {"source_section"}),
                spath,
            )
            skey = c.key(st, "key", spath, STATEMENT_KEY_RE)
            if skey in statements:
                c.add(f"{spath}.key", f"duplicate statement {skey!r}")
            crit = c.text(st, "criterion", spath, max_len=60)
            if crit and crit not in criteria:
                c.add(f"{spath}.criterion", f"unknown criterion {crit!r}")
            if st.get("kind") not in STATEMENT_KINDS:
                c.add(f"{spath}.kind", f"must be one of {', '.join(STATEMENT_KINDS)}")
            c.bilingual(st, "text", spath)
            if v2:
                check_basis(c, st.get("basis"), f"{spath}.basis")
            else:
                c.text(st, "source_section", spath, max_len=200)
            if skey:
                statements[skey] = (key, crit)
        for j, uc in enumerate(c.items(pattern, "use_cases", path)):
            upath = f"{path}.use_cases[{j}]"
            if c.obj(uc, upath) is None:
                continue
            c.unknown(uc, {"text_ja", "text_en", "source_section"}, upath)
            c.bilingual(uc, "text", upath)
            c.text(uc, "source_section", upath, max_len=200)
    if not patterns:
        c.add("patterns", "at least one pattern is required")
    return patterns, statements


def _check_steps(c: _Checker, data: dict[str, Any], refs: _Refs) -> None:
    questions: set[str] = set()
    steps: set[str] = set()
    for i, step in enumerate(c.items(data, "steps", "")):
        path = f"steps[{i}]"
        if c.obj(step, path) is None:
            continue
        c.unknown(
            step,
            {"key", "title_ja", "title_en", "description_ja", "description_en", "questions"},
            path,
        )
        skey = c.key(step, "key", path)
        if skey in steps:
            c.add(f"{path}.key", f"duplicate step {skey!r}")
        steps.add(skey)
        c.bilingual(step, "title", path, max_len=200)
        c.bilingual(step, "description", path, blank=True)
        step_questions = c.items(step, "questions", path)
        if not step_questions and isinstance(step.get("questions"), list):
            c.add(f"{path}.questions", "at least one question is required")
        for j, question in enumerate(step_questions):
            _check_question(c, question, f"{path}.questions[{j}]", questions, refs)
    if not questions:
        c.add("steps", "at least one question is required")


def _check_question(
    c: _Checker, question: Any, qpath: str, questions: set[str], refs: _Refs
) -> None:
    if c.obj(question, qpath) is None:
        return
    c.unknown(question, {"key", "text_ja", "text_en", "help_ja", "help_en", "choices"}, qpath)
    qkey = c.key(question, "key", qpath)
    if qkey in questions:
        c.add(f"{qpath}.key", f"duplicate question {qkey!r}")
    questions.add(qkey)
    c.bilingual(question, "text", qpath, max_len=500)
    c.bilingual(question, "help", qpath, blank=True)
    choices: set[str] = set()
    question_choices = c.items(question, "choices", qpath)
    if len(question_choices) < 2 and isinstance(question.get("choices"), list):
        c.add(f"{qpath}.choices", "at least two choices are required")
    for k, choice in enumerate(question_choices):
        cpath = f"{qpath}.choices[{k}]"
        if c.obj(choice, cpath) is None:
            continue
        c.unknown(
            choice,
            {"key", "label_ja", "label_en", "effects", "exclusions"}
            | ({"weights"} if refs.v2 else set()),
            cpath,
        )
        if refs.v2 and choice.get("weights") is not None:
            check_choice_weights(c, choice["weights"], f"{cpath}.weights", refs.criteria)
        ckey = c.key(choice, "key", cpath)
        if ckey in choices:
            c.add(f"{cpath}.key", f"duplicate choice {ckey!r}")
        choices.add(ckey)
        c.bilingual(choice, "label", cpath, max_len=200)
        _check_effects(c, choice, cpath, refs.patterns, refs.criteria, refs.statements)
        _check_conditions(c, choice, cpath, qkey, refs)


def _check_conditions(c: _Checker, choice: dict, cpath: str, qkey: str, refs: _Refs) -> None:
    """Each effect's and exclusion's `when` (format 2 only)."""
    for name in ("effects", "exclusions"):
        items = choice.get(name)
        for m, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict) or "when" not in item:
                continue
            wpath = f"{cpath}.{name}[{m}].when"
            if refs.v2:
                check_when(c, item["when"], wpath, refs.questions or {}, qkey)
            else:
                c.add(wpath, "unknown field (conditions need format 2)")


def kind_problems(data: dict) -> list[str]:
    """The problems of a catalog's `kind` and `price_table` (both optional) as "path: reason".

    A kind, when given, must be one of patterns/kinds/; a price table needs a kind, whose
    schema checks it (its paths start with "price_table").
    """
    kind = data.get("kind")
    if "kind" in data and (not isinstance(kind, str) or kind not in kinds.KINDS):
        known = ", ".join(sorted(kinds.KINDS))
        return [f"kind: must be one of: {known} (leave it out for a catalog without a kind)"]
    price_table = data.get("price_table")
    if price_table is None:
        return []
    if kind is None:
        return ['price_table: needs the catalog\'s kind ("kind"), whose code reads the table']
    return [
        f"price_table{problem}" for problem in kinds.get(kind).validate_price_table(price_table)
    ]


def _check_effects(c, choice, cpath, patterns, criteria, statements) -> None:
    for m, effect in enumerate(c.items(choice, "effects", cpath, required=False)):
        epath = f"{cpath}.effects[{m}]"
        if c.obj(effect, epath) is None:
            continue
        c.unknown(
            effect,
            {"pattern", "criterion", "weight", "statement", "reason_ja", "reason_en", "when"},
            epath,
        )
        pattern = c.text(effect, "pattern", epath, max_len=60)
        if pattern and pattern not in patterns:
            c.add(f"{epath}.pattern", f"unknown pattern {pattern!r}")
        crit = c.text(effect, "criterion", epath, max_len=60)
        if crit and crit not in criteria:
            c.add(f"{epath}.criterion", f"unknown criterion {crit!r}")
        weight = effect.get("weight")
        if (
            isinstance(weight, bool)
            or not isinstance(weight, int)
            or weight == 0
            or abs(weight) > MAX_EFFECT
        ):
            c.add(
                f"{epath}.weight",
                f"must be a whole number from -{MAX_EFFECT} to {MAX_EFFECT}, not 0",
            )
        _check_statement_ref(c, effect, epath, statements, pattern, crit)
        c.bilingual(effect, "reason", epath, max_len=1000)
    for m, exclusion in enumerate(c.items(choice, "exclusions", cpath, required=False)):
        xpath = f"{cpath}.exclusions[{m}]"
        if c.obj(exclusion, xpath) is None:
            continue
        c.unknown(exclusion, {"pattern", "statement", "reason_ja", "reason_en", "when"}, xpath)
        pattern = c.text(exclusion, "pattern", xpath, max_len=60)
        if pattern and pattern not in patterns:
            c.add(f"{xpath}.pattern", f"unknown pattern {pattern!r}")
        _check_statement_ref(c, exclusion, xpath, statements, pattern, None)
        c.bilingual(exclusion, "reason", xpath, max_len=1000)


def _check_statement_ref(c, item, path, statements, pattern, criterion) -> None:
    ref = c.text(item, "statement", path, max_len=60)
    if not ref:
        return
    if ref not in statements:
        c.add(f"{path}.statement", f"unknown statement {ref!r}")
        return
    st_pattern, st_criterion = statements[ref]
    if pattern and st_pattern != pattern:
        c.add(f"{path}.statement", f"{ref!r} is a statement of {st_pattern!r}, not {pattern!r}")
    if criterion and st_criterion != criterion:
        c.add(f"{path}.statement", f"{ref!r} bears on {st_criterion!r}, not {criterion!r}")
