"""The Order Manager's results table.

Only columns with an index behind them are sortable (see `orders.search.SORTS`);
the rows come in already sorted and paged by `orders.search.order_page`, and
each row is drawn by `orders/_order_row.html` in one go.
"""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


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
