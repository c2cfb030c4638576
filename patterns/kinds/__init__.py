"""Catalog kinds: the code that belongs to one kind of catalog, chosen by the catalog's `kind`.

A catalog file names its kind (`"kind": "kintone"`, stored in `Catalog.kind`); a catalog
without one is scored and shown like any other but has no price table, cost estimate or demo.
Generic code asks `for_catalog(catalog)` for the kind and calls what `CatalogKind` lists.

A new kind: a package `patterns/kinds/<key>/` whose `KIND` is a `CatalogKind`, added to
`KINDS` below (docs/architecture.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import CatalogKind
from .kintone import KIND as KINTONE

if TYPE_CHECKING:
    from patterns.models import Catalog

KINDS: dict[str, CatalogKind] = {kind.key: kind for kind in (KINTONE,)}


class UnknownKind(LookupError):
    """A catalog names no kind, or one this installation does not have."""


def get(key: str) -> CatalogKind:
    """The kind called `key`; UnknownKind (naming the known kinds) when there is none."""
    try:
        return KINDS[key]
    except KeyError:
        raise UnknownKind(
            f"unknown catalog kind {key!r}; the known kinds are: {', '.join(sorted(KINDS))}"
        ) from None


def for_catalog(catalog: Catalog) -> CatalogKind:
    """The kind of `catalog` (a catalog version); UnknownKind when it names none or an
    unknown one. Only a catalog with a kind has a price table (patterns/validation.py)."""
    if not catalog.kind:
        raise UnknownKind(f"catalog {catalog} names no kind")
    return get(catalog.kind)
