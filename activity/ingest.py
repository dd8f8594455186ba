"""From what the middleware captured to rows in the page view table.

The middleware only copies raw, length-bounded request data into a
ViewRecord; everything that costs (cleaning, redaction, the client IP rule,
the user agent, the catalog item) happens here, in the writer.
"""

import uuid
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from activity.agents import agent_cache
from activity.cleaning import (
    client_ip,
    from_wsgi,
    partial_url,
    printable,
    redact_referrer,
    truncate_ip,
    trusted_networks,
)
from activity.ids import view_id_time
from activity.items import item_cache
from activity.models import PageView, UserAgent

URL_LENGTH = 2000
REFERRER_LENGTH = 2000
METHOD_LENGTH = 10

# How far back a guest's unowned views join the account that claims them:
# enough for one shopping trip, bounded so a claim stays one small UPDATE.
ATTACH_WINDOW = timedelta(hours=24)
ATTACH_MAX_VIEWS = 500

MILLISECOND = timedelta(milliseconds=1)
ITEM_NAME_LENGTH = 200

# Columns in the order the COPY statement names them.
COPY_COLUMNS = (
    "id",
    "viewed_at",
    "visitor",
    "user_id",
    "method",
    "url",
    "referrer",
    "ip",
    "user_agent_id",
    "status",
    "item_kind",
    "item_id",
    "item_name",
    "item_icon",
)


class ViewRecord(NamedTuple):
    """One page view as the middleware saw it: raw but bounded."""

    id: int
    visitor: uuid.UUID
    user_id: int | None
    method: str
    path: str
    query: str
    referrer: str
    remote_addr: str
    forwarded_for: str
    user_agent: str
    status: int
    view_name: str
    url_kwargs: Mapping[str, Any]


def page_views_write(records: Sequence[ViewRecord]) -> int:
    """Store a batch of views in one transaction; returns how many.

    A batch the database refuses is tried once more as an INSERT that skips
    ids already stored, with the user agent cache emptied:
    a view id made twice (see activity.ids) and a cached agent whose row is
    gone are the refusals the writer can mend by itself.
    """
    if not records:
        return 0
    try:
        return page_views_insert(records)
    except IntegrityError:
        agent_cache.clear()
        return page_views_insert(records, skip_clashes=True)


def page_views_insert(records: Sequence[ViewRecord], skip_clashes=False) -> int:
    with transaction.atomic():
        agents = agent_cache.ids_for(
            {agent_string(record) for record in records} - {""}
        )
        rows = [row_for(record, agents) for record in records]
        if connection.vendor == "postgresql" and not skip_clashes:
            copy_rows(rows)
        else:
            PageView.objects.bulk_create(
                (PageView(**dict(zip(COPY_COLUMNS, row, strict=True))) for row in rows),
                ignore_conflicts=skip_clashes,
            )
    return len(rows)


def agent_string(record: ViewRecord) -> str:
    return printable(from_wsgi(record.user_agent), UserAgent.MAX_LENGTH)


def row_for(record: ViewRecord, agents: Mapping[str, int]) -> tuple:
    networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))
    address = client_ip(record.remote_addr, from_wsgi(record.forwarded_for), networks)
    if address is not None and settings.ACTIVITY_TRUNCATE_IP:
        address = truncate_ip(address)

    item = item_cache.get(record.view_name, record.url_kwargs)

    url = partial_url(record.path, from_wsgi(record.query), record.url_kwargs)
    referrer = redact_referrer(from_wsgi(record.referrer))
    return (
        record.id,
        view_id_time(record.id),
        record.visitor,
        record.user_id,
        printable(record.method, METHOD_LENGTH),
        printable(url, URL_LENGTH),
        printable(referrer, REFERRER_LENGTH),
        str(address) if address is not None else None,
        agents.get(agent_string(record)),
        max(0, min(record.status, 999)),
        printable(item.kind, 30) if item else "",
        item.id if item else None,
        printable(item.name, ITEM_NAME_LENGTH) if item else "",
        printable(item.icon, 40) if item else "",
    )


def copy_rows(rows: Sequence[tuple]) -> None:
    """PostgreSQL's COPY: several times faster than INSERT for batches."""
    columns = ", ".join(COPY_COLUMNS)
    # Django wraps a cursor's execute in its own exceptions, not copy().
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.copy(f"COPY activity_pageview ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def time_on_page_set(*, view_id: int, milliseconds: int) -> int:
    """Record the beacon's visible time on a view; returns rows changed.

    A page sends its running total each time it is hidden, so the largest
    value wins. The id's time part is the view's time to the millisecond,
    which keeps PostgreSQL on one partition.
    """
    moment = view_id_time(view_id)
    return PageView.objects.filter(
        pk=view_id, viewed_at__gte=moment, viewed_at__lt=moment + MILLISECOND
    ).update(
        time_on_page_ms=Greatest(Coalesce(F("time_on_page_ms"), Value(0)), milliseconds)
    )


def visitor_views_claim(*, visitor: uuid.UUID, user_id: int) -> int:
    """Set the owner of a visitor's recent unowned views; returns the count."""
    since = timezone.now() - ATTACH_WINDOW
    unowned = PageView.objects.filter(
        visitor=visitor, user__isnull=True, viewed_at__gte=since
    )
    newest = unowned.order_by("-viewed_at").values("pk")[:ATTACH_MAX_VIEWS]
    # viewed_at is repeated outside the subquery so PostgreSQL only visits
    # the partitions of the window.
    return PageView.objects.filter(
        pk__in=Subquery(newest), viewed_at__gte=since, user__isnull=True
    ).update(user_id=user_id)
