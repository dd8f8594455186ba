"""The current search as CSV, and as a chart of orders and revenue per day."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.permissions import backoffice_required
from orders.chart import ChartPeriod, chart_figures, chart_period, chart_svg
from orders.export import export_lines
from orders.filters import OrderFilter
from orders.models import Order
from orders.views.manager import query_string, search_params

CHART_CACHE_SECONDS = 300


def _search(request: HttpRequest) -> OrderFilter:
    return OrderFilter(request.GET, queryset=Order.objects.all())


def _back_to_search(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("Correct the search first."))
    query = query_string(search_params(request))
    return redirect(f"{reverse('orders:manager')}?{query}")


@backoffice_required
def export(request: HttpRequest) -> HttpResponse:
    filterset = _search(request)
    if not filterset.is_valid():
        return _back_to_search(request)

    response = StreamingHttpResponse(
        export_lines(filterset.qs), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="orders-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _chart_period(filterset: OrderFilter) -> ChartPeriod:
    placed = filterset.form.cleaned_data.get("placed")
    return chart_period(
        placed.start if placed else None, placed.stop if placed else None
    )


def _figures(request: HttpRequest, filterset: OrderFilter, period: ChartPeriod):
    """The chart's figures, kept for a few minutes per search and period.

    A month of a busy store is a six-figure aggregate; the chart is drawn
    on every visit to the Order Manager, the figures need not be to the
    second.
    """
    search = query_string(dict(sorted(search_params(request).items())))
    digest = hashlib.sha256(search.encode()).hexdigest()[:32]
    key = f"orders:chart:{period.start}:{period.end}:{digest}"
    return cache.get_or_set(
        key, lambda: chart_figures(filterset.qs, period), CHART_CACHE_SECONDS
    )


@backoffice_required
def chart(request: HttpRequest) -> HttpResponse:
    filterset = _search(request)
    if filterset.is_valid():
        period = _chart_period(filterset)
        figures = _figures(request, filterset, period)
    else:
        period = chart_period(None, None)
        figures = []
    svg = chart_svg(figures, period, currency=settings.STORE_CURRENCY)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60"
    return response


@backoffice_required
def chart_table(request: HttpRequest) -> HttpResponse:
    filterset = _search(request)
    if not filterset.is_valid():
        return _back_to_search(request)

    period = _chart_period(filterset)
    context = {
        "period": period,
        "figures": _figures(request, filterset, period),
        "filters_query": query_string(search_params(request)),
        "currency": settings.STORE_CURRENCY,
    }
    return render(request, "orders/chart_table.html", context)
