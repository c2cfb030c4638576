"""What catalog file format 2 adds (fixtures/catalogs/README.md), checked and labelled.

- a statement's `basis`: what it rests on, `guide` (with its section), `kintone_help` (with
  the help topic) or `inference` (which cites no section of the guide);
- an effect's or exclusion's `when`: {question: [choices]}, every entry must hold;
- a choice's `weights`: {criterion: 0-3}, the criterion's default weight when it is answered.

The checks take validation's checker (`add`, `unknown`, `text`) and report "path: reason".
"""

from __future__ import annotations

from typing import Any, Protocol

BASIS_TYPES = ("guide", "kintone_help", "inference")
BASIS_REF = {"guide": "section", "kintone_help": "topic", "inference": None}
MAX_CRITERION_WEIGHT = 3


class Checker(Protocol):
    def add(self, path: str, reason: str) -> None: ...

    def unknown(self, parent: dict, allowed: set[str], path: str) -> None: ...

    def text(
        self, parent: dict, name: str, path: str, *, blank: bool = ..., max_len: int = ...
    ) -> str: ...


def _cut(value: Any) -> str:
    return repr(str(value)[:60])


def question_choices(data: dict) -> dict[str, list[str]]:
    """{question key: [choice keys]} of a (possibly invalid) catalog, for checking `when`."""
    found: dict[str, list[str]] = {}
    steps = data.get("steps")
    for step in steps if isinstance(steps, list) else []:
        questions = step.get("questions") if isinstance(step, dict) else None
        for question in questions if isinstance(questions, list) else []:
            if not isinstance(question, dict) or not isinstance(question.get("key"), str):
                continue
            choices = question.get("choices")
            found[question["key"]] = [
                ch["key"]
                for ch in (choices if isinstance(choices, list) else [])
                if isinstance(ch, dict) and isinstance(ch.get("key"), str)
            ]
    return found


def check_when(
    c: Checker, when: Any, path: str, known: dict[str, list[str]], own_question: str
) -> None:
    """`when`: {question: [choices]}; every entry must hold (an unanswered question does not)."""
    if not isinstance(when, dict) or not when:
        c.add(path, "must be a non-empty object of {question: [choices]}")
        return
    for question, choices in when.items():
        where = f"{path}.{question}"
        if question not in known:
            c.add(where, f"unknown question {_cut(question)}")
        elif question == own_question:
            c.add(where, "a condition cannot name the effect's own question")
        elif not isinstance(choices, list) or not choices:
            c.add(where, "must be a non-empty list of choice keys")
        else:
            for choice in choices:
                if not isinstance(choice, str) or choice not in known[question]:
                    allowed = ", ".join(known[question])
                    c.add(where, f"unknown choice {_cut(choice)}; allowed: {allowed}")


def check_basis(c: Checker, basis: Any, path: str) -> None:
    """`basis`: what a statement rests on; an inference cites no section of the guide."""
    if not isinstance(basis, dict):
        c.add(path, "required: an object with type " + " | ".join(BASIS_TYPES))
        return
    kind = basis.get("type")
    if kind not in BASIS_TYPES:
        c.add(f"{path}.type", f"must be one of {', '.join(BASIS_TYPES)}")
        return
    ref = BASIS_REF[kind]
    c.unknown(basis, {"type", *((ref,) if ref else ())}, path)
    if ref:
        c.text(basis, ref, path, max_len=200)


def check_choice_weights(c: Checker, weights: Any, path: str, criteria: list[str]) -> None:
    if not isinstance(weights, dict) or not weights:
        c.add(path, "must be a non-empty object of {criterion: 0-3}")
        return
    for criterion, weight in weights.items():
        if criterion not in criteria:
            c.add(f"{path}.{criterion}", f"unknown criterion {_cut(criterion)}")
        elif (
            isinstance(weight, bool)
            or not isinstance(weight, int)
            or not 0 <= weight <= MAX_CRITERION_WEIGHT
        ):
            c.add(f"{path}.{criterion}", f"must be a whole number from 0 to {MAX_CRITERION_WEIGHT}")


def basis_label(basis: dict | None, source_section: str = "") -> str:
    """The one-line form of a statement's basis kept in `Statement.source_section`."""
    if not basis:
        return source_section
    if basis.get("type") == "guide":
        return str(basis.get("section", ""))
    if basis.get("type") == "kintone_help":
        return f"kintone help: {basis.get('topic', '')}"
    return "inference"
