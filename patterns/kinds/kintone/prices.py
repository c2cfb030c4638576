"""Validation of a kintone catalog's price table (`price_table` in fixtures/catalogs/README.md).

Pure Python, no database. `validate_price_table(data)` returns every problem as "path: reason"
where the path is relative to the table: it starts with "." or "[" (".courses[1].min_users")
or is empty for the table itself, so that `"price_table" + problem` reads like every other
catalog problem ("price_table.courses[1].min_users: ...").

The table is data, not code: prices change, so catalog editors change them in a new catalog
version (published versions never change), with the date the prices are valid from and where
they come from. Figures that nobody could confirm carry `"confirmed": false` and a note, and
the pages say so.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

KEY_RE = re.compile(r"^[a-z0-9_]+$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
MAX_PRICE = 1_000_000  # per user per month
MAX_USERS = 1_000_000
MAX_FEE = 100_000_000  # a monthly fee
TOP_FIELDS = {
    "as_of",
    "currency",
    "tax_included",
    "source_ja",
    "source_en",
    "default_course",
    "courses",
    "guest_user",
    "integration_service",
    "plugin",
}
COURSE_FIELDS = {
    "key",
    "name_ja",
    "name_en",
    "price_per_user_month",
    "min_users",
    "guest_price_per_user_month",
}
ASSUMPTION_FIELDS = {"confirmed", "note_ja", "note_en"}


class _Problems(list):
    def add(self, path: str, reason: str) -> None:
        self.append(f"{path}: {reason}")


def _whole(problems: _Problems, parent: dict, name: str, path: str, *, low: int, high: int):
    """A required whole number from `low` to `high` (booleans are not numbers here)."""
    value = parent.get(name)
    where = f"{path}.{name}"
    if value is None:
        problems.add(where, "required")
    elif isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.add(where, f"must be a whole number from {low:,} to {high:,}")
    else:
        return value
    return None


def _text(problems: _Problems, parent: dict, name: str, path: str, *, blank=False, max_len=1000):
    value = parent.get(name)
    where = f"{path}.{name}"
    if value is None:
        problems.add(where, "required")
    elif not isinstance(value, str):
        problems.add(where, "must be a string")
    elif not blank and not value.strip():
        problems.add(where, "required")
    elif len(value) > max_len:
        problems.add(where, f"at most {max_len} characters")
    else:
        return value
    return ""


def _unknown(problems: _Problems, parent: dict, allowed: set[str], path: str) -> None:
    for name in parent:
        if name not in allowed:
            problems.add(f"{path}.{name}", "unknown field")


def _assumption(problems: _Problems, data: dict, name: str, extra: dict[str, tuple[int, int]]):
    """An object of editable figures (`extra`: field -> (low, high)) with `confirmed` and notes."""
    path = f".{name}"
    value = data.get(name)
    if not isinstance(value, dict):
        problems.add(path, "required" if value is None else "must be an object")
        return
    _unknown(problems, value, ASSUMPTION_FIELDS | set(extra), path)
    for field, (low, high) in extra.items():
        _whole(problems, value, field, path, low=low, high=high)
    if not isinstance(value.get("confirmed"), bool):
        problems.add(f"{path}.confirmed", "must be true or false")
    for lang in ("ja", "en"):
        _text(problems, value, f"note_{lang}", path, blank=True)


def validate_price_table(data: Any) -> list[str]:
    """Every problem of a price table as "path: reason" (path relative to the table); []: valid."""
    problems = _Problems()
    if not isinstance(data, dict):
        problems.add("", "must be an object")
        return problems
    _unknown(problems, data, TOP_FIELDS, "")

    as_of = _text(problems, data, "as_of", "", max_len=10)
    if as_of:
        try:
            datetime.date.fromisoformat(as_of)
        except ValueError:
            problems.add(".as_of", "must be a date YYYY-MM-DD")
    currency = data.get("currency")
    if not isinstance(currency, str) or not CURRENCY_RE.match(currency):
        problems.add(".currency", "must be a three-letter currency code such as JPY")
    if not isinstance(data.get("tax_included"), bool):
        problems.add(".tax_included", "must be true or false")
    for lang in ("ja", "en"):
        _text(problems, data, f"source_{lang}", "")

    keys: list[str] = []
    courses = data.get("courses")
    if not isinstance(courses, list) or not courses:
        problems.add(".courses", "must be a list of at least one course")
        courses = []
    for i, course in enumerate(courses):
        path = f".courses[{i}]"
        if not isinstance(course, dict):
            problems.add(path, "must be an object")
            continue
        _unknown(problems, course, COURSE_FIELDS, path)
        key = _text(problems, course, "key", path, max_len=60)
        if key and not KEY_RE.match(key):
            problems.add(f"{path}.key", f"must match {KEY_RE.pattern}")
        elif key and key in keys:
            problems.add(f"{path}.key", f"duplicate course {key!r}")
        keys.append(key)
        for lang in ("ja", "en"):
            _text(problems, course, f"name_{lang}", path, max_len=200)
        _whole(problems, course, "price_per_user_month", path, low=0, high=MAX_PRICE)
        _whole(problems, course, "min_users", path, low=1, high=MAX_USERS)
        if course.get("guest_price_per_user_month", 0) is not None:  # null: not priced
            _whole(problems, course, "guest_price_per_user_month", path, low=0, high=MAX_PRICE)
    default = data.get("default_course")
    if default is None:
        problems.add(".default_course", "required")
    elif keys and default not in keys:
        problems.add(".default_course", f"must be one of the courses: {', '.join(keys)}")

    _assumption(problems, data, "guest_user", {"min_users": (0, MAX_USERS)})
    _assumption(problems, data, "integration_service", {"monthly_fee": (0, MAX_FEE)})
    _assumption(problems, data, "plugin", {"monthly_fee": (0, MAX_FEE)})
    return list(problems)
