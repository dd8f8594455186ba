"""Changes store admins make to orders already placed.

Each service locks the order's row (`select_for_update`) inside one
transaction, so two admins acting at once are applied one after the other
and neither loses the other's change; each raises the order's `version`,
writes a history row with before → after, and, for status changes and
refunds, a system note on the order. Refusals raise `OrderChangeRefused`
whose `message` is fit for the page; nothing is written then.
"""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from activity.history import changed_fields, history_for, history_record
from activity.models import HistoryEntry
from customers.models import BillingAddress, CustomerProfile
from orders.gateway import PaymentError, get_gateway
from orders.models import (
    Order,
    OrderLine,
    OrderNote,
    OrderStatus,
    Payment,
    PaymentMethod,
)

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")

# Where a status change may lead; refunds move orders on by themselves.
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    OrderStatus.PENDING: (OrderStatus.PAID, OrderStatus.CANCELLED),
    OrderStatus.PAID: (OrderStatus.FULFILLED, OrderStatus.CANCELLED),
}
# Money received by these methods can be recorded by staff on the order.
RECORDED_PAYMENT_METHODS = (PaymentMethod.CASH, PaymentMethod.CHECK)


class OrderChangeRefused(Exception):
    """The change was not made; `message` says why, in words fit for the page."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleOrder(OrderChangeRefused):
    """The order changed since the form was loaded.

    `order` is the order as it is now and `changes` the history rows written
    since the version the form carried, oldest first.
    """

    def __init__(self, message: str, *, order: Order, changes: list[HistoryEntry]):
        super().__init__(message)
        self.order = order
        self.changes = changes


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _bump_version(order: Order) -> list[int]:
    before = order.version
    order.version = before + 1
    return [before, order.version]


def _system_note(order: Order, body: str, actor) -> OrderNote:
    return OrderNote.objects.create(
        order=order,
        author=actor,
        body=body,
        visibility=OrderNote.Visibility.INTERNAL,
        is_system=True,
    )


def _money(amount: Decimal) -> str:
    return str(amount.quantize(CENT))


def order_allowed_statuses(order: Order) -> tuple[str, ...]:
    """The statuses a status change may take `order` to."""
    return ALLOWED_TRANSITIONS.get(order.status, ())


def order_refundable(order: Order) -> Decimal:
    """The most that can still be refunded: what was paid less what went back."""
    return max(order.amount_paid - order.amount_refunded, Decimal("0.00"))


def order_history_since(order: Order, version: int) -> list[HistoryEntry]:
    """History rows of `order` written after `version`, oldest first."""
    recent = history_for(order).order_by("-created_at", "-id")[:50]
    later = [
        entry
        for entry in recent
        if isinstance(entry.changes.get("version"), list)
        and entry.changes["version"][0] >= version
    ]
    return list(reversed(later))


def order_update_billing_address(
    *, order: Order, address: Mapping[str, str], expected_version: int, actor
) -> Order:
    """Change the billing address copied onto this order; the profile keeps its own.

    `expected_version` is the `version` the edit form was loaded with; an
    order saved since then raises `StaleOrder`, so an admin never overwrites
    a change they have not seen.
    """
    with transaction.atomic():
        locked = _locked(order)
        if locked.version != expected_version:
            raise StaleOrder(
                _("Another admin changed this order while you were editing it."),
                order=locked,
                changes=order_history_since(locked, expected_version),
            )

        before = locked.billing_address()
        for name in BillingAddress.BILLING_FIELDS:
            setattr(locked, name, (address.get(name) or "").strip())
        changes: dict[str, Any] = changed_fields(before, locked.billing_address())
        if not changes:
            return locked

        customer = CustomerProfile.objects.only("first_name", "last_name").get(
            pk=locked.customer_id
        )
        locked.search_text = locked.build_search_text(customer.full_name)
        changes["version"] = _bump_version(locked)
        locked.save(
            update_fields=[
                *BillingAddress.BILLING_FIELDS,
                "search_text",
                "version",
                "updated_at",
            ]
        )
        history_record(
            locked, "orders.billing_address.changed", actor=actor, changes=changes
        )
    return locked


def _grant_groups(order: Order) -> None:
    """Join the groups the order's membership items grant, once it is paid."""
    lines = OrderLine.objects.filter(
        order=order, item__grants_group__isnull=False
    ).values_list("item__grants_group", flat=True)
    groups = set(lines)
    if groups:
        user = CustomerProfile.objects.get(pk=order.customer_id).user
        user.groups.add(*groups)


