"""Orders as CSV, streamed: the Order Manager's "Export CSV" and `export_orders`.

Rows are read through a server-side cursor in chunks and written out as
they come, so memory stays flat however many orders match. Cells that a
spreadsheet would run as a formula are neutralised with a leading
apostrophe, since names and addresses are typed by the public.

The rows are read without joins, which at a million rows are several times
dearer than everything else: the customer is given by the order's own copy
of the e-mail and billing name plus the profile's id, and the staff who
placed orders are looked up once per export.
"""

import csv
from collections.abc import Callable, Iterator
from contextlib import nullcontext

from django.db import connection, transaction
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast, TruncSecond
from django.utils import timezone

from customers.models import User
from orders.models import Order, OrderStatus, PaymentMethod

CHUNK_SIZE = 2000
# Rows joined into one piece of the response: fewer, larger writes.
ROWS_PER_PIECE = 200
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RISKY_FIRST = frozenset(FORMULA_STARTS)

# (value read, header, kind): the kind says how a value becomes its cell.
# Only "text" values (never NULL) can hold what the public typed, so only
# they are neutralised.
COLUMNS = [
    ("number", "number", "plain"),
    # The store's local time as the database writes it: a datetime object
    # per row would cost more than all the other cells together.
    ("placed_local", "placed (store time)", "plain"),
    ("status", "status", "status"),
    ("customer_id", "customer id", "plain"),
    ("email", "e-mail", "text"),
    ("is_guest", "guest", "yes_no"),
    ("placed_by_id", "placed by", "staff"),
    ("currency", "currency", "plain"),
    ("total", "total", "plain"),
    ("amount_paid", "paid", "plain"),
    ("amount_refunded", "refunded", "plain"),
    ("payment_method", "payment method", "method"),
    ("payment_reference", "payment reference", "text"),
    ("billing_name", "billing name", "text"),
    ("billing_line1", "billing address", "text"),
    ("billing_line2", "billing address line 2", "text"),
    ("billing_city", "billing city", "text"),
    ("billing_region", "billing region", "text"),
    ("billing_postal_code", "billing postal code", "text"),
    ("billing_country", "billing country", "text"),
]
HEADER = [title for _, title, _ in COLUMNS]


def neutralise(cell: str) -> str:
    """`cell` made safe to open in a spreadsheet: no formula, no DDE."""
    if cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _row_formatter() -> Callable[[tuple], list]:
    """A function turning a row as read into its cells, for this export.

    Built per export: labels are translated and staff looked up once. It
    works in place on the row's list, since it runs a million times: text
    cells are neutralised, codes become labels, and numbers stay numbers,
    which csv.writer writes with str().
    """
    kinds = [kind for _, _, kind in COLUMNS]
    text_at = [at for at, kind in enumerate(kinds) if kind == "text"]
    status_at, method_at = kinds.index("status"), kinds.index("method")
    guest_at, staff_at = kinds.index("yes_no"), kinds.index("staff")
    statuses = {value: str(label) for value, label in OrderStatus.choices}
    methods = {value: str(label) for value, label in PaymentMethod.choices}
    placers = Order.objects.filter(placed_by__isnull=False).values("placed_by_id")
    staff = {
        pk: neutralise(email)
        for pk, email in User.objects.filter(pk__in=placers).values_list("pk", "email")
    }
    risky = RISKY_FIRST

    def format_row(row: tuple) -> list:
        cells = list(row)
        for at in text_at:
            value = cells[at]
            if value and value[0] in risky:
                cells[at] = "'" + value
        cells[status_at] = statuses.get(cells[status_at], cells[status_at])
        cells[method_at] = methods.get(cells[method_at], cells[method_at])
        cells[guest_at] = "yes" if cells[guest_at] else "no"
        cells[staff_at] = staff.get(cells[staff_at], "")
        return cells

    return format_row


def export_rows(queryset: QuerySet[Order]) -> Iterator[list]:
    """The CSV rows of `queryset`, newest first, header excluded.

    Cells are strings, or numbers that csv.writer writes with str(). On
    PostgreSQL the rows are read inside a transaction, so the cursor is a
    plain server-side one that streams as the scan goes (outside one,
    Django declares it WITH HOLD and the server reads everything first).
    SQLite has no server-side cursors and would lock writers out for the
    length of a transaction, so there the rows are read in autocommit.
    """
    format_row = _row_formatter()
    zone = timezone.get_current_timezone()
    rows = (
        queryset.order_by("-placed_at", "-id")
        .annotate(
            placed_local=Cast(
                TruncSecond("placed_at", tzinfo=zone), output_field=CharField()
            )
        )
        .values_list(*(name for name, _, _ in COLUMNS))
        .iterator(chunk_size=CHUNK_SIZE)
    )
    streaming = connection.vendor == "postgresql"
    with transaction.atomic() if streaming else nullcontext():
        for row in rows:
            yield format_row(row)


class _Echo:
    """A file whose write() hands the line back, for csv.writer to stream through."""

    def write(self, value: str) -> str:
        return value


def export_lines(queryset: QuerySet[Order]) -> Iterator[str]:
    """The CSV text of `queryset`, header first, in pieces of a few hundred rows."""
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)

    piece: list[str] = []
    for cells in export_rows(queryset):
        piece.append(writer.writerow(cells))
        if len(piece) >= ROWS_PER_PIECE:
            yield "".join(piece)
            piece = []
    if piece:
        yield "".join(piece)
