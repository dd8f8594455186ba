"""The chart of orders and revenue per day above the Order Manager's results."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from orders.chart import (
    MAX_DAYS,
    ChartPeriod,
    DayFigures,
    chart_figures,
    chart_period,
    chart_svg,
    nice_ceiling,
)
from orders.models import Order
from tests.factories import OrderFactory

CHART = reverse("orders:chart")
TABLE = reverse("orders:chart_table")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def forget_kept_figures():
    """The chart keeps its figures in the cache, which outlives a test."""
    cache.clear()


def drawn(figures, period) -> ElementTree.Element:
    # The chart's own output, not untrusted input.
    return ElementTree.fromstring(chart_svg(figures, period, currency="USD"))  # noqa: S314


def aware(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time())).replace(
        hour=hour
    )


def test_the_default_period_is_the_last_30_days():
    period = chart_period(None, None, today=date(2026, 3, 31))

    assert (period.start, period.end) == (date(2026, 3, 2), date(2026, 3, 31))


def test_the_period_follows_the_searched_dates():
    period = chart_period(aware(date(2026, 1, 5)), aware(date(2026, 1, 9), 23))

    assert (period.start, period.end, period.days) == (
        date(2026, 1, 5),
        date(2026, 1, 9),
        5,
    )


def test_a_long_search_shows_its_last_year():
    period = chart_period(aware(date(2000, 1, 1)), aware(date(2026, 1, 1)))

    assert period.days == MAX_DAYS and period.shortened


def test_a_search_from_the_first_day_there_is_does_not_overflow():
    period = chart_period(None, aware(date(1, 1, 3)))

    assert period.start == date(1, 1, 1)


@pytest.mark.parametrize(
    ("value", "expected"), [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (240, 250)]
)
def test_the_axis_ends_on_a_round_number(value, expected):
    assert nice_ceiling(value) == expected


@pytest.mark.django_db
def test_the_figures_count_orders_and_money_kept_per_day():
    day = timezone.localdate() - timedelta(days=1)
    OrderFactory(placed_at=aware(day, 9), total=10, amount_paid=10)
    OrderFactory(placed_at=aware(day, 15), total=20, amount_paid=20, amount_refunded=5)
    period = ChartPeriod(day, day)

    [figure] = chart_figures(Order.objects.all(), period)

    assert (figure.orders, figure.revenue) == (2, Decimal("25.00"))


@pytest.mark.django_db
def test_a_day_without_orders_is_drawn_as_zero():
    day = timezone.localdate()

    figures = chart_figures(Order.objects.all(), ChartPeriod(day, day))

    assert [(f.orders, f.revenue) for f in figures] == [(0, Decimal("0.00"))]


@pytest.mark.django_db
def test_the_figures_take_one_query(django_assert_num_queries):
    for n in range(5):
        OrderFactory(placed_at=timezone.now() - timedelta(days=n))

    with django_assert_num_queries(1):
        chart_figures(Order.objects.all(), chart_period(None, None))


def test_the_chart_is_svg_with_a_title_and_description():
    period = ChartPeriod(date(2026, 1, 1), date(2026, 1, 2))
    figures = []

    root = drawn(figures, period)

    assert root.find(f"{SVG}title").text.startswith("Orders and revenue per day")
    assert root.find(f"{SVG}desc").text


def test_each_day_is_a_bar_with_its_figures_as_text():
    period = ChartPeriod(date(2026, 1, 1), date(2026, 1, 2))
    figures = [
        DayFigures(date(2026, 1, 1), 3, Decimal("30.00")),
        DayFigures(date(2026, 1, 2), 1, Decimal("5.00")),
    ]

    root = drawn(figures, period)

    bars = root.find(f".//{SVG}g[@class='bars']")
    titles = [bar.find(f"{SVG}title").text for bar in bars]
    assert titles == [
        "2026-01-01: 3 orders, revenue 30.00 USD",
        "2026-01-02: 1 order, revenue 5.00 USD",
    ]


def test_revenue_is_a_line_with_a_marker_per_day():
    period = ChartPeriod(date(2026, 1, 1), date(2026, 1, 3))
    figures = [DayFigures(period.start + timedelta(days=n), n, n) for n in range(3)]

    root = drawn(figures, period)

    markers = root.find(f".//{SVG}g[@class='markers']")
    assert len(root.findall(f"{SVG}polyline")) == 1 and len(markers) == 3


@pytest.mark.django_db
def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(CHART)

    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CHART, TABLE])
def test_a_shopper_is_refused(shopper_client, url):
    assert shopper_client.get(url).status_code == 403


@pytest.mark.django_db
def test_the_chart_is_served_as_svg(admin_client):
    response = admin_client.get(CHART)

    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"


@pytest.mark.django_db
def test_the_chart_follows_the_search(admin_client):
    OrderFactory(placed_at=timezone.now(), status="paid")
    OrderFactory(placed_at=timezone.now(), status="pending", amount_paid=0)

    response = admin_client.get(CHART, {"status": "pending"})

    assert "1 order in the period" in response.content.decode()


@pytest.mark.django_db
def test_a_bad_search_still_draws_an_empty_chart(admin_client):
    response = admin_client.get(CHART, {"placed_after": "notadate"})

    assert response.status_code == 200


@pytest.mark.django_db
def test_the_chart_page_with_the_searched_period_takes_few_queries(
    admin_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        admin_client.get(CHART, {"placed_after": "2026-01-01"})


@pytest.mark.django_db
def test_the_text_table_lists_each_day(admin_client):
    response = admin_client.get(
        TABLE, {"placed_after": "2026-01-01", "placed_before": "2026-01-07"}
    )

    assert len(response.context["figures"]) == 7


@pytest.mark.django_db
def test_the_figures_of_a_search_are_kept_for_a_while(admin_client):
    admin_client.get(CHART, {"status": "paid"})
    OrderFactory(placed_at=timezone.now(), status="paid")

    response = admin_client.get(CHART, {"status": "paid"})

    assert "0 orders in the period" in response.content.decode()


@pytest.mark.django_db
def test_another_search_has_its_own_figures(admin_client):
    admin_client.get(CHART, {"status": "paid"})
    OrderFactory(placed_at=timezone.now(), status="pending", amount_paid=0)

    response = admin_client.get(CHART, {"status": "pending"})

    assert "1 order in the period" in response.content.decode()
