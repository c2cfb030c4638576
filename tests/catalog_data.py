"""Catalog dicts for tests: the shipped kintone catalog and a tiny synthetic one."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

KINTONE_PATH = (
    Path(__file__).resolve().parent.parent
    / "fixtures"
    / "catalogs"
    / "kintone-external-collaboration.json"
)


KINTONE_11_PATH = KINTONE_PATH.with_name("kintone-external-collaboration-1.1.0.json")


@cache
def _kintone_11() -> dict:
    return json.loads(KINTONE_11_PATH.read_text(encoding="utf-8"))


def kintone_catalog_11() -> dict:
    """A fresh copy of the kintone catalog 1.1.0 (format 2)."""
    return copy.deepcopy(_kintone_11())


@cache
def _kintone() -> dict:
    return json.loads(KINTONE_PATH.read_text(encoding="utf-8"))


def kintone_catalog() -> dict:
    """A fresh copy of the kintone catalog 1.0.0, which the tests pin (they may mutate it)."""
    return copy.deepcopy(_kintone())


def _bi(base: str, text: str) -> dict:
    return {f"{base}_ja": f"{text}（日本語）", f"{base}_en": text}


def tiny_catalog(**overrides) -> dict:
    """Two patterns (a, b), one criterion (c), two questions; scores are easy to compute.

    q1=x: a +2;  q1=y: b +2, excludes nothing;  q2=p: a +1, b +1;  q2=no: excludes b.
    """
    data = {
        "format": 1,
        "slug": "tiny",
        "version": "1",
        **_bi("title", "Tiny"),
        **_bi("summary", "A tiny catalog"),
        "source": {**_bi("title", "Tests"), "publisher": "", "url": "", "as_of": "2024-01-01"},
        "parent_pattern_ja": "",
        "parent_pattern_en": "",
        "criteria": [{"key": "c", **_bi("name", "C"), **_bi("description", "")}],
        "patterns": [
            {
                "key": key,
                **_bi("name", key.upper()),
                **_bi("summary", f"Pattern {key}"),
                "statements": [
                    {
                        "key": f"{key}-c",
                        "criterion": "c",
                        "kind": "merit",
                        **_bi("text", f"{key} is good at c"),
                        "source_section": "tests",
                    }
                ],
                "use_cases": [],
            }
            for key in ("a", "b")
        ],
        "steps": [
            {
                "key": "only",
                **_bi("title", "Only step"),
                **_bi("description", ""),
                "questions": [
                    {
                        "key": "q1",
                        **_bi("text", "Question one"),
                        **_bi("help", ""),
                        "choices": [
                            {
                                "key": "x",
                                **_bi("label", "X"),
                                "effects": [effect("a", 2)],
                                "exclusions": [],
                            },
                            {
                                "key": "y",
                                **_bi("label", "Y"),
                                "effects": [effect("b", 2)],
                                "exclusions": [],
                            },
                        ],
                    },
                    {
                        "key": "q2",
                        **_bi("text", "Question two"),
                        **_bi("help", ""),
                        "choices": [
                            {
                                "key": "p",
                                **_bi("label", "P"),
                                "effects": [effect("a", 1), effect("b", 1)],
                                "exclusions": [],
                            },
                            {
                                "key": "no",
                                **_bi("label", "No"),
                                "effects": [],
                                "exclusions": [
                                    {"pattern": "b", "statement": "b-c", **_bi("reason", "b out")}
                                ],
                            },
                        ],
                    },
                ],
            }
        ],
        "price_table": None,
    }
    data.update(overrides)
    return data


def effect(pattern: str, weight: int) -> dict:
    return {
        "pattern": pattern,
        "criterion": "c",
        "weight": weight,
        "statement": f"{pattern}-c",
        **_bi("reason", f"moves {pattern} by {weight}"),
    }
