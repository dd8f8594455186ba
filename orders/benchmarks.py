"""The Order Manager measured against its bars, on the current database.

`manage.py benchmark orders` runs `run`; it reads only. The bars (PRODUCT.md):
first page of 25 in at most 50 ms on the server and at most 10 queries
whatever the page size; a text search of three or more characters in at
most 20 ms of SQL; an exact e-mail or order number in at most 1 ms; a CSV
export of a million orders at 30k rows/s or more with flat memory.
"""

import csv
import os
import re
import statistics
import time
import tracemalloc
from collections.abc import Callable

from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.db import connection
from django.db.models import QuerySet
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from customers.models import CustomerProfile, User
from orders.export import export_rows
from orders.models import Order
from orders.search import order_page, orders_matching
from orders.views.manager import manager

Write = Callable[[str], None]

RUNS = 15
EXPORT_ROWS = 1_000_000
MEMORY_ROWS = (20_000, 200_000)
# Text searches of the kinds admins type, over the bulk demo data: a common
# surname, a first name, three letters, a whole name, a number fragment, a
# name nobody has, and e-mail fragments made only of trigrams that every bulk
# address shares (the trigram index's worst case).
TEXT_SEARCHES = (
    "okafor",
    "priya",
    "zoe",
    "ava garcia",
    "12345",
    "no-such-name",
    "customer12345@",
)


def _median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    return _timed(action, runs)[0]


def _timed(action: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """Median wall and CPU milliseconds of `action`, after one warm-up run.

    The CPU time is this process's alone: on a shared machine it shows what
    the wall time would be without the neighbours.
    """
    action()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def _sql_ms(queryset: QuerySet) -> float:
    """The database's own time for `queryset`: EXPLAIN ANALYZE where there is one."""
    if connection.vendor == "postgresql":
        plan = queryset.explain(analyze=True)
        found = re.search(r"Execution Time: ([\d.]+) ms", plan)
        if found:
            return float(found.group(1))
    return _median_ms(lambda: list(queryset.all()), runs=5)


def _best_sql_ms(queryset: QuerySet, runs: int = 5) -> float:
    # The first run warms the cache; the median of the rest is what admins see.
    _sql_ms(queryset)
    return statistics.median(_sql_ms(queryset) for _ in range(runs))


def _manager_request(query: dict[str, str]):
    request = RequestFactory().get("/backoffice/orders/", query)
    # An unsaved superuser: the view runs as a store admin, nothing is written.
    request.user = User(
        email="benchmark@localhost", is_staff=True, is_superuser=True, is_active=True
    )
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _scale(write: Write) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reltuples::bigint FROM pg_class WHERE relname IN "
                "('orders_order', 'customers_customerprofile')"
            )
            sizes = dict(cursor.fetchall())
        write(
            f"scale (planner estimate): {sizes.get('orders_order', 0):,} orders, "
            f"{sizes.get('customers_customerprofile', 0):,} customers"
        )
    else:
        write(f"scale: {Order.objects.count():,} orders")


def _first_page(write: Write) -> None:
    for per_page in (25, 100):
        query = {"per_page": str(per_page)}
        with CaptureQueriesContext(connection) as captured:
            manager(_manager_request(query))
        wall, cpu = _timed(lambda q=query: manager(_manager_request(q)))
        write(
            f"first page of {per_page}: {wall:.1f} ms in the view ({cpu:.1f} ms of "
            f"CPU), {len(captured.captured_queries)} queries in the view plus the "
            "session, user and permission lookups (bar: 50 ms, 10 queries)"
        )


def _text_searches(write: Write) -> None:
    orders = Order.objects.select_related("customer__user")
    for text in TEXT_SEARCHES:
        matching = orders_matching(orders, text).order_by("-placed_at", "-id")[:26]
        took = _best_sql_ms(matching)
        write(f"text search {text!r}: {took:.2f} ms of SQL (bar: 20 ms)")


def _exact_lookups(write: Write) -> None:
    sample = Order.objects.order_by("-placed_at", "-id").values("number", "email")
    sample = sample.first()
    if sample is None:
        write("exact lookups: no orders to look up")
        return

    address = sample["email"]
    customer = CustomerProfile.objects.filter(user__email=address).values("pk")
    lookup = _best_sql_ms(customer)
    by_email = orders_matching(Order.objects.all(), address)
    found = len(order_page(by_email, sort="-placed_at", per_page=25).rows)
    orders = _best_sql_ms(by_email.order_by("-placed_at", "-id")[:26])
    write(
        f"exact e-mail: {lookup:.3f} ms of SQL for the customer lookup + "
        f"{orders:.3f} ms for the {found} orders (bar: 1 ms)"
    )
    by_number = Order.objects.filter(number=sample["number"])
    write(f"exact order number: {_best_sql_ms(by_number):.3f} ms of SQL (bar: 1 ms)")


class _Discard:
    def write(self, text: str) -> int:
        return len(text)


def _export(rows: int, *, trace: bool) -> tuple[int, float, float, int]:
    """Write up to `rows` rows of the full export.

    Returns (rows, wall seconds, CPU seconds, peak traced bytes).
    """
    writer = csv.writer(_Discard())
    generator = export_rows(Order.objects.all())
    if trace:
        tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    written = 0
    try:
        for cells in generator:
            writer.writerow(cells)
            written += 1
            if written >= rows:
                break
    finally:
        generator.close()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = 0
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return written, wall, cpu, peak


def _csv_export(write: Write) -> None:
    written, wall, cpu, _ = _export(EXPORT_ROWS, trace=False)
    write(
        f"CSV export: {written:,} rows in {wall:.1f} s, "
        f"{written / wall if wall else 0:,.0f} rows/s ({cpu:.1f} s of CPU here, "
        "the rest is the database) (bar: 30k)"
    )
    peaks = []
    for rows in MEMORY_ROWS:
        written, _, _, peak = _export(rows, trace=True)
        peaks.append(f"{peak / 1_000_000:.1f} MB after {written:,} rows")
    write(f"CSV export peak Python memory: {'; '.join(peaks)} (flat = same)")


def run(write: Write) -> None:
    """Measure the Order Manager on the current database; one line per figure."""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    write(f"load average at the start: {load} (timings are noisy above the cores)")
    _scale(write)
    _first_page(write)
    _text_searches(write)
    _exact_lookups(write)
    _csv_export(write)
