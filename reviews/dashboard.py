"""The dashboard's reads: the filtered, sorted page of reviews and what waits for the user.

The page is read with one query of PAGE_SIZE + 1 rows (the extra row says whether there is a
next page): no COUNT over every visible review. Title search is `icontains`, which PostgreSQL
serves from the trigram index on UPPER(title) (migration 0006); on SQLite it is a scan of the
visible rows, stopping once the page is full. Every list here is one query whatever the data,
so a page costs the same number of queries at 10 reviews or 100,000.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.db.models import OuterRef, QuerySet, Subquery
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

    object_list: list[Review]
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


# What a row shows: reading only these columns spares the wide ones (the context, the
# catalog's texts and price table, JSON decoded per row) that the list never uses.
ROW_FIELDS = (
    "title", "status", "created_at", "updated_at", "team__name", "catalog__version",
    "owner__username", "owner__first_name", "owner__last_name",
)  # fmt: skip
LIST_FIELDS = ("title", "status", "updated_at", "team__name", "owner__username",
               "owner__first_name", "owner__last_name")  # fmt: skip


def filtered_reviews(user: Any, filters: Filters) -> QuerySet[Review]:
    reviews = (
        Review.objects.visible_to(user).select_related("team", "owner", "catalog").only(*ROW_FIELDS)
    )
    if filters.status:
        reviews = reviews.filter(status=filters.status)
    if filters.team:
        reviews = reviews.filter(team_id=filters.team)
    if filters.catalog:
        reviews = reviews.filter(catalog_id=filters.catalog)
    if filters.query:
        reviews = reviews.filter(title__icontains=filters.query)
    return reviews.order_by(*SORTS[filters.sort])


def review_page(user: Any, filters: Filters) -> ReviewPage:
    """The page `filters.page` (one query)."""
    start = (filters.page - 1) * PAGE_SIZE
    rows = list(filtered_reviews(user, filters)[start : start + PAGE_SIZE + 1])
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


def _my_drafts(user: Any) -> list[Review]:
    """The user's newest own drafts, each with its last audit event (one query; the event
    subqueries run for those rows only, not for every draft the user ever left)."""
    last = ReviewEvent.objects.filter(review=OuterRef("pk")).order_by("-at", "-pk")
    newest = (
        Review.objects.visible_to(user)
        .filter(owner_id=user.pk, status=Review.Status.DRAFT)
        .order_by("-updated_at", "-pk")
        .values("pk")[: WAITING_LIMIT * 2]
    )
    return list(
        Review.objects.filter(pk__in=newest)
        .select_related("team")
        .only("title", "updated_at", "team__name")
        .annotate(
            last_action=Subquery(last.values("action")[:1]),
            last_comment=Subquery(last.values("comment")[:1]),
        )
        .order_by("-updated_at", "-pk")
    )


def waiting_for(user: Any, memberships: list[Membership]) -> dict[str, list]:
    """What is the user's to do: drafts to answer, drafts sent back (with the reason), reviews
    to sign, risks due for re-review. One query per list; lists the user has no role for are
    not read."""
    roles = {m.role for m in memberships}
    drafts = _my_drafts(user) if Membership.Role.REVIEWER in roles or user.is_staff else []
    sent_back = [r for r in drafts if getattr(r, "last_action", "") == ReviewEvent.Action.SEND_BACK]
    return {
        "sent_back": sent_back[:WAITING_LIMIT],
        "to_answer": [r for r in drafts if r not in sent_back][:DRAFTS_LIMIT],
        "to_sign": list(
            Review.objects.awaiting_signature_from(user).only(*LIST_FIELDS)[:WAITING_LIMIT]
        )
        if Membership.Role.APPROVER in roles
        else [],
        "due": due_risks(user, limit=WAITING_LIMIT),
    }
