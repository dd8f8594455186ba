"""Orders as CSV, streamed: the Order Manager's "Export CSV" and `export_orders`.

Rows are read through a server-side cursor in chunks and written out as
they come, so memory stays flat however many orders match. Cells that a
spreadsheet would run as a formula are neutralised with a leading
apostrophe, since names and addresses are typed by the public.
"""

import csv
from collections.abc import Iterator
from contextlib import nullcontext
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from orders.models import Order, OrderStatus, PaymentMethod

CHUNK_SIZE = 2000
# Rows joined into one piece of the response: fewer, larger writes.
ROWS_PER_PIECE = 200
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    ("number", "number"),
    ("placed_at", "placed"),
    ("status", "status"),
    ("customer__first_name", "first name"),
    ("customer__last_name", "last name"),
    ("email", "e-mail"),
    ("is_guest", "guest"),
    ("placed_by__email", "placed by"),
    ("currency", "currency"),
    ("total", "total"),
    ("amount_paid", "paid"),
    ("amount_refunded", "refunded"),
    ("payment_method", "payment method"),
    ("payment_reference", "payment reference"),
    ("billing_name", "billing name"),
    ("billing_line1", "billing address"),
    ("billing_line2", "billing address line 2"),
    ("billing_city", "billing city"),
    ("billing_region", "billing region"),
    ("billing_postal_code", "billing postal code"),
    ("billing_country", "billing country"),
]
HEADER = [title for _, title in COLUMNS]
STATUS_LABELS = {value: str(label) for value, label in OrderStatus.choices}
METHOD_LABELS = {value: str(label) for value, label in PaymentMethod.choices}


def neutralise(cell: str) -> str:
    """`cell` made safe to open in a spreadsheet: no formula, no DDE."""
    if cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, Decimal):
        return str(value)
    return neutralise(str(value))


def export_rows(queryset: QuerySet[Order]) -> Iterator[list[str]]:
    """The CSV rows of `queryset`, newest first, header excluded.

    On PostgreSQL the rows are read inside a transaction, so the cursor is
    a plain server-side one that streams as the scan goes (outside one,
    Django declares it WITH HOLD and the server reads everything first).
    SQLite has no server-side cursors and would lock writers out for the
    length of a transaction, so there the rows are read in autocommit.
    """
    fields = [name for name, _ in COLUMNS]
    status_at = fields.index("status")
    method_at = fields.index("payment_method")
    rows = (
        queryset.order_by("-placed_at", "-id")
        .values_list(*fields)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    streaming = connection.vendor == "postgresql"
    with transaction.atomic() if streaming else nullcontext():
        for row in rows:
            cells = [_cell(value) for value in row]
            cells[status_at] = STATUS_LABELS.get(row[status_at], cells[status_at])
            cells[method_at] = METHOD_LABELS.get(row[method_at], cells[method_at])
            yield cells


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
