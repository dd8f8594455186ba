"""Page views measured against their bars, on the current database.

`manage.py benchmark activity` runs `run`. The bars (PRODUCT.md): logging a
view adds at most 50 µs to a request; an unseen user agent is parsed in at
most 50 µs; the navigation history's pages take at most 10 ms of SQL for a
customer with 100k views among 10M. Ingest speed is reported, not barred.

The history measurement makes its own scratch data, far in the future
(the months of SCRATCH_YEAR) so that no real view shares its rows: on
PostgreSQL in partitions of their own, dropped afterwards; elsewhere in
the plain table, deleted afterwards. ACTIVITY_BENCHMARK_SCALE (default 1
on PostgreSQL, 0.02 elsewhere) scales the 10M background views and the
100k of the customer; a scratch user owns the customer's views.
"""

import os
import random
import re
import statistics
import string
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import user_agents
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import override_settings

from activity import agents, ingest, partitions, writer
from activity.agents import parse_agent, parse_with
from activity.filters import PageViewFilter
from activity.ids import ID_EPOCH_MS, RANDOM_BITS, view_id_for
from activity.ingest import ViewRecord
from activity.middleware import PageViewMiddleware
from activity.models import PageView, UserAgent
from activity.selectors import keyset_page, page_views_of

Write = Callable[[str], None]

LATENCY_REQUESTS = 20_000
UNSEEN_AGENTS = 300
INGEST_VIEWS = 50_000
BACKGROUND_VIEWS = 10_000_000
CUSTOMER_VIEWS = 100_000
PAGE_RUNS = 20
SCRATCH_YEAR = 2080
SCRATCH_USER = "activity-benchmark@example.invalid"
AGENT_MARK = "ePayTrak-Benchmark"

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
    "like Gecko) Chrome/120.0.0.0 Safari/537.36"
)
SAMPLE_AGENTS = [
    CHROME,
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; CrOS x86_64 15633.69.0) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/119.0.6045.212 Safari/537.36",
]


def run(write: Write) -> None:
    write(f"Database: {connection.vendor}; scale {scale():g}")
    middleware_latency(write)
    unseen_agent_cost(write)
    ingest_rate(write)
    history_page_sql(write)


def scale() -> float:
    default = "1" if connection.vendor == "postgresql" else "0.02"
    return float(os.environ.get("ACTIVITY_BENCHMARK_SCALE", default))


def median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1_000_000


# Latency ---------------------------------------------------------------


def trivial_view(request):
    return HttpResponse("ok")


class DiscardingWriter(writer.Writer):
    """Queues like the real writer, but its thread throws views away: the
    latency measured is the request's, not the database's."""

    def _run(self, items):
        while True:
            items.get()


def middleware_latency(write: Write) -> None:
    """Median time of a request through the middleware and without it,
    alternating the two in one run so drift hits both alike."""
    factory = RequestFactory()
    recorded = PageViewMiddleware(trivial_view)
    visitor = uuid.uuid4().hex

    def request():
        made = factory.get(
            "/items/school-t-shirt/?colour=blue&page=2",
            HTTP_USER_AGENT=CHROME,
            HTTP_REFERER="https://store.example/",
            REMOTE_ADDR="203.0.113.9",
        )
        made.COOKIES["epaytrak_visitor"] = visitor
        made.user = AnonymousUser()
        return made

    discarding = DiscardingWriter()
    with override_settings(ACTIVITY_SYNC_WRITES=False), swapped_writer(discarding):
        plain, logged = [], []
        for _ in range(LATENCY_REQUESTS):
            for handler, samples in ((trivial_view, plain), (recorded, logged)):
                made = request()
                started = time.perf_counter()
                handler(made)
                samples.append(time.perf_counter() - started)

    added = median_us(logged) - median_us(plain)
    write(
        f"Middleware: median {median_us(logged):.1f} µs per request with it, "
        f"{median_us(plain):.1f} µs without: {added:.1f} µs added "
        f"(bar 50 µs; {LATENCY_REQUESTS} requests each; "
        f"{discarding.dropped} dropped)"
    )