def _record_received_payment(
    order: Order, *, method: str, reference: str, actor
) -> Decimal:
    """Record the balance as received in cash or by check; returns the amount."""
    amount = order.balance_due
    if amount <= 0:
        return Decimal("0.00")
    if method not in RECORDED_PAYMENT_METHODS:
        raise OrderChangeRefused(
            _("Record how the %(amount)s was paid: cash or check.")
            % {"amount": _money(amount)}
        )
    if method == PaymentMethod.CHECK and not reference.strip():
        raise OrderChangeRefused(_("Enter the check number."))

    Payment.objects.create(
        order=order,
        kind=Payment.Kind.CHARGE,
        method=method,
        amount=amount,
        reference=reference.strip()[:100],
        recorded_by=actor,
    )
    order.amount_paid += amount
    order.payment_method = method
    order.payment_reference = reference.strip()[:100]
    return amount


def order_change_status(
    *,
    order: Order,
    status: str,
    actor,
    payment_method: str = "",
    payment_reference: str = "",
) -> Order:
    """Move `order` to `status` along `ALLOWED_TRANSITIONS`.

    Marking a pending order paid records the balance as received: pass
    `payment_method` ("cash" or "check") and, for a check, its number as
    `payment_reference`. Group memberships the order sells are granted then.
    Cancelling a paid order does not give the money back: refund it too.
    """
    with transaction.atomic():
        locked = _locked(order)
        before = locked.status
        if status not in order_allowed_statuses(locked):
            raise OrderChangeRefused(
                _("An order that is %(before)s cannot be marked %(after)s.")
                % {
                    "before": locked.get_status_display().lower(),
                    "after": str(OrderStatus(status).label).lower()
                    if status in OrderStatus.values
                    else status,
                }
            )

        changes: dict[str, Any] = {"status": [before, status]}
        update_fields = ["status", "version", "updated_at"]
        received = Decimal("0.00")
        if status == OrderStatus.PAID:
            paid_before = locked.amount_paid
            received = _record_received_payment(
                locked,
                method=payment_method,
                reference=payment_reference,
                actor=actor,
            )
            if received:
                changes["amount_paid"] = [
                    _money(paid_before),
                    _money(locked.amount_paid),
                ]
                update_fields += ["amount_paid", "payment_method", "payment_reference"]

        locked.status = status
        changes["version"] = _bump_version(locked)
        locked.save(update_fields=update_fields)
        if status == OrderStatus.PAID:
            _grant_groups(locked)

        body = _("Status changed from %(before)s to %(after)s.") % {
            "before": OrderStatus(before).label,
            "after": OrderStatus(status).label,
        }
        if received:
            body += " " + _("%(amount)s received by %(method)s.") % {
                "amount": _money(received),
                "method": PaymentMethod(payment_method).label.lower(),
            }
        _system_note(locked, body, actor)
        history_record(locked, "orders.status.changed", actor=actor, changes=changes)
    return locked


REFUNDABLE_STATUSES = (
    OrderStatus.PAID,
    OrderStatus.FULFILLED,
    OrderStatus.PARTIALLY_REFUNDED,
    OrderStatus.CANCELLED,
)


def order_refund(*, order: Order, amount: Decimal, actor, reason: str = "") -> Payment:
    """Give back `amount` of what was paid, through the gateway for card payments.

    Never more than `order_refundable(order)`, checked again under the lock
    (and by the database's `order_refund_within_paid` constraint). Cash and
    check refunds are recorded without the gateway. The order becomes
    "partially refunded", or "refunded" once everything paid went back.
    """
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        raise OrderChangeRefused(_("Enter an amount of at least 0.01."))

    with transaction.atomic():
        locked = _locked(order)
        refundable = order_refundable(locked)
        if locked.status not in REFUNDABLE_STATUSES or refundable <= 0:
            raise OrderChangeRefused(_("Nothing was paid on this order to refund."))
        if amount > refundable:
            raise OrderChangeRefused(
                _("At most %(refundable)s can be refunded on this order.")
                % {"refundable": _money(refundable)}
            )

        reference = ""
        if locked.payment_method == PaymentMethod.CARD:
            try:
                refund = get_gateway().refund(locked.payment_reference, amount)
            except PaymentError as error:
                raise OrderChangeRefused(str(error)) from None
            reference = refund.reference

        try:
            payment = _refund_write(
                locked, amount=amount, reference=reference, actor=actor, reason=reason
            )
        except Exception:
            if reference:
                logger.exception(
                    "Refund %s of order %s was made at the gateway but not saved",
                    reference,
                    locked.number,
                )
            raise
    return payment


