"""Finding orders: the quick search box, the sort orders and keyset pages.

The Order Manager never counts a large table and never skips rows with
OFFSET. A page is found from a cursor, the sort values of the row it
starts after (or before), so the tenth page costs what the first does.
Every sort here walks an index of `Order` (see its `Meta.indexes`).
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

from customers.models import CustomerProfile, normalize_email
from orders.models import (
    ORDER_NUMBER_LENGTH,
    Order,
    OrderStatus,
    normalize_order_number,
)

# A text search shorter than this would match most of the table.
MIN_SEARCH_LENGTH = 3
MAX_SEARCH_LENGTH = 100
DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
PER_PAGE_CHOICES = (25, 50, 100)
# Bulk demo numbers start with U, which real numbers never use, so any
# upper-case letter is accepted here.
ORDER_NUMBER_SHAPE = re.compile(rf"^[0-9A-Z]{{{ORDER_NUMBER_LENGTH}}}$")
CURSOR_SEPARATOR = "~"


def order_number_in(text: str) -> str | None:
    """The order number `text` spells, if it has the shape of one."""
    number = normalize_order_number(text or "")
    return number if ORDER_NUMBER_SHAPE.match(number) else None


def email_in(text: str) -> str | None:
    """`text` as a normalised e-mail address, if it is a whole one."""
    address = normalize_email(text)
    if "@" not in address:
        return None
    try:
        validate_email(address)
    except ValidationError:
        return None
    return address


def quick_search_error(text: str) -> str | None:
    """Why `text` cannot be searched for, or None when it can."""
    text = (text or "").strip()
    if not text or order_number_in(text) or email_in(text):
        return None
    if len(text) < MIN_SEARCH_LENGTH:
        return "too_short"
    if len(text) > MAX_SEARCH_LENGTH:
        return "too_long"
    return None


def orders_matching(queryset: QuerySet[Order], text: str) -> QuerySet[Order]:
    """Orders whose number, e-mail, customer name or billing name match `text`.

    A whole e-mail address is compared for equality with the order's copy and
    the customer's login (both indexed); anything else is a case-insensitive
    substring of `Order.search_text`, trigram-indexed on PostgreSQL.
    """
    text = (text or "").strip()
    if not text:
        return queryset

    address = email_in(text)
    if address:
        customer_ids = list(
            CustomerProfile.objects.filter(user__email=address).values_list(
                "pk", flat=True
            )
        )
        return queryset.filter(Q(email=address) | Q(customer_id__in=customer_ids))

    condition = Q(search_text__contains=text.lower())
    number = order_number_in(text)
    if number:
        # "u000-0001" is typed with a dash that search_text does not hold.
        condition |= Q(number=number)
    return queryset.filter(condition)


@dataclass(frozen=True)
class SortKey:
    label: str
    # The ORDER BY, most significant first; the last column is unique, so
    # every row has one place and a cursor can name it.
    ordering: tuple[str, ...]


SORTS: dict[str, SortKey] = {
    "-placed_at": SortKey("newest first", ("-placed_at", "-id")),
    "placed_at": SortKey("oldest first", ("placed_at", "id")),
    "-total": SortKey("largest total first", ("-total", "-id")),
    "total": SortKey("smallest total first", ("total", "id")),
    "number": SortKey("number", ("number",)),
    "-number": SortKey("number, descending", ("-number",)),
    # (status, -placed_at) is the index: ascending walks it forward, and
    # descending walks it backward, which puts older orders first.
    "status": SortKey("status", ("status", "-placed_at", "-id")),
    "-status": SortKey("status, descending", ("-status", "placed_at", "id")),
}
DEFAULT_SORT = "-placed_at"


def sort_from(value: str | None) -> str:
    """A sort the table offers; anything else falls back to newest first."""
    return value if value in SORTS else DEFAULT_SORT


def per_page_from(value: str | None) -> int:
    """Rows per page, clamped to 1..MAX_PER_PAGE; unreadable gives the default."""
    try:
        number = int(value or "")
    except ValueError:
        return DEFAULT_PER_PAGE
    return max(1, min(number, MAX_PER_PAGE))


# Bounds of the values a cursor may hold: anything outside could not be a
# stored row, and some would overflow the database's types.
MAX_TOTAL = Decimal("1e10")
MAX_ID = 2**63 - 1


def _parse_datetime(text: str) -> datetime:
    value = parse_datetime(text)
    if value is None or value.tzinfo is None:
        raise ValueError(text)
    return value.astimezone(UTC)


def _parse_decimal(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite() or abs(value) >= MAX_TOTAL:
        raise ValueError(text)
    return value


def _parse_number(text: str) -> str:
    if not ORDER_NUMBER_SHAPE.match(text):
        raise ValueError(text)
    return text


def _parse_status(text: str) -> str:
    if text not in OrderStatus.values:
        raise ValueError(text)
    return text


def _parse_id(text: str) -> int:
    value = int(text)
    if not 0 < value <= MAX_ID:
        raise ValueError(text)
    return value


COLUMN_PARSERS: dict[str, Callable[[str], Any]] = {
    "placed_at": _parse_datetime,
    "total": _parse_decimal,
    "number": _parse_number,
    "status": _parse_status,
    "id": _parse_id,
}


def _cursor_column(name: str) -> str:
    return name.removeprefix("-")


def cursor_for(order: Order, sort: str) -> str:
    """The cursor naming `order`'s place in `sort`."""
    values = []
    for name in SORTS[sort].ordering:
        value = getattr(order, _cursor_column(name))
        values.append(value.isoformat() if isinstance(value, datetime) else str(value))
    return CURSOR_SEPARATOR.join(values)