@contextmanager
def swapped_writer(replacement: writer.Writer):
    original = writer.writer
    writer.writer = replacement
    try:
        yield replacement
    finally:
        writer.writer = original


# User agents -----------------------------------------------------------


def unseen(agent: str) -> str:
    """A variant of `agent` no cache has seen."""
    return f"{agent} {AGENT_MARK}/{''.join(random.choices(string.ascii_letters, k=12))}"


def unseen_agent_cost(write: Write) -> None:
    agents.rust_resolver()  # built once per process, not per agent
    parse_agent(CHROME)
    user_agents.parse(CHROME)

    costs = {}
    for name, parse in (
        ("Rust resolver under user-agents", parse_agent),
        ("user-agents' own parser", user_agents.parse),
    ):
        samples = []
        for number in range(UNSEEN_AGENTS):
            agent = unseen(SAMPLE_AGENTS[number % len(SAMPLE_AGENTS)])
            started = time.perf_counter()
            parse(agent)
            samples.append(time.perf_counter() - started)
        costs[name] = median_us(samples)

    same = all(
        parse_agent(agent) == parse_with(user_agents.parsers.UserAgent, agent)
        for agent in SAMPLE_AGENTS
    )
    rust, python = costs.values()
    write(
        f"Unseen user agent: median {rust:.1f} µs with the Rust resolver, "
        f"{python:.1f} µs with user-agents' own parser (bar 50 µs; "
        f"{UNSEEN_AGENTS} agents each); same results on the sample: "
        f"{'yes' if same else 'NO'}"
    )


# Ingest ----------------------------------------------------------------


def scratch_start() -> datetime:
    return datetime(SCRATCH_YEAR, 1, 1, tzinfo=UTC)


def ingest_rate(write: Write) -> None:
    """Rows per second from the queue into the table, through the writer."""
    scratch_partitions_make()
    start = scratch_start()
    visitors = [uuid.uuid4() for _ in range(100)]
    records = [
        ViewRecord(
            id=view_id_for(start + timedelta(milliseconds=7 * number)),
            visitor=visitors[number % len(visitors)],
            user_id=None,
            method="GET" if number % 5 else "POST",
            path=f"/items/item-{number % 50}/" if number % 10 == 0 else "/basket/",
            query="page=2&token=secret" if number % 7 == 0 else "",
            referrer="https://store.example/",
            remote_addr="10.0.0.2",
            forwarded_for=f"198.51.100.{number % 250}",
            user_agent=f"{SAMPLE_AGENTS[number % 6]} {AGENT_MARK}/{number % 20}",
            status=200,
            view_name="storefront:item" if number % 10 == 0 else "",
            url_kwargs={"slug": f"item-{number % 50}"} if number % 10 == 0 else {},
        )
        for number in range(INGEST_VIEWS)
    ]
    background = writer.Writer()
    try:
        sample = records[:5000]
        known = agents.agent_cache.ids_for({ingest.agent_string(r) for r in sample})
        for record in sample:  # warms the item and referrer caches, as in use
            ingest.row_for(record, known)
        started = time.perf_counter()
        for record in sample:
            ingest.row_for(record, known)
        row_us = (time.perf_counter() - started) / len(sample) * 1_000_000

        with override_settings(
            ACTIVITY_SYNC_WRITES=False, ACTIVITY_QUEUE_SIZE=INGEST_VIEWS + 10
        ):
            started = time.perf_counter()
            for record in records:
                background.submit(record)
            background.flush(timeout=600)
            elapsed = time.perf_counter() - started
        background.stop()
        write(
            f"Ingest: {background.written / elapsed:,.0f} rows/s through the "
            f"writer ({background.written} views in batches of "
            f"{settings.ACTIVITY_BATCH_SIZE}, {background.dropped} dropped; "
            f"cleaning one row in Python: {row_us:.1f} µs)"
        )
    finally:
        scratch_data_remove()


