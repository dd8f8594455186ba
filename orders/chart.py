"""Orders and revenue per day, drawn as SVG on the server.

One grouped query gives the figures; the drawing needs no script and no
colour to be read: orders are bars against the left axis, revenue a line
with round markers against the right one, and every day carries its
figures as a tooltip and in the text table beside the chart.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, F, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.utils import timezone

from orders.models import Order

DEFAULT_DAYS = 30
# A year of daily bars is still readable; longer searches show their end.
MAX_DAYS = 366

WIDTH, HEIGHT = 960, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 80, 40, 48
X_LABELS = 10


@dataclass(frozen=True)
class ChartPeriod:
    start: date
    end: date
    # The search covered more days than the chart shows.
    shortened: bool = False

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class DayFigures:
    day: date
    orders: int
    revenue: Decimal


def chart_period(
    start: datetime | None, stop: datetime | None, *, today: date | None = None
) -> ChartPeriod:
    """The days to chart for a search placed between `start` and `stop`."""
    today = today or timezone.localdate()
    end = timezone.localtime(stop).date() if stop else today
    if start:
        first = timezone.localtime(start).date()
    else:
        first = _days_before(end, DEFAULT_DAYS - 1)
    first = min(first, end)
    if (end - first).days + 1 > MAX_DAYS:
        return ChartPeriod(_days_before(end, MAX_DAYS - 1), end, shortened=True)
    return ChartPeriod(first, end)


def _days_before(day: date, days: int) -> date:
    try:
        return day - timedelta(days=days)
    except OverflowError:
        return date.min


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def chart_figures(queryset: QuerySet[Order], period: ChartPeriod) -> list[DayFigures]:
    """Orders and revenue for each day of `period`, in one query.

    Revenue is money kept: what was paid less what was refunded.
    """
    after_end = (
        _day_start(period.end + timedelta(days=1)) if period.end < date.max else None
    )
    rows = queryset.filter(placed_at__gte=_day_start(period.start))
    if after_end:
        rows = rows.filter(placed_at__lt=after_end)
    grouped = (
        rows.annotate(day=TruncDate("placed_at"))
        .values("day")
        .annotate(
            orders=Count("id"),
            revenue=Sum(
                F("amount_paid") - F("amount_refunded"),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
        )
        .order_by("day")
    )
    found = {row["day"]: row for row in grouped}
    figures = []
    for offset in range(period.days):
        day = period.start + timedelta(days=offset)
        row = found.get(day, {})
        figures.append(
            DayFigures(
                day=day,
                orders=row.get("orders", 0),
                revenue=Decimal(row.get("revenue") or 0).quantize(Decimal("0.01")),
            )
        )
    return figures


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `value` (1 for nothing)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _format_tick(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def chart_svg(figures: list[DayFigures], period: ChartPeriod, *, currency: str) -> str:
    """The chart as a standalone SVG document."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    bottom = TOP + plot_height
    max_orders = nice_ceiling(max((f.orders for f in figures), default=0))
    max_revenue = nice_ceiling(float(max((f.revenue for f in figures), default=0)))
    slot = plot_width / max(len(figures), 1)
    label_every = max(1, math.ceil(len(figures) / X_LABELS))

    days = []
    for index, figure in enumerate(figures):
        bar_height = plot_height * figure.orders / max_orders
        centre = LEFT + slot * (index + 0.5)
        days.append(
            {
                "figure": figure,
                "bar_x": round(LEFT + slot * index + slot * 0.15, 1),
                "bar_y": round(bottom - bar_height, 1),
                "bar_width": round(max(slot * 0.7, 1), 1),
                "bar_height": round(bar_height, 1),
                "x": round(centre, 1),
                "y": round(
                    bottom - plot_height * float(figure.revenue) / max_revenue, 1
                ),
                "label": figure.day.strftime("%b %d")
                if index % label_every == 0
                else "",
            }
        )
    ticks = [
        {
            "y": round(bottom - plot_height * share, 1),
            "orders": _format_tick(max_orders * share),
            "revenue": _format_tick(max_revenue * share),
        }
        for share in (0, 0.5, 1)
    ]
    context = {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right_x": WIDTH - RIGHT,
        "top": TOP,
        "bottom": bottom,
        "days": days,
        "ticks": ticks,
        "line_points": " ".join(f"{day['x']},{day['y']}" for day in days),
        "period": period,
        "currency": currency,
        "total_orders": sum(f.orders for f in figures),
        "total_revenue": sum((f.revenue for f in figures), Decimal("0.00")),
    }
    return render_to_string("orders/chart.svg", context)
