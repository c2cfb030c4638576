"""Rows that never change once locked, whichever way Django would write them.

One mechanism for published catalog versions (this app) and for frozen reviews, their records
and the append-only audit trail (`reviews`, which may import this module; `patterns` never
imports `reviews`). A model says which of its stored rows are locked with a `Lock`, inherits
`LockedModel` and uses a `LockedQuerySet` manager as its default *and* base manager (Django's
cascades, `refresh_from_db()` and `Model.save()` go through `_base_manager`)::

    class Statement(LockedModel):
        lock = Lock({"pattern__catalog__published_at__isnull": False}, CatalogLocked, "...")
        objects = LockedQuerySet.as_manager()

        class Meta:
            base_manager_name = "objects"

Every write then refuses a locked row by raising `lock.error`:

- `save()` and `delete()` of an instance, checked against the database, not the instance;
- QuerySet `update()`: locked rows are left out of the UPDATE itself (no extra query, no race);
  when that leaves nothing to update but locked rows were asked for, the error;
- QuerySet `delete()` and `bulk_update()`: the error when any of the rows is locked;
- a cascade from a parent's delete (Django's fast path calls the base manager's `_raw_delete`).

When the lookup starts with a foreign key (`pattern__...`) a row is locked because its parent is,
so `save()`, `bulk_create()`, `bulk_update()` and `update(pattern=...)` also refuse to add a row
to, or move one into, a locked parent. A lookup on the row itself (`published_at__isnull`) lets
new rows in. `Lock(None, ...)` is append-only: every stored row is locked; rows are added freely
and go with their parent when it is deleted (the parent's own lock decides that).

Not covered: raw SQL, `QuerySet._update()` (what `Model.save()` runs after its guard) and
`loaddata` (raw saves). The database constraints in the migrations hold for those too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.utils.functional import Promise as StrPromise

# A message, or a function of the locked row (or its locked parent, or None) that makes one.
Message = str | StrPromise | Callable[[Any], str]


F = TypeVar("F", bound=Callable[..., Any])


def alters_data(method: F) -> F:
    """Mark a QuerySet method as a write, as Django's own are (templates never call it)."""
    vars(method)["alters_data"] = True
    return method


def queryset_only(method: F) -> F:
    """Keep a QuerySet method off the manager, as Django does for delete()."""
    vars(method)["queryset_only"] = True
    return method


class Lock:
    """Which stored rows of a model are locked, and what to raise when a write would touch one.

    `when`: the lookups that say a stored row is locked (None: every stored row, append-only);
    `error`: the exception class; `message`: its message (or a function of the row);
    `delete_message`, `move_message`: for deletes and for moves to a parent given as an
    expression, when they differ.
    """

    def __init__(
        self,
        when: dict[str, Any] | None,
        error: type[Exception],
        message: Message,
        *,
        delete_message: Message | None = None,
        move_message: Message | None = None,
    ):
        self.when = when
        self.error = error
        self.message = message
        self.delete_message = delete_message or message
        self.move_message = move_message or message

    @property
    def append_only(self) -> bool:
        return self.when is None

    def parent(self, model: Any) -> tuple[Any, dict[str, Any]] | None:
        """The foreign key the lock comes through and the lookups on its target, or None."""
        if not self.when:
            return None
        heads = {key.split(LOOKUP_SEP, 1)[0] for key in self.when}
        if len(heads) != 1 or any(LOOKUP_SEP not in key for key in self.when):
            return None
        try:
            field = model._meta.get_field(heads.pop())
        except FieldDoesNotExist:
            return None
        if not (field.is_relation and field.concrete):
            return None
        return field, {key.split(LOOKUP_SEP, 1)[1]: value for key, value in self.when.items()}

    def refuse(self, row: Any = None, *, message: Message | None = None) -> Exception:
        """The exception to raise for `row` (the locked row, its locked parent, or None)."""
        message = self.message if message is None else message
        return self.error(message(row) if callable(message) else message)

    def check(self, rows: models.QuerySet, *, deleting: bool = False) -> None:
        """Raise when the QuerySet `rows`, already narrowed to locked rows, has any."""
        message = self.delete_message if deleting else self.message
        if callable(message):
            row = rows.first()
            if row is not None:
                raise self.refuse(row, message=message)
        elif rows.exists():
            raise self.refuse(message=message)


