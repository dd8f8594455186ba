"""The Order Manager's front page: search, results, chart and the bulk action."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from customers.permissions import backoffice_required
from orders.filters import PAGING_PARAMS, OrderFilter, filter_chips
from orders.forms.manager import BulkStatusForm
from orders.models import Order, OrderStatus
from orders.search import (
    PER_PAGE_CHOICES,
    order_number_in,
    order_page,
    per_page_from,
    sort_from,
)
from orders.services import orders_bulk_change_status
from orders.tables import OrderTable, rows_for_display

# Refusals listed one by one after a bulk change; the rest are counted.
REFUSALS_LISTED = 10


def query_string(params: dict[str, list[str]], **replace: str | None) -> str:
    """`params` as a query string, with `replace` set (or dropped when None)."""
    params = {key: list(values) for key, values in params.items()}
    for key, value in replace.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = [value]
    return urlencode(params, doseq=True)


def search_params(request: HttpRequest) -> dict[str, list[str]]:
    """The request's filters, without what pages or sorts the results."""
    return {
        key: values
        for key, values in request.GET.lists()
        if key not in PAGING_PARAMS and any(values)
    }


@backoffice_required
def manager(request: HttpRequest) -> HttpResponse:
    number = order_number_in(request.GET.get("q", ""))
    if number and Order.objects.filter(number=number).exists():
        return redirect("orders:summary", number=number)

    filterset = OrderFilter(
        request.GET, queryset=Order.objects.select_related("customer__user")
    )
    sort = sort_from(request.GET.get("sort"))
    per_page = per_page_from(request.GET.get("per_page"))
    page = None
    if filterset.is_valid():
        page = order_page(
            filterset.qs,
            sort=sort,
            per_page=per_page,
            after=request.GET.get("after"),
            before=request.GET.get("before"),
        )
        if page.bad_cursor:
            messages.warning(
                request, _("That page link no longer works; here is the first page.")
            )

    params = dict(request.GET.lists())
    paging = {key: values for key, values in params.items() if key != "page"}
    filters = query_string(search_params(request))
    context = {
        "filterset": filterset,
        "table": OrderTable(rows_for_display(page.rows) if page else [], order_by=sort),
        "page": page,
        "chips": filter_chips(filterset, params),
        "filters_query": filters,
        "next_query": page
        and page.next_cursor
        and query_string(paging, after=page.next_cursor, before=None),
        "previous_query": page
        and page.previous_cursor
        and query_string(paging, before=page.previous_cursor, after=None),
        "per_page": per_page,
        "per_page_links": [
            (size, query_string(paging, per_page=str(size), after=None, before=None))
            for size in PER_PAGE_CHOICES
        ],
        "sort": sort,
        # Its own ids: the search form has a "status" field too.
        "bulk_form": BulkStatusForm(
            initial={"next": request.get_full_path()}, auto_id="bulk_%s"
        ),
    }
    return render(request, "orders/manager.html", context)


def _safe_next(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("orders:manager")


@backoffice_required
@require_POST
def bulk_status(request: HttpRequest) -> HttpResponse:
    form = BulkStatusForm(request.POST)
    back = _safe_next(request, request.POST.get("next", ""))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)

    status = form.cleaned_data["status"]
    result = orders_bulk_change_status(
        orders=form.cleaned_data["orders"], status=status, actor=request.user
    )

    label = OrderStatus(status).label
    if result.changed:
        messages.success(
            request,
            ngettext(
                "%(count)s order marked %(status)s.",
                "%(count)s orders marked %(status)s.",
                len(result.changed),
            )
            % {"count": len(result.changed), "status": label},
        )
    for number, reason in result.refused[:REFUSALS_LISTED]:
        messages.error(
            request,
            _("%(number)s was not changed: %(reason)s")
            % {"number": number, "reason": reason},
        )
    if len(result.refused) > REFUSALS_LISTED:
        messages.error(
            request,
            _("%(count)s more orders were not changed.")
            % {"count": len(result.refused) - REFUSALS_LISTED},
        )
    return redirect(back)
