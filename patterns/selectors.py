"""Page-shaped reads of a catalog version."""

from __future__ import annotations

from .models import Catalog, Statement


def catalog_grid(catalog: Catalog, pattern_keys: list[str] | None = None) -> dict:
    """Patterns (columns), criteria (rows) and each cell's statements, in three queries.

    Returns {"patterns": [...], "criteria": [...], "rows": [(criterion, [cell, ...])]} where a
    cell is the list of statements of that pattern on that criterion, merits first.
    """
    patterns = list(catalog.patterns.prefetch_related("use_cases"))
    if pattern_keys is not None:
        by_key = {p.key: p for p in patterns}
        patterns = [by_key[k] for k in pattern_keys if k in by_key]
    criteria = list(catalog.criteria.all())
    kind_order: dict[str, int] = {
        Statement.Kind.MERIT: 0,
        Statement.Kind.DEMERIT: 1,
        Statement.Kind.NEUTRAL: 2,
    }
    cells: dict[tuple[int, int], list[Statement]] = {}
    for st in Statement.objects.filter(pattern__catalog=catalog).order_by("order", "pk"):
        cells.setdefault((st.pattern_id, st.criterion_id), []).append(st)
    for value in cells.values():
        value.sort(key=lambda s: kind_order.get(s.kind, 3))
    rows = [(c, [cells.get((p.pk, c.pk), []) for p in patterns]) for c in criteria]
    columns = [(p, [(c, cells.get((p.pk, c.pk), [])) for c in criteria]) for p in patterns]
    return {"patterns": patterns, "criteria": criteria, "rows": rows, "columns": columns}
