"""Untrusted input for the engine: answers and weights as JSON, from a file, stdin or a body.

`load_json` refuses, with one line, what is not UTF-8, nested deeper than MAX_DEPTH (before
json.loads recurses into it) or not JSON; `echo` cuts a user-supplied value for a message.
"""

from __future__ import annotations

import json
from typing import Any

MAX_ECHO = 40  # echoed input is cut to this many characters in messages
MAX_DEPTH = 20  # answers are a flat object; deeper input is refused before it is parsed


class AnswerError(ValueError):
    """Bad answers or weights; the message names the key and the allowed values."""


def echo(value: Any) -> str:
    """repr() of a user-supplied value for a one-line message, cut short."""
    if isinstance(value, dict | list):
        text = f"<a JSON {'object' if isinstance(value, dict) else 'list'}>"
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_ECHO else text[: MAX_ECHO - 1] + "…"


def _nesting(text: str) -> int:
    """The deepest nesting of [ and { outside strings (stops counting past MAX_DEPTH)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def load_json(raw: bytes | str, what: str = "answers") -> Any:
    """Parse JSON input or raise AnswerError with one line."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")  # a byte-order mark (Windows editors) is still UTF-8
        except UnicodeDecodeError as exc:
            raise AnswerError(f"{what}: not UTF-8 text (byte {exc.start})") from exc
    raw = raw.removeprefix("\ufeff")
    if ("[" in raw or "{" in raw) and _nesting(raw) > MAX_DEPTH:
        raise AnswerError(f"{what}: nested deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(raw or "null")
    except json.JSONDecodeError as exc:
        raise AnswerError(
            f"{what}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    except RecursionError as exc:  # pragma: no cover - refused above
        raise AnswerError(f"{what}: not valid JSON: nested too deeply") from exc