class LockedQuerySet(models.QuerySet):
    """Bulk writes that refuse the rows `self.model.lock` says are locked (see the module)."""

    def _locked_rows(self):
        lock = self.model.lock
        return self if lock.append_only else self.filter(**lock.when)

    def _unlocked_rows(self):
        lock = self.model.lock
        return self.none() if lock.append_only else self.exclude(**lock.when)

    def _may_update_locked(self, fields: dict[str, Any]) -> bool:
        """Whether this update may touch locked rows too: never, unless a model says so."""
        return False

    def _refuse_locked_parents(self, parent_ids: Iterable[Any]) -> None:
        lock = self.model.lock
        parent = lock.parent(self.model)
        ids = {pk for pk in parent_ids if pk is not None}
        if parent is not None and ids:
            field, lookups = parent
            manager = field.related_model._base_manager.db_manager(self.db)
            lock.check(manager.filter(pk__in=ids, **lookups))

    def _refuse_moves_into_locked_parents(self, fields: dict[str, Any]) -> None:
        lock = self.model.lock
        parent = lock.parent(self.model)
        if parent is None:
            return
        field = parent[0]
        for name in {field.name, field.attname} & set(fields):
            target = fields[name]
            if isinstance(target, models.Model):
                target = target.pk
            elif hasattr(target, "resolve_expression"):
                raise lock.refuse(message=lock.move_message)
            self._refuse_locked_parents([target])

    @alters_data
    def update(self, **kwargs):
        """Updates the unlocked rows only, in the UPDATE itself; the lock's error when that
        leaves nothing to update but locked rows were asked for (or rows move into a locked
        parent)."""
        lock = self.model.lock
        if lock.append_only:
            raise lock.refuse()
        if self._may_update_locked(kwargs):
            return super().update(**kwargs)
        self._refuse_moves_into_locked_parents(kwargs)
        updated = super(LockedQuerySet, self._unlocked_rows()).update(**kwargs)
        self._result_cache = None  # as QuerySet.update() does
        if not updated:
            lock.check(self._locked_rows())
        return updated

    @alters_data
    @queryset_only
    def delete(self):
        """The lock's error when any of the rows is locked."""
        lock = self.model.lock
        if lock.append_only:
            raise lock.refuse(message=lock.delete_message)
        lock.check(self._locked_rows(), deleting=True)
        deleted = super(LockedQuerySet, self._unlocked_rows()).delete()
        self._result_cache = None  # as QuerySet.delete() does
        return deleted

    @alters_data
    def _raw_delete(self, using):
        # A cascade's fast path; append-only rows go with their parent (its lock decides).
        lock = self.model.lock
        if not lock.append_only:
            lock.check(self._locked_rows().using(using), deleting=True)
        return super()._raw_delete(using)

    @alters_data
    def bulk_create(self, objs, *args, **kwargs):
        """Refuses rows whose parent is locked, and upserts (they could change locked rows)."""
        if kwargs.get("update_conflicts") or (len(args) > 2 and args[2]):
            raise TypeError(f"{self.model.__name__} rows are never upserted: they can be locked.")
        objs = list(objs)
        parent = self.model.lock.parent(self.model)
        if parent is not None:
            self._refuse_locked_parents(getattr(obj, parent[0].attname) for obj in objs)
        return super().bulk_create(objs, *args, **kwargs)

    @alters_data
    def bulk_update(self, objs, fields, *args, **kwargs):
        """The lock's error when any stored row is locked or would move into a locked parent."""
        lock = self.model.lock
        if lock.append_only:
            raise lock.refuse()
        objs = list(objs)
        parent = lock.parent(self.model)
        if parent is not None:
            self._refuse_locked_parents(getattr(obj, parent[0].attname) for obj in objs)
        lock.check(self.filter(pk__in=[obj.pk for obj in objs])._locked_rows())
        return super().bulk_update(objs, fields, *args, **kwargs)


class LockedModel(models.Model):
    """save() and delete() refuse a row that is locked in the database (see the module)."""

    lock: ClassVar[Lock]

    class Meta:
        abstract = True

    def _may_save_locked(self, update_fields) -> bool:
        """Whether this save may change a locked row: never, unless a model says so."""
        return False

    def _refuse_if_locked(self, *, update_fields=None, deleting: bool = False) -> None:
        lock, model = self.lock, type(self)
        stored = self.pk is not None and not self._state.adding
        if lock.append_only:
            if stored or deleting:
                message = lock.delete_message if deleting else lock.message
                raise lock.refuse(self, message=message)
            return
        manager = model._base_manager.db_manager(self._state.db)
        parent = None if deleting else lock.parent(model)
        if parent is not None:
            # One query: the parent the row belongs to now and the one it would belong to.
            field, lookups = parent
            targets = models.Q(pk=getattr(self, field.attname))
            if stored:
                targets |= models.Q(pk__in=manager.filter(pk=self.pk).values(field.attname))
            parents = field.related_model._base_manager.db_manager(self._state.db)
            lock.check(parents.filter(targets, **lookups))
        elif stored:
            rows = manager.filter(pk=self.pk, **(lock.when or {}))
            if deleting:
                lock.check(rows, deleting=True)
            elif rows.exists() and not self._may_save_locked(update_fields):
                raise lock.refuse(self)

    def save(self, *args, **kwargs):
        self._refuse_if_locked(update_fields=kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_locked(deleting=True)
        return super().delete(*args, **kwargs)