def _refund_write(
    order: Order, *, amount: Decimal, reference: str, actor, reason: str
) -> Payment:
    before = {
        "status": order.status,
        "amount_refunded": _money(order.amount_refunded),
    }
    payment = Payment.objects.create(
        order=order,
        kind=Payment.Kind.REFUND,
        method=order.payment_method,
        amount=amount,
        reference=reference,
        recorded_by=actor,
    )
    order.amount_refunded += amount
    order.status = (
        OrderStatus.REFUNDED
        if order.amount_refunded >= order.amount_paid
        else OrderStatus.PARTIALLY_REFUNDED
    )
    changes: dict[str, Any] = changed_fields(
        before,
        {"status": order.status, "amount_refunded": _money(order.amount_refunded)},
    )
    changes["amount"] = _money(amount)
    changes["version"] = _bump_version(order)
    order.save(update_fields=["amount_refunded", "status", "version", "updated_at"])

    body = _("Refunded %(amount)s by %(method)s.") % {
        "amount": _money(amount),
        "method": order.get_payment_method_display().lower(),
    }
    if reason.strip():
        body += " " + reason.strip()
    _system_note(order, body, actor)
    history_record(order, "orders.refund.made", actor=actor, changes=changes)
    return payment


def order_add_note(*, order: Order, body: str, visibility: str, actor) -> OrderNote:
    """Write a note on `order`, internal or visible to the customer."""
    body = body.strip()
    if not body:
        raise OrderChangeRefused(_("Write the note first."))
    if visibility not in OrderNote.Visibility.values:
        raise OrderChangeRefused(_("Choose who may see the note."))

    with transaction.atomic():
        note = OrderNote.objects.create(
            order=order, author=actor, body=body, visibility=visibility
        )
        history_record(
            order,
            "orders.note.added",
            actor=actor,
            changes={"note": [None, body], "visibility": [None, visibility]},
        )
    return note


def order_note_update(
    *, note: OrderNote, body: str, visibility: str, actor
) -> OrderNote:
    """Edit a note staff wrote; the store's own (system) notes stay as written.

    `note.order` is read for the history row: load the note through its order.
    """
    body = body.strip()
    if not body:
        raise OrderChangeRefused(_("Write the note first."))
    if visibility not in OrderNote.Visibility.values:
        raise OrderChangeRefused(_("Choose who may see the note."))

    with transaction.atomic():
        locked = OrderNote.objects.select_for_update().get(pk=note.pk)
        if locked.is_system:
            raise OrderChangeRefused(_("Notes written by the store cannot be edited."))
        before = {"note": locked.body, "visibility": locked.visibility}
        locked.body, locked.visibility = body, visibility
        changes = changed_fields(before, {"note": body, "visibility": visibility})
        if not changes:
            return locked
        locked.save(update_fields=["body", "visibility"])
        changes["note_id"] = locked.pk
        history_record(note.order, "orders.note.changed", actor=actor, changes=changes)
    return locked


@dataclass
class BulkStatusResult:
    changed: list[str] = field(default_factory=list)
    # (order number, why it was refused)
    refused: list[tuple[str, str]] = field(default_factory=list)


def orders_bulk_change_status(
    *, orders: Sequence[Order], status: str, actor
) -> BulkStatusResult:
    """Change the status of several orders, each through `order_change_status`.

    Each order is its own transaction: one refused order does not hold the
    others back.
    """
    result = BulkStatusResult()
    for order in orders:
        try:
            order_change_status(order=order, status=status, actor=actor)
        except OrderChangeRefused as refusal:
            result.refused.append((order.number, refusal.message))
        else:
            result.changed.append(order.number)
    return result
