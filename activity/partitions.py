"""Monthly partitions of the page view table, on PostgreSQL.

One partition per calendar month (UTC), named activity_pageview_yYYYYmMM,
plus the DEFAULT partition that catches a row whose month has none yet.
Partitions are made ahead of time: for this month and next by the writer
once a day, after `migrate`, and by `prune_page_views`. Retention drops
whole months. On other databases the table is a plain table and every
function here does nothing.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import connection, transaction

PARENT = "activity_pageview"
DEFAULT_PARTITION = "activity_pageview_default"
NAME_PATTERN = re.compile(r"^activity_pageview_y(\d{4})m(\d{2})$")
# Serialises partition changes between processes (any constant will do).
LOCK_KEY = 0x50A6E7
# Table names in the SQL below are these constants or names this module
# made from dates, always quoted; values go as parameters.


@dataclass(frozen=True)
class Partition:
    name: str
    start: datetime
    end: datetime


def month_start(moment: date) -> date:
    return date(moment.year, moment.month, 1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    following = add_months(month, 1)
    return (
        datetime(month.year, month.month, 1, tzinfo=UTC),
        datetime(following.year, following.month, 1, tzinfo=UTC),
    )


def partition_name(month: date) -> str:
    return f"{PARENT}_y{month.year:04d}m{month.month:02d}"


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = %s", [PARENT])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def page_view_partitions() -> list[Partition]:
    """The monthly partitions, oldest first (not the DEFAULT one)."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child.relname FROM pg_inherits "
            "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
            "WHERE pg_inherits.inhparent = %s::regclass",
            [PARENT],
        )
        names = [name for (name,) in cursor.fetchall()]
    found = []
    for name in names:
        match = NAME_PATTERN.match(name)
        if match:
            month = date(int(match[1]), int(match[2]), 1)
            found.append(Partition(name, *month_bounds(month)))
    return sorted(found, key=lambda partition: partition.start)


def page_view_partition_create(month: date) -> bool:
    """Make the partition of `month`; False when it already exists.

    Rows of that month already sitting in the DEFAULT partition move into
    the new one, since PostgreSQL refuses a partition whose rows the
    DEFAULT partition holds.
    """
    month = month_start(month)
    name = partition_name(month)
    start, end = month_bounds(month)
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        cursor.execute("SELECT to_regclass(%s)", [name])
        if cursor.fetchone()[0] is not None:
            return False
        cursor.execute(
            f"CREATE TABLE {quote(name)} "
            f"(LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        cursor.execute(
            f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} "  # noqa: S608
            "WHERE viewed_at >= %s AND viewed_at < %s RETURNING *) "
            f"INSERT INTO {quote(name)} SELECT * FROM moved",
            [start, end],
        )
        cursor.execute(
            f"ALTER TABLE {PARENT} ATTACH PARTITION {quote(name)} "
            "FOR VALUES FROM (%s) TO (%s)",
            [start, end],
        )
    return True


def page_view_partitions_ensure(
    *, first: date | None = None, last: date | None = None
) -> list[str]:
    """Make the partitions from `first` to `last` (default: this month and
    next) that do not exist yet; returns the names made."""
    if not is_partitioned():
        return []
    today = datetime.now(UTC).date()
    month = month_start(first or today)
    last = month_start(last or add_months(today, 1))
    made = []
    while month <= last:
        if page_view_partition_create(month):
            made.append(partition_name(month))
        month = add_months(month, 1)
    return made


def partition_row_count(partition: Partition) -> int:
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(partition.name)
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


def page_view_partition_drop(partition: Partition) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(partition.name)}")