# History page ----------------------------------------------------------


class SqlTimer:
    """Adds up the time the database spends on each query run inside it."""

    def __init__(self):
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def sql_ms(action: Callable[[], object]) -> tuple[float, float, int]:
    """Median and worst SQL milliseconds of `action` over PAGE_RUNS runs."""
    action()
    timings, queries = [], 0
    for _ in range(PAGE_RUNS):
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            action()
        timings.append(timer.seconds * 1000)
        queries = timer.queries
    return statistics.median(timings), max(timings), queries


def history_page_sql(write: Write) -> None:
    customer_views = int(CUSTOMER_VIEWS * scale())
    background_views = int(BACKGROUND_VIEWS * scale())
    write(
        f"History page data: {customer_views:,} views of one customer among "
        f"{background_views + customer_views:,} (scratch data in {SCRATCH_YEAR})"
    )
    user = scratch_user()
    try:
        started = time.perf_counter()
        scratch_views_make(user.pk, customer_views, background_views)
        write(f"  made in {time.perf_counter() - started:.0f} s")
        measure_history_pages(write, user.pk)
    finally:
        scratch_data_remove()
        user.delete()


def measure_history_pages(write: Write, user_id: int) -> None:
    def page(**query):
        filters = PageViewFilter(query, queryset=page_views_of(user_id))
        after = query.get("after")
        return keyset_page(filters.qs, after_cursor=after, newest="newest" in query)

    middle = page(after=None)
    for _ in range(3):
        middle = page(after=middle.next_cursor) if middle.next_cursor else middle
    june = date(SCRATCH_YEAR, 6, 1).isoformat()
    cases = {
        "first page": {},
        "fourth page": {"after": middle.previous_cursor or ""},
        "newest page": {"newest": "1"},
        "POST only": {"method": "POST"},
        "from 1 June": {"viewed_at_after": june},
    }
    for name, query in cases.items():
        median, worst, queries = sql_ms(lambda query=query: page(**query))
        write(
            f"  {name}: {median:.2f} ms of SQL median, {worst:.2f} ms worst, "
            f"{queries} query (bar 10 ms)"
        )
    if connection.vendor == "postgresql":
        write(f"  first page, by EXPLAIN ANALYZE: {plan_split(user_id)}")


def plan_split(user_id: int) -> str:
    """Median planning and execution time of the first page's query: with
    a dozen monthly partitions, planning is most of the cost."""
    query = page_views_of(user_id).order_by("viewed_at", "id")[:51]
    planning, execution = [], []
    for _ in range(PAGE_RUNS):
        plan = query.explain(analyze=True)
        planning.append(float(re.search(r"Planning Time: ([\d.]+)", plan)[1]))
        execution.append(float(re.search(r"Execution Time: ([\d.]+)", plan)[1]))
    return (
        f"planning {statistics.median(planning):.2f} ms, "
        f"execution {statistics.median(execution):.2f} ms (medians)"
    )


def scratch_user():
    user_model = get_user_model()
    user_model._default_manager.filter(
        **{user_model.USERNAME_FIELD: SCRATCH_USER}
    ).delete()
    user = user_model(**{user_model.USERNAME_FIELD: SCRATCH_USER})
    user.set_unusable_password()
    user.save()
    return user


def scratch_partitions_make() -> None:
    partitions.page_view_partitions_ensure(
        first=date(SCRATCH_YEAR, 1, 1), last=date(SCRATCH_YEAR, 12, 1)
    )


def scratch_views_make(user_id: int, customer_views: int, background_views: int):
    scratch_partitions_make()
    if connection.vendor == "postgresql":
        scratch_views_sql(user_id, customer_views, background_views)
    else:
        scratch_views_orm(user_id, customer_views, background_views)


