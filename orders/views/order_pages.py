"""The order page: Summary and the other tabs of its left-side menu."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from activity.history import history_for
from customers.permissions import backoffice_required
from orders.forms.manager import OrderNoteForm, OrderStatusForm, RefundForm
from orders.models import Order, normalize_order_number
from orders.services import order_allowed_statuses, order_refundable

# History rows shown on the History & Notes tab, newest first.
HISTORY_SHOWN = 200

FIELD_LABELS = {
    name: Order._meta.get_field(name).verbose_name
    for name in (
        "status",
        "amount_paid",
        "amount_refunded",
        "total",
        "payment_method",
        *Order.BILLING_FIELDS,
    )
}
FIELD_LABELS["note"] = OrderNoteForm.base_fields["body"].label
FIELD_LABELS["visibility"] = OrderNoteForm.base_fields["visibility"].label
FIELD_LABELS["amount"] = RefundForm.base_fields["amount"].label
# Facts kept in the changes that are not a before → after pair worth showing.
HIDDEN_CHANGES = {"version", "note_id"}


def order_or_404(number: str) -> Order:
    orders = Order.objects.select_related("customer__user", "placed_by")
    return get_object_or_404(orders, number=normalize_order_number(number))


def order_page_context(order: Order, tab: str) -> dict:
    """What every tab of the order page draws: the header and the menu."""
    return {"order": order, "tab": tab}


def history_rows(order: Order) -> list[dict]:
    """The order's history, each change as (field label, before, after)."""
    rows = []
    for entry in history_for(order).order_by("-created_at", "-id")[:HISTORY_SHOWN]:
        changes = []
        facts = []
        for name, value in entry.changes.items():
            if name in HIDDEN_CHANGES:
                continue
            label = FIELD_LABELS.get(name, name)
            if isinstance(value, list) and len(value) == 2:
                changes.append((label, value[0], value[1]))
            else:
                facts.append((label, value))
        rows.append({"entry": entry, "changes": changes, "facts": facts})
    return rows


@backoffice_required
def summary(request: HttpRequest, number: str) -> HttpResponse:
    order = order_or_404(number)
    context = order_page_context(order, "summary")
    context["lines"] = order.lines.all()
    if order_allowed_statuses(order):
        context["status_form"] = OrderStatusForm(order=order)
    return render(request, "orders/summary.html", context)


@backoffice_required
def items(request: HttpRequest, number: str) -> HttpResponse:
    order = order_or_404(number)
    context = order_page_context(order, "items")
    context["lines"] = order.lines.all()
    return render(request, "orders/items.html", context)


def payments_context(order: Order, refund_form: RefundForm | None = None) -> dict:
    context = order_page_context(order, "payments")
    context["payments"] = order.payments.select_related("recorded_by")
    context["refundable"] = order_refundable(order)
    if context["refundable"] > 0:
        context["refund_form"] = refund_form or RefundForm(order=order)
    return context


@backoffice_required
def payments(request: HttpRequest, number: str) -> HttpResponse:
    order = order_or_404(number)
    return render(request, "orders/payments.html", payments_context(order))


def history_context(order: Order, note_form: OrderNoteForm | None = None) -> dict:
    context = order_page_context(order, "history")
    context["notes"] = order.notes.select_related("author")
    context["note_form"] = note_form or OrderNoteForm()
    context["rows"] = history_rows(order)
    return context


@backoffice_required
def history(request: HttpRequest, number: str) -> HttpResponse:
    order = order_or_404(number)
    return render(request, "orders/history.html", history_context(order))