def cursor_values(cursor: str, sort: str) -> list[Any] | None:
    """The sort values a cursor holds, or None when it is not one of `sort`'s."""
    columns = [_cursor_column(name) for name in SORTS[sort].ordering]
    parts = cursor.split(CURSOR_SEPARATOR)
    if len(parts) != len(columns):
        return None
    try:
        return [
            COLUMN_PARSERS[column](part)
            for column, part in zip(columns, parts, strict=True)
        ]
    except (ValueError, InvalidOperation, OverflowError):
        return None


def _beyond(ordering: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows that come after `values` in `ordering`.

    (a, b) after (x, y) is a > x, or a = x and b > y; the first column's
    non-strict bound is repeated on its own so the database can start the
    index scan at the cursor instead of at the top.
    """
    condition = Q()
    equal = Q()
    for name, value in zip(ordering, values, strict=True):
        column = _cursor_column(name)
        lookup = "lt" if name.startswith("-") else "gt"
        condition |= equal & Q(**{f"{column}__{lookup}": value})
        equal &= Q(**{column: value})
    first = ordering[0]
    bound = "lte" if first.startswith("-") else "gte"
    return Q(**{f"{_cursor_column(first)}__{bound}": values[0]}) & condition


def _reversed(ordering: Sequence[str]) -> tuple[str, ...]:
    return tuple(name[1:] if name.startswith("-") else "-" + name for name in ordering)


@dataclass(frozen=True)
class OrderPage:
    rows: list[Order]
    sort: str
    per_page: int
    next_cursor: str | None
    previous_cursor: str | None
    # The cursor in the request was not one this sort can read.
    bad_cursor: bool = False


def order_page(
    queryset: QuerySet[Order],
    *,
    sort: str,
    per_page: int,
    after: str | None = None,
    before: str | None = None,
) -> OrderPage:
    """One page of `queryset` in `sort`, found by keyset: one query, no COUNT.

    `after` gives the page following a cursor, `before` the page preceding
    one; neither gives the first page.
    """
    ordering = SORTS[sort].ordering
    cursor, backwards = (before, True) if before else (after, False)
    values = cursor_values(cursor, sort) if cursor else None
    bad_cursor = bool(cursor) and values is None

    walk = _reversed(ordering) if backwards and values else ordering
    if values:
        queryset = queryset.filter(_beyond(walk, values))
    rows = list(queryset.order_by(*walk)[: per_page + 1])
    has_more = len(rows) > per_page
    rows = rows[:per_page]

    if backwards and values:
        rows.reverse()
        has_next, has_previous = True, has_more
    else:
        has_next, has_previous = has_more, bool(values)
    return OrderPage(
        rows=rows,
        sort=sort,
        per_page=per_page,
        next_cursor=cursor_for(rows[-1], sort) if rows and has_next else None,
        previous_cursor=cursor_for(rows[0], sort) if rows and has_previous else None,
        bad_cursor=bad_cursor,
    )
