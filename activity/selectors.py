"""Reading page views: the recent few, and the whole history a page at a time.

A customer may have 100k views, so the history is read by keyset: each
page starts after (or before) the (viewed_at, id) of a row of the page
before it, which the (user, viewed_at, id) index serves directly. No page
counts rows or skips them with OFFSET.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from activity.models import PageView

RECENT_COUNT = 10
PAGE_SIZE = 50
EXPORT_CHUNK = 2000

# The gap to the visitor's next view stands in for time on page when no
# beacon came, counted up to this much.
TIME_ON_PAGE_CAP = timedelta(minutes=30)
TIME_ON_PAGE_CAP_MS = int(TIME_ON_PAGE_CAP.total_seconds() * 1000)

CURSOR_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def page_views_recent(user_id: int | None) -> list[PageView]:
    if user_id is None:
        return []
    return list(
        PageView.objects.filter(user_id=user_id).order_by("-viewed_at", "-id")[
            :RECENT_COUNT
        ]
    )


def page_views_of(user_id: int) -> QuerySet[PageView]:
    """A customer's views with what the history shows of each.

    For a view without a beacon time: `next_viewed_at`, the visitor's next
    view within TIME_ON_PAGE_CAP, and failing that `visited_later`, whether
    one came after the cap at all. The window keeps each lookup on one or
    two monthly partitions; the second lookup runs only for the few views
    that end a visit (CASE evaluates a subquery only when it is needed).
    """
    cap_end = ExpressionWrapper(
        OuterRef("viewed_at") + TIME_ON_PAGE_CAP, output_field=DateTimeField()
    )
    next_view = PageView.objects.filter(
        visitor=OuterRef("visitor"),
        viewed_at__gt=OuterRef("viewed_at"),
        viewed_at__lte=cap_end,
    ).order_by("viewed_at")
    later_view = PageView.objects.filter(
        visitor=OuterRef("visitor"), viewed_at__gt=cap_end
    )
    unmeasured = Q(time_on_page_ms__isnull=True)
    return (
        PageView.objects.filter(user_id=user_id)
        .select_related("user_agent")
        .annotate(
            next_viewed_at=Case(
                When(unmeasured, then=Subquery(next_view.values("viewed_at")[:1])),
                output_field=DateTimeField(),
            )
        )
        .annotate(
            visited_later=Case(
                When(
                    unmeasured & Q(next_viewed_at__isnull=True), then=Exists(later_view)
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


@dataclass(frozen=True)
class TimeOnPage:
    milliseconds: int
    estimated: bool


def time_on_page(view: PageView) -> TimeOnPage | None:
    """The beacon's measure; else the gap to the visitor's next view, up to
    TIME_ON_PAGE_CAP; else nothing (shown as "—")."""
    if view.time_on_page_ms is not None:
        return TimeOnPage(view.time_on_page_ms, estimated=False)
    next_viewed_at = getattr(view, "next_viewed_at", None)
    if next_viewed_at is not None:
        gap = min(next_viewed_at - view.viewed_at, TIME_ON_PAGE_CAP)
        return TimeOnPage(gap // timedelta(milliseconds=1), estimated=True)
    if getattr(view, "visited_later", False):
        return TimeOnPage(TIME_ON_PAGE_CAP_MS, estimated=True)
    return None


def cursor_for(view: PageView) -> str:
    return f"{(view.viewed_at - CURSOR_EPOCH) // MICROSECOND}-{view.pk}"


def parse_cursor(text: str | None) -> tuple[datetime, int] | None:
    """The (viewed_at, id) in a cursor; None for anything else."""
    if not text or len(text) > 50:
        return None
    micros, _, view_id = text.partition("-")
    if not (micros.isascii() and micros.isdigit() and view_id.isascii()):
        return None
    if not view_id.isdigit() or int(view_id) >= 2**63:
        return None
    try:
        moment = CURSOR_EPOCH + int(micros) * MICROSECOND
    except OverflowError:
        return None
    return moment, int(view_id)


def after(queryset: QuerySet, cursor: tuple[datetime, int]) -> QuerySet:
    moment, view_id = cursor
    # The plain `viewed_at >= moment` lets the index range scan start there.
    return queryset.filter(
        Q(viewed_at__gt=moment) | Q(viewed_at=moment, id__gt=view_id),
        viewed_at__gte=moment,
    )


def before(queryset: QuerySet, cursor: tuple[datetime, int]) -> QuerySet:
    moment, view_id = cursor
    return queryset.filter(
        Q(viewed_at__lt=moment) | Q(viewed_at=moment, id__lt=view_id),
        viewed_at__lte=moment,
    )


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None


def keyset_page(
    queryset: QuerySet,
    *,
    after_cursor: str | None = None,
    before_cursor: str | None = None,
    newest: bool = False,
    size: int = PAGE_SIZE,
) -> KeysetPage:
    """One page of `queryset`, oldest to newest.

    The first page by default; the page after or before a cursor; or, with
    `newest`, the last page. One query: a row beyond the page tells whether
    there is more in that direction.
    """
    forward = queryset.order_by("viewed_at", "id")
    backward = queryset.order_by("-viewed_at", "-id")
    start = parse_cursor(before_cursor)
    if newest or start is not None:
        rows = list((before(backward, start) if start else backward)[: size + 1])
        more = len(rows) > size
        rows = rows[:size][::-1]
        has_previous, has_next = more, start is not None
    else:
        start = parse_cursor(after_cursor)
        rows = list((after(forward, start) if start else forward)[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        has_previous, has_next = start is not None, more

    return KeysetPage(
        rows=rows,
        next_cursor=cursor_for(rows[-1]) if rows and has_next else None,
        previous_cursor=cursor_for(rows[0]) if rows and has_previous else None,
    )


def page_views_all(queryset: QuerySet) -> Iterator[PageView]:
    """Every row of `queryset`, oldest first, read in keyset chunks."""
    forward = queryset.order_by("viewed_at", "id")
    chunk = list(forward[:EXPORT_CHUNK])
    while chunk:
        yield from chunk
        if len(chunk) < EXPORT_CHUNK:
            return
        last = chunk[-1]
        chunk = list(after(forward, (last.viewed_at, last.pk))[:EXPORT_CHUNK])
