"""The dashboard's reads: the filtered, sorted page of reviews and what waits for the user.

The page is read with one query of PAGE_SIZE + 1 rows (the extra row says whether there is a
next page): no COUNT over every visible review. Title search is `icontains`, which PostgreSQL
serves from the trigram index on UPPER(title) (migration 0006); on SQLite it is a scan of the
visible rows, stopping once the page is full. Every list here is one query whatever the data,
so a page costs the same number of queries at 10 reviews or 100,000.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict

from patterns.models import Catalog

from .models import Membership, Review, ReviewEvent, Team
from .reminders import due_risks

PAGE_SIZE = 20
MAX_PAGE = 5000
WAITING_LIMIT = 10
DRAFTS_LIMIT = 5  # the user's own drafts: the newest few (the list below has them all)
SORTS = {
    "new": ("-created_at", "-pk"),
    "old": ("created_at", "pk"),
    "updated": ("-updated_at", "-pk"),
    "title": ("title", "pk"),
}


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Filters:
    """What the dashboard shows, from its query string; anything unknown is ignored."""

    status: str = ""
    team: int | None = None
    catalog: int | None = None
    query: str = ""
    sort: str = "new"
    page: int = 1

    @classmethod
    def from_params(cls, params: QueryDict) -> Filters:
        status = params.get("status", "")
        sort = params.get("sort", "new")
        page = _int(params.get("page"), 1) or 1
        return cls(
            status=status if status in Review.Status.values else "",
            team=_int(params.get("team")),
            catalog=_int(params.get("catalog")),
            query=" ".join(params.get("q", "").split())[:200],
            sort=sort if sort in SORTS else "new",
            page=min(max(page, 1), MAX_PAGE),
        )

    @property
    def narrowed(self) -> bool:
        return bool(self.status or self.team or self.catalog or self.query)

    def querystring(self, **changes: Any) -> str:
        """This view's query string with `changes` (the defaults left out)."""
        values = replace(self, **changes)
        pairs = {
            "q": values.query,
            "status": values.status,
            "team": values.team or "",
            "catalog": values.catalog or "",
            "sort": "" if values.sort == "new" else values.sort,
            "page": "" if values.page == 1 else values.page,
        }
        return urlencode({key: value for key, value in pairs.items() if value})


@dataclass
class ReviewPage:
    """One page of reviews; knows whether another follows without counting them all."""

    object_list: list[ReviewRow]
    number: int
    more: bool
    filters: Filters = field(default_factory=Filters)

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.more or self.number > 1

    def next_query(self) -> str:
        return self.filters.querystring(page=self.number + 1)

    def previous_query(self) -> str:
        return self.filters.querystring(page=self.number - 1)


class ReviewRow(NamedTuple):
    """What a row of the list shows: plain values, no model instances (four per row)."""

    pk: int
    title: str
    status: str
    created_at: datetime
    team_name: str
    catalog_version: str
    owner_username: str
    owner_first_name: str
    owner_last_name: str

    @property
    def owner_name(self) -> str:
        full = f"{self.owner_first_name} {self.owner_last_name}".strip()
        return full or self.owner_username


# Reading only these columns spares the wide ones (the context, the catalog's texts and price
# table, JSON decoded per row) that the list never uses.
ROW_FIELDS = (
    "pk", "title", "status", "created_at", "team__name", "catalog__version",
    "owner__username", "owner__first_name", "owner__last_name",
)  # fmt: skip


def filtered_reviews(user: Any, filters: Filters, team_ids: list[int] | None = None) -> QuerySet:
    reviews = Review.objects.visible_to(user, team_ids)
    if filters.status:
        reviews = reviews.filter(status=filters.status)
    if filters.team:
        reviews = reviews.filter(team_id=filters.team)
    if filters.catalog:
        reviews = reviews.filter(catalog_id=filters.catalog)
    if filters.query:
        reviews = reviews.filter(title__icontains=filters.query)
    return reviews.order_by(*SORTS[filters.sort]).values_list(*ROW_FIELDS)


def review_page(user: Any, filters: Filters, team_ids: list[int] | None = None) -> ReviewPage:
    """The page `filters.page` (one query). `team_ids`: the user's teams, when the caller has
    read the memberships already (a literal list instead of a membership subquery)."""
    start = (filters.page - 1) * PAGE_SIZE
    reviews = filtered_reviews(user, filters, team_ids)[start : start + PAGE_SIZE + 1]
    rows = [ReviewRow._make(row) for row in reviews]
    return ReviewPage(rows[:PAGE_SIZE], filters.page, len(rows) > PAGE_SIZE, filters)