# Views spread evenly over the scratch year; ids follow activity.ids.
SCRATCH_INSERT = """
INSERT INTO activity_pageview (id, viewed_at, visitor, user_id, method, url,
    referrer, ip, user_agent_id, status, item_kind, item_id, item_name,
    item_icon, time_on_page_ms)
SELECT ((extract(epoch FROM moment) * 1000)::bigint - %(epoch_ms)s)
        << %(bits)s | ((n + %(low)s) %% 4194304),
    moment,
    md5(%(salt)s || (n %% %(visitors)s))::uuid,
    %(user_id)s,
    CASE WHEN n %% 5 = 0 THEN 'POST' ELSE 'GET' END,
    '/items/item-' || (n %% 50) || '/',
    'https://store.example/',
    '198.51.100.7',
    NULL,
    200,
    CASE WHEN n %% 10 = 0 THEN 'product' ELSE '' END,
    NULL,
    CASE WHEN n %% 10 = 0 THEN 'School T-shirt' ELSE '' END,
    CASE WHEN n %% 10 = 0 THEN 'bag' ELSE '' END,
    CASE WHEN n %% 3 = 0 THEN 1500 END
FROM generate_series(%(first)s, %(last)s) AS n,
    LATERAL (SELECT %(start)s::timestamptz
        + (n::float8 * %(seconds)s / %(count)s) * interval '1 second') AS at(moment)
"""


def scratch_views_sql(user_id: int, customer_views: int, background_views: int):
    year_seconds = 364 * 24 * 3600
    # The two sets share their first instant: different low bits keep the
    # ids apart there.
    chunks = [(None, background_views, 100_000, 1_000_000, 0)]
    chunks.append((user_id, customer_views, 10, customer_views, 2**21))
    with connection.cursor() as cursor:
        for owner, count, visitors, step, low in chunks:
            for first in range(0, count, step):
                with transaction.atomic():
                    cursor.execute(
                        SCRATCH_INSERT,
                        {
                            "epoch_ms": ID_EPOCH_MS,
                            "bits": RANDOM_BITS,
                            "low": low,
                            "salt": str(owner),
                            "visitors": visitors,
                            "user_id": owner,
                            "first": first,
                            "last": min(first + step, count) - 1,
                            "start": scratch_start(),
                            "seconds": year_seconds,
                            "count": count,
                        },
                    )
        cursor.execute("ANALYZE activity_pageview")


def scratch_views_orm(user_id: int, customer_views: int, background_views: int):
    start = scratch_start()
    year = timedelta(days=364)
    for owner, count in ((None, background_views), (user_id, customer_views)):
        visitors = [uuid.uuid4() for _ in range(10)]
        batch = []
        for number in range(count):
            moment = start + year * number / count
            batch.append(
                PageView(
                    id=view_id_for(moment),
                    viewed_at=moment,
                    visitor=visitors[number % 10],
                    user_id=owner,
                    method="POST" if number % 5 == 0 else "GET",
                    url=f"/items/item-{number % 50}/",
                    status=200,
                    time_on_page_ms=1500 if number % 3 == 0 else None,
                )
            )
            if len(batch) == 10_000:
                PageView.objects.bulk_create(batch)
                batch = []
        PageView.objects.bulk_create(batch)


def scratch_data_remove() -> None:
    """Drop the scratch partitions (PostgreSQL) or delete the scratch rows."""
    start = scratch_start()
    for partition in partitions.page_view_partitions():
        if partition.start >= start and partition.start.year == SCRATCH_YEAR:
            partitions.page_view_partition_drop(partition)
    scratch = PageView.objects.filter(viewed_at__gte=start)
    while scratch.exists():
        batch = scratch.values("pk")[:50_000]
        PageView.objects.filter(pk__in=batch, viewed_at__gte=start).delete()
    UserAgent.objects.filter(string__contains=AGENT_MARK).delete()
    agents.agent_cache.clear()
