"""The comparison pages' shared parts: which patterns to show, and the CSV export.

Used by the catalog's comparison (patterns/views.py) and a review's (reviews/views/compare.py).
The choice of patterns travels in the URL (`?p=guest_space&p=inter_org_access`), so a
comparison can be shared; a choice that cannot be shown as asked (fewer than 2, more than 4,
unknown keys) is corrected to a sensible one and the page says what it did (status 200).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Statement

MIN_SELECTED = 2
MAX_SELECTED = 4
MAX_REPORTED_KEYS = 5  # unknown keys named in the message, at most
ORDERS = ("catalog", "score")


@dataclass
class Selection:
    keys: list[str]  # what the page shows, in display order
    order: str = "catalog"
    problems: list[str] = field(default_factory=list)  # what was corrected, for the page

    def query(self) -> str:
        """The query string that shows this selection (for links and the CSV)."""
        params = [("p", key) for key in self.keys]
        if self.order != "catalog":
            params.append(("order", self.order))
        return urlencode(params)


def select_patterns(
    available: Sequence[str],
    requested: Sequence[str],
    *,
    fallback: Sequence[str] | None = None,
    order: str = "catalog",
    ranking: Sequence[str] | None = None,
    label: Callable[[str], str] = str,
) -> Selection:
    """The 2-4 patterns to compare, from the requested keys (`?p=`), with what was corrected.

    `available` is the catalog order; `fallback` the order in which to fill up a short choice
    (a review's ranking; the catalog order by default); `ranking` the order for `order="score"`
    (None: ordering by score is not offered). Nothing requested: the first four of `fallback`.
    """
    fallback = list(fallback or available)
    if order not in ORDERS or (order == "score" and ranking is None):
        order = "catalog"
    requested = [key for i, key in enumerate(requested) if key not in requested[:i]]
    unknown = [key for key in requested if key not in available]
    problems = [_unknown_problem(unknown)] if unknown else []
    keys = [key for key in requested if key in available]
    if not requested:
        keys = fallback[:MAX_SELECTED]
    elif len(keys) > MAX_SELECTED:
        problems.append(_too_many_problem(len(keys)))
        keys = keys[:MAX_SELECTED]
    elif len(keys) < MIN_SELECTED:
        added = [key for key in fallback if key not in keys][: MIN_SELECTED - len(keys)]
        if added:
            problems.append(_too_few_problem(len(keys), [label(key) for key in added]))
        keys += added
    ordered = ranking if order == "score" and ranking is not None else available
    position = {key: i for i, key in enumerate(ordered)}
    keys.sort(key=lambda key: position.get(key, len(position)))
    return Selection(keys=keys, order=order, problems=problems)


def _unknown_problem(unknown: Sequence[str]) -> str:
    shown = ", ".join(f"“{key[:60]}”" for key in unknown[:MAX_REPORTED_KEYS])
    return ngettext(
        "There is no option %(keys)s in this catalog; it was left out.",
        "There are no options %(keys)s in this catalog; they were left out.",
        len(unknown),
    ) % {"keys": shown}


def _too_many_problem(count: int) -> str:
    return _(
        "You chose %(count)d options; at most %(max)d can be compared side by side, "
        "so the first %(max)d are shown."
    ) % {"count": count, "max": MAX_SELECTED}


def _too_few_problem(count: int, added: Sequence[str]) -> str:
    """`count` options chosen, the options named `added` added to reach the minimum."""
    return ngettext(
        "Choose at least %(min)d options to compare (you chose %(count)d); %(added)s was added.",
        "Choose at least %(min)d options to compare (you chose %(count)d); %(added)s were added.",
        len(added),
    ) % {
        "min": MIN_SELECTED,
        "count": count,
        "added": ", ".join(f"“{name}”" for name in added),
    }


def statements_text(statements: Iterable[Statement], lang: str) -> str:
    """One CSV cell for a pattern x criterion: "[Merit] text" lines in `lang`."""
    with translation.override(lang):
        return "\n".join(
            f"[{Statement.Kind(s.kind).label}] {getattr(s, f'text_{lang}')}" for s in statements
        )


def _cell(value):
    """A CSV cell that Excel will not run as a formula (text only; numbers stay numbers)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download that Excel opens correctly: UTF-8 with a BOM, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # the excel dialect: quotes as needed, \r\n
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