def user_memberships(user: Any) -> list[Membership]:
    """The user's memberships with their teams (one query)."""
    return list(Membership.objects.filter(user_id=user.pk or 0).select_related("team"))


def filter_choices(user: Any, memberships: list[Membership]) -> dict[str, Any]:
    """The teams (the user's; every team for staff) and catalog versions to filter by."""
    if user.is_staff:
        teams = list(Team.objects.order_by("name")[:200])
    else:
        teams = sorted({m.team for m in memberships}, key=lambda team: team.name)
    catalogs = Catalog.objects.filter(published_at__isnull=False).order_by("slug", "-published_at")
    return {
        "teams": teams,
        "catalogs": list(catalogs.only("slug", "version", "title_ja", "title_en")),
    }


class WaitingRow(NamedTuple):
    """An entry of a "waiting for me" list: a review with its team (and, for a draft, its last
    audit event; for a sign-off, who owns the review)."""

    pk: int
    title: str
    team_name: str
    last_action: str | None = None
    last_comment: str | None = None
    owner_name: str = ""


# A column of the review's newest audit event. Raw SQL because an ORM subquery costs ~1 ms to
# build per request; the statements are constants made from the models' table names, with no
# parameters (the outer query names its table by itself: Django's alias for the base table).
LAST_EVENT = (
    'SELECT e."{column}" FROM "{events}" e WHERE e.review_id = "{reviews}".id'
    " ORDER BY e.at DESC, e.id DESC LIMIT 1"
)
_TABLES = {"events": ReviewEvent._meta.db_table, "reviews": Review._meta.db_table}
LAST_ACTION = RawSQL(LAST_EVENT.format(column="action", **_TABLES), ())  # noqa: S611 -- constant
LAST_COMMENT = RawSQL(LAST_EVENT.format(column="comment", **_TABLES), ())  # noqa: S611 -- constant


def _my_drafts(user: Any, team_ids: list[int] | None) -> list[WaitingRow]:
    """The user's newest own drafts, each with its last audit event (one query). The
    (owner, status, updated_at) index reads the drafts in order and stops at the limit, so the
    event subqueries run for those rows only (PostgreSQL evaluates them after the LIMIT)."""
    rows = (
        Review.objects.visible_to(user, team_ids)
        .filter(owner_id=user.pk, status=Review.Status.DRAFT)
        .annotate(last_action=LAST_ACTION, last_comment=LAST_COMMENT)
        .order_by("-updated_at", "-pk")
        .values_list("pk", "title", "team__name", "last_action", "last_comment")
    )
    return [WaitingRow(*row) for row in rows[: WAITING_LIMIT * 2]]


def _to_sign(user: Any, team_ids: list[int] | None) -> list[WaitingRow]:
    """The reviews waiting for the user's sign-off, newest first (one query)."""
    rows = Review.objects.awaiting_signature_from(user, team_ids).values_list(
        "pk", "title", "team__name", "owner__username", "owner__first_name", "owner__last_name"
    )[:WAITING_LIMIT]
    return [
        WaitingRow(pk, title, team, owner_name=f"{first} {last}".strip() or username)
        for pk, title, team, username, first, last in rows
    ]


def waiting_for(user: Any, memberships: list[Membership]) -> dict[str, list]:
    """What is the user's to do: drafts to answer, drafts sent back (with the reason), reviews
    to sign, risks due for re-review. One query per list; lists the user has no role for are
    not read."""
    roles = {m.role for m in memberships}
    team_ids = None if user.is_staff else [m.team_id for m in memberships]
    drafts = (
        _my_drafts(user, team_ids) if Membership.Role.REVIEWER in roles or user.is_staff else []
    )
    sent_back = [r for r in drafts if r.last_action == ReviewEvent.Action.SEND_BACK]
    return {
        "sent_back": sent_back[:WAITING_LIMIT],
        "to_answer": [r for r in drafts if r.last_action != ReviewEvent.Action.SEND_BACK][
            :DRAFTS_LIMIT
        ],
        "to_sign": _to_sign(user, team_ids) if Membership.Role.APPROVER in roles else [],
        "due": due_risks(user, limit=WAITING_LIMIT),
    }
