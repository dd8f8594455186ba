"""The Order Manager's results table.

Only columns with an index behind them are sortable (see `orders.search.SORTS`);
the rows come in already sorted and paged by `orders.search.order_page`, and
each row is drawn by `orders/_order_row.html` in one go.
"""

from collections.abc import Iterable

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from orders.models import Order, OrderStatus, PaymentMethod

STATUS_BADGES = {
    OrderStatus.PENDING: "text-bg-warning",
    OrderStatus.PAID: "text-bg-success",
    OrderStatus.FULFILLED: "text-bg-primary",
    OrderStatus.CANCELLED: "text-bg-secondary",
    OrderStatus.PARTIALLY_REFUNDED: "text-bg-info",
    OrderStatus.REFUNDED: "text-bg-dark",
}


class OrderTable(tables.Table):
    select = tables.CheckBoxColumn(
        accessor="number",
        verbose_name=_("Select"),
        attrs={
            "th__input": {
                "class": "form-check-input",
                "aria-label": _("Select all orders on this page"),
                "data-select-all": "orders",
            }
        },
    )
    number = tables.Column(verbose_name=_("Number"))
    placed_at = tables.Column(verbose_name=_("Placed"))
    customer = tables.Column(verbose_name=_("Customer"), orderable=False)
    status = tables.Column(verbose_name=_("Status"))
    total = tables.Column(verbose_name=_("Total"), attrs={"th": {"class": "text-end"}})
    payment_method = tables.Column(verbose_name=_("Payment"), orderable=False)

    class Meta:
        template_name = "orders/_order_table.html"
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No orders match this search.")
        order_by_field = "sort"


def rows_for_display(orders: Iterable[Order]) -> list[Order]:
    """The orders with what their row shows worked out once for the page.

    Django's get_FOO_display() rebuilds its choices on every call, and a
    {% url %} per row costs a resolver walk; at a hundred rows both show.
    """
    statuses = {value: str(label) for value, label in OrderStatus.choices}
    methods = {value: str(label) for value, label in PaymentMethod.choices}
    summary_root = reverse("orders:summary", args=["0"]).removesuffix("0/")
    shown = []
    for order in orders:
        order.status_label = statuses.get(order.status, order.status)
        order.status_badge = STATUS_BADGES.get(order.status, "text-bg-light")
        order.payment_label = methods.get(order.payment_method, "")
        order.summary_url = f"{summary_root}{order.number}/"
        shown.append(order)
    return shown
