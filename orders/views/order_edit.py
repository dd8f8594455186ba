"""Changes to a past order: billing address, status, refunds and notes."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customers.permissions import backoffice_required
from orders.forms.manager import (
    OrderBillingForm,
    OrderNoteForm,
    OrderStatusForm,
    RefundForm,
)
from orders.models import OrderStatus
from orders.services import (
    OrderChangeRefused,
    StaleOrder,
    order_add_note,
    order_change_status,
    order_note_update,
    order_refund,
    order_update_billing_address,
)
from orders.views.order_pages import (
    history_context,
    history_rows,
    order_or_404,
    order_page_context,
    payments_context,
)


@backoffice_required
def billing(request: HttpRequest, number: str) -> HttpResponse:
    order = order_or_404(number)
    form = OrderBillingForm(request.POST or None, instance=order)
    stale = None

    if request.method == "POST" and form.is_valid():
        try:
            order_update_billing_address(
                order=order,
                address=form.address(),
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except StaleOrder as refusal:
            stale = refusal
            order = order_or_404(number)
            data = request.POST.copy()
            data["version"] = str(order.version)
            form = OrderBillingForm(data, instance=order)
            form.is_valid()
        else:
            messages.success(
                request,
                _(
                    "This order's billing address was saved; the customer's "
                    "profile keeps its own."
                ),
            )
            return redirect("orders:billing", number=order.number)

    context = order_page_context(order, "billing")
    context["form"] = form
    if stale is not None:
        context["stale_rows"] = [
            row
            for row in history_rows(order)
            if row["entry"].pk in {entry.pk for entry in stale.changes}
        ]
    return render(request, "orders/billing.html", context)


@backoffice_required
@require_POST
def change_status(request: HttpRequest, number: str) -> HttpResponse:
    order = order_or_404(number)
    form = OrderStatusForm(request.POST, order=order)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("orders:summary", number=order.number)

    try:
        order = order_change_status(
            order=order,
            status=form.cleaned_data["status"],
            payment_method=form.cleaned_data.get("payment_method") or "",
            payment_reference=form.cleaned_data.get("check_number") or "",
            actor=request.user,
        )
    except OrderChangeRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("The order is now %(status)s.")
            % {"status": OrderStatus(order.status).label.lower()},
        )
    return redirect("orders:summary", number=order.number)


@backoffice_required
@require_POST
def refund(request: HttpRequest, number: str) -> HttpResponse:
    order = order_or_404(number)
    form = RefundForm(request.POST, order=order)
    if form.is_valid():
        try:
            payment = order_refund(
                order=order,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except OrderChangeRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _("%(amount)s %(currency)s was refunded.")
                % {"amount": payment.amount, "currency": order.currency},
            )
            return redirect("orders:payments", number=order.number)

    # Read again: a refusal may come from a change another admin just made.
    order = order_or_404(number)
    return render(request, "orders/payments.html", payments_context(order, form))


@backoffice_required
@require_POST
def add_note(request: HttpRequest, number: str) -> HttpResponse:
    order = order_or_404(number)
    form = OrderNoteForm(request.POST)
    if form.is_valid():
        try:
            order_add_note(
                order=order,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                actor=request.user,
            )
        except OrderChangeRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The note was added."))
            return redirect("orders:history", number=order.number)

    return render(request, "orders/history.html", history_context(order, form))


@backoffice_required
def edit_note(request: HttpRequest, number: str, note_id: int) -> HttpResponse:
    order = order_or_404(number)
    note = get_object_or_404(order.notes.all(), pk=note_id)
    if note.is_system:
        messages.error(request, _("Notes written by the store cannot be edited."))
        return redirect("orders:history", number=order.number)

    form = OrderNoteForm(request.POST or None, instance=note)
    if request.method == "POST" and form.is_valid():
        try:
            order_note_update(
                note=note,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                actor=request.user,
            )
        except OrderChangeRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The note was saved."))
            return redirect("orders:history", number=order.number)

    context = order_page_context(order, "history")
    context["form"] = form
    context["note"] = note
    return render(request, "orders/note_edit.html", context)
