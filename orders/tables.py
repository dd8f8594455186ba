"""The Order Manager's results table.

Only columns with an index behind them are sortable (see `orders.search.SORTS`);
the rows come in already sorted and paged by `orders.search.order_page`.
"""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from orders.models import Order, OrderStatus

STATUS_BADGES = {
    OrderStatus.PENDING: "text-bg-warning",
    OrderStatus.PAID: "text-bg-success",
    OrderStatus.FULFILLED: "text-bg-primary",
    OrderStatus.CANCELLED: "text-bg-secondary",
    OrderStatus.PARTIALLY_REFUNDED: "text-bg-info",
    OrderStatus.REFUNDED: "text-bg-dark",
}


def status_badge(order: Order) -> str:
    return format_html(
        '<span class="badge {}">{}</span>',
        STATUS_BADGES.get(order.status, "text-bg-light"),
        order.get_status_display(),
    )


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
    number = tables.Column(
        verbose_name=_("Number"),
        linkify=("orders:summary", [tables.A("number")]),
        attrs={"td": {"class": "font-monospace"}},
    )
    placed_at = tables.DateTimeColumn(verbose_name=_("Placed"), format="Y-m-d H:i")
    customer = tables.Column(verbose_name=_("Customer"), orderable=False)
    status = tables.Column(verbose_name=_("Status"))
    total = tables.Column(
        verbose_name=_("Total"),
        attrs={"th": {"class": "text-end"}, "td": {"class": "text-end"}},
    )
    payment_method = tables.Column(verbose_name=_("Payment"), orderable=False)

    class Meta:
        template_name = "orders/_order_table.html"
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No orders match this search.")
        order_by_field = "sort"

    def render_select(self, value):
        return format_html(
            '<input type="checkbox" class="form-check-input" name="orders" '
            'value="{}" form="bulk-form" aria-label="{}">',
            value,
            _("Select order %(number)s") % {"number": value},
        )

    def render_customer(self, record: Order):
        customer = record.customer
        name = customer.full_name or customer.user.email
        guest = (
            format_html(
                ' <span class="badge text-bg-light border">{}</span>', _("Guest")
            )
            if record.is_guest
            else ""
        )
        return format_html(
            '{}{}<br><small class="text-body-secondary">{}</small>',
            name,
            guest,
            record.email,
        )

    def render_status(self, record: Order):
        return status_badge(record)

    def render_total(self, record: Order):
        return format_html("{} {}", record.total, record.currency)

    def render_payment_method(self, record: Order):
        return record.get_payment_method_display()
