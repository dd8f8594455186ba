"""Editing past orders: billing address, status, refunds, notes, and their history."""

import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction

from activity.history import history_for
from orders.gateway import PaymentError
from orders.models import Order, OrderNote, OrderStatus, Payment, PaymentMethod
from orders.services import (
    OrderChangeRefused,
    StaleOrder,
    order_add_note,
    order_change_status,
    order_note_update,
    order_refund,
    order_update_billing_address,
    orders_bulk_change_status,
)
from tests.factories import (
    CatalogItemFactory,
    GroupFactory,
    OrderFactory,
    OrderLineFactory,
)

pytestmark = pytest.mark.django_db

NEW_ADDRESS = {
    "billing_name": "Robin Vega",
    "billing_line1": "9 Elm Street",
    "billing_line2": "",
    "billing_city": "Riverton",
    "billing_region": "WY",
    "billing_postal_code": "82501",
    "billing_country": "US",
}


def card_order(**kwargs) -> Order:
    defaults = {
        "status": OrderStatus.PAID,
        "total": Decimal("30.00"),
        "amount_paid": Decimal("30.00"),
        "payment_method": PaymentMethod.CARD,
        "payment_reference": "ch_sandbox_abc",
    }
    return OrderFactory(**(defaults | kwargs))


def latest_history(order: Order):
    return history_for(order).order_by("-created_at", "-id").first()


# Billing address


def test_changing_an_orders_address_leaves_the_profile_alone(store_admin):
    order = OrderFactory()

    order_update_billing_address(
        order=order, address=NEW_ADDRESS, expected_version=1, actor=store_admin
    )

    order.customer.refresh_from_db()
    assert order.customer.billing_line1 == "1 School Lane"


def test_changing_an_orders_address_saves_it_on_the_order(store_admin):
    order = OrderFactory()

    order_update_billing_address(
        order=order, address=NEW_ADDRESS, expected_version=1, actor=store_admin
    )

    order.refresh_from_db()
    assert order.billing_address() == NEW_ADDRESS


def test_an_address_change_is_recorded_with_before_and_after(store_admin):
    order = OrderFactory(billing_line1="1 School Lane")

    order_update_billing_address(
        order=order, address=NEW_ADDRESS, expected_version=1, actor=store_admin
    )

    entry = latest_history(order)
    assert (entry.action, entry.actor, entry.changes["billing_line1"]) == (
        "orders.billing_address.changed",
        store_admin,
        ["1 School Lane", "9 Elm Street"],
    )


def test_a_new_billing_name_is_searchable(store_admin):
    order = OrderFactory()

    order_update_billing_address(
        order=order, address=NEW_ADDRESS, expected_version=1, actor=store_admin
    )

    order.refresh_from_db()
    assert "robin vega" in order.search_text


def test_an_address_change_raises_the_version(store_admin):
    order = OrderFactory()

    order_update_billing_address(
        order=order, address=NEW_ADDRESS, expected_version=1, actor=store_admin
    )

    order.refresh_from_db()
    assert order.version == 2


def test_a_stale_address_form_is_refused(store_admin, other_admin):
    order = OrderFactory()
    order_update_billing_address(
        order=order, address=NEW_ADDRESS, expected_version=1, actor=other_admin
    )

    with pytest.raises(StaleOrder) as refusal:
        order_update_billing_address(
            order=order,
            address=NEW_ADDRESS | {"billing_city": "Mine"},
            expected_version=1,
            actor=store_admin,
        )

    assert [entry.actor for entry in refusal.value.changes] == [other_admin]


def test_a_stale_address_form_changes_nothing(store_admin, other_admin):
    order = OrderFactory()
    order_update_billing_address(
        order=order, address=NEW_ADDRESS, expected_version=1, actor=other_admin
    )

    with pytest.raises(StaleOrder):
        order_update_billing_address(
            order=order,
            address=NEW_ADDRESS | {"billing_city": "Mine"},
            expected_version=1,
            actor=store_admin,
        )

    order.refresh_from_db()
    assert order.billing_city == "Riverton"


def test_an_unchanged_address_writes_no_history(store_admin):
    order = OrderFactory()

    order_update_billing_address(
        order=order,
        address=order.billing_address(),
        expected_version=1,
        actor=store_admin,
    )

    assert not history_for(order).exists()


# Status


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (OrderStatus.PAID, OrderStatus.FULFILLED),
        (OrderStatus.PAID, OrderStatus.CANCELLED),
        (OrderStatus.PENDING, OrderStatus.CANCELLED),
    ],
)
def test_an_allowed_transition_is_made(store_admin, before, after):
    order = OrderFactory(status=before)

    order_change_status(order=order, status=after, actor=store_admin)

    order.refresh_from_db()
    assert order.status == after


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (OrderStatus.PENDING, OrderStatus.FULFILLED),
        (OrderStatus.FULFILLED, OrderStatus.PAID),
        (OrderStatus.FULFILLED, OrderStatus.CANCELLED),
        (OrderStatus.CANCELLED, OrderStatus.PAID),
        (OrderStatus.CANCELLED, OrderStatus.PENDING),
        (OrderStatus.REFUNDED, OrderStatus.PAID),
        (OrderStatus.PARTIALLY_REFUNDED, OrderStatus.FULFILLED),
        (OrderStatus.PAID, OrderStatus.REFUNDED),
        (OrderStatus.PAID, OrderStatus.PENDING),
        (OrderStatus.PAID, "shipped"),
    ],
)
def test_a_transition_that_is_not_allowed_is_refused(store_admin, before, after):
    order = OrderFactory(status=before)

    with pytest.raises(OrderChangeRefused):
        order_change_status(order=order, status=after, actor=store_admin)


def test_a_refused_transition_changes_nothing(store_admin):
    order = OrderFactory(status=OrderStatus.CANCELLED, amount_paid=0)

    with pytest.raises(OrderChangeRefused):
        order_change_status(order=order, status=OrderStatus.PAID, actor=store_admin)

    assert not history_for(order).exists() and not order.notes.exists()


def test_a_status_change_is_recorded_with_before_and_after(store_admin):
    order = OrderFactory(status=OrderStatus.PAID)

    order_change_status(order=order, status=OrderStatus.FULFILLED, actor=store_admin)

    entry = latest_history(order)
    assert (entry.action, entry.changes["status"]) == (
        "orders.status.changed",
        ["paid", "fulfilled"],
    )


def test_a_status_change_writes_a_system_note(store_admin):
    order = OrderFactory(status=OrderStatus.PAID)

    order_change_status(order=order, status=OrderStatus.FULFILLED, actor=store_admin)

    note = OrderNote.objects.get(order=order)
    assert note.is_system and note.body == "Status changed from Paid to Fulfilled."


def test_marking_a_pending_order_paid_needs_to_know_how(store_admin):
    order = OrderFactory(status=OrderStatus.PENDING, amount_paid=0)

    with pytest.raises(OrderChangeRefused):
        order_change_status(order=order, status=OrderStatus.PAID, actor=store_admin)


def test_marking_a_pending_order_paid_by_check_needs_the_number(store_admin):
    order = OrderFactory(status=OrderStatus.PENDING, amount_paid=0)

    with pytest.raises(OrderChangeRefused):
        order_change_status(
            order=order,
            status=OrderStatus.PAID,
            payment_method=PaymentMethod.CHECK,
            actor=store_admin,
        )


def test_marking_a_pending_order_paid_in_cash_records_the_payment(store_admin):
    order = OrderFactory(
        status=OrderStatus.PENDING, amount_paid=0, total=Decimal("12.00")
    )

    order_change_status(
        order=order,
        status=OrderStatus.PAID,
        payment_method=PaymentMethod.CASH,
        actor=store_admin,
    )

    payment = Payment.objects.get(order=order)
    assert (payment.kind, payment.method, payment.amount) == (
        "charge",
        "cash",
        Decimal("12.00"),
    )


def test_marking_an_order_paid_grants_the_groups_it_sells(store_admin):
    pta = GroupFactory(name="PTA Members")
    item = CatalogItemFactory(kind="group_membership", grants_group=pta)
    order = OrderFactory(status=OrderStatus.PENDING, amount_paid=0)
    OrderLineFactory(order=order, item=item)

    order_change_status(
        order=order,
        status=OrderStatus.PAID,
        payment_method=PaymentMethod.CASH,
        actor=store_admin,
    )

    assert order.customer.user.groups.filter(pk=pta.pk).exists()


def test_the_bulk_change_reports_changed_and_refused_orders(store_admin):
    paid = OrderFactory(status=OrderStatus.PAID)
    cancelled = OrderFactory(status=OrderStatus.CANCELLED, amount_paid=0)

    result = orders_bulk_change_status(
        orders=[paid, cancelled], status=OrderStatus.FULFILLED, actor=store_admin
    )

    assert result.changed == [paid.number]
    assert [number for number, _ in result.refused] == [cancelled.number]


# Refunds


def test_a_partial_card_refund_goes_through_the_gateway(store_admin):
    order = card_order()

    payment = order_refund(order=order, amount=Decimal("10.00"), actor=store_admin)

    assert payment.reference.startswith("re_sandbox_")


def test_a_partial_refund_marks_the_order_partially_refunded(store_admin):
    order = card_order()

    order_refund(order=order, amount=Decimal("10.00"), actor=store_admin)

    order.refresh_from_db()
    assert (order.status, order.amount_refunded) == (
        OrderStatus.PARTIALLY_REFUNDED,
        Decimal("10.00"),
    )


def test_refunding_everything_marks_the_order_refunded(store_admin):
    order = card_order()
    order_refund(order=order, amount=Decimal("10.00"), actor=store_admin)

    order_refund(order=order, amount=Decimal("20.00"), actor=store_admin)

    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED


def test_a_refund_of_more_than_was_paid_is_refused(store_admin):
    order = card_order()

    with pytest.raises(OrderChangeRefused, match="At most 30.00"):
        order_refund(order=order, amount=Decimal("30.01"), actor=store_admin)


def test_a_second_refund_cannot_pass_what_is_left(store_admin):
    order = card_order()
    order_refund(order=order, amount=Decimal("25.00"), actor=store_admin)

    with pytest.raises(OrderChangeRefused, match="At most 5.00"):
        order_refund(order=order, amount=Decimal("6.00"), actor=store_admin)


@pytest.mark.parametrize(
    "amount", [Decimal("0"), Decimal("-1"), Decimal("0.001"), Decimal("NaN")]
)
def test_a_refund_amount_below_a_cent_or_not_a_number_is_refused(store_admin, amount):
    order = card_order()

    with pytest.raises(OrderChangeRefused):
        order_refund(order=order, amount=amount, actor=store_admin)


def test_an_unpaid_order_cannot_be_refunded(store_admin):
    order = OrderFactory(status=OrderStatus.PENDING, amount_paid=0)

    with pytest.raises(OrderChangeRefused):
        order_refund(order=order, amount=Decimal("1.00"), actor=store_admin)


def test_the_database_refuses_a_refund_beyond_what_was_paid():
    order = card_order()

    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(amount_refunded=Decimal("31.00"))


def test_a_cash_refund_is_recorded_without_the_gateway(store_admin):
    order = card_order(payment_method=PaymentMethod.CASH, payment_reference="")

    with mock.patch("orders.services.get_gateway") as gateway:
        order_refund(order=order, amount=Decimal("5.00"), actor=store_admin)

    assert not gateway.called and order.payments.filter(kind="refund").exists()


def test_a_gateway_refusal_writes_nothing(store_admin):
    order = card_order(payment_reference="cash-in-hand")

    with pytest.raises(OrderChangeRefused, match="not made through the gateway"):
        order_refund(order=order, amount=Decimal("5.00"), actor=store_admin)

    order.refresh_from_db()
    assert order.amount_refunded == 0 and not order.payments.exists()


def test_the_gateway_is_asked_for_the_refund_amount(store_admin):
    order = card_order()
    with mock.patch("orders.services.get_gateway") as gateway:
        gateway.return_value.refund.return_value.reference = "re_1"

        order_refund(order=order, amount=Decimal("7.50"), actor=store_admin)

    gateway.return_value.refund.assert_called_once_with(
        "ch_sandbox_abc", Decimal("7.50")
    )


def test_a_gateway_error_is_shown_as_a_refusal(store_admin):
    order = card_order()
    with mock.patch("orders.services.get_gateway") as gateway:
        gateway.return_value.refund.side_effect = PaymentError("Gateway down.")

        with pytest.raises(OrderChangeRefused, match="Gateway down."):
            order_refund(order=order, amount=Decimal("1.00"), actor=store_admin)


def test_a_refund_is_recorded_with_before_and_after(store_admin):
    order = card_order()

    order_refund(order=order, amount=Decimal("10.00"), actor=store_admin)

    entry = latest_history(order)
    assert (
        entry.action,
        entry.changes["amount_refunded"],
        entry.changes["amount"],
    ) == (
        "orders.refund.made",
        ["0.00", "10.00"],
        "10.00",
    )


def test_a_refund_writes_a_system_note(store_admin):
    order = card_order()

    order_refund(order=order, amount=Decimal("10.00"), actor=store_admin)

    assert OrderNote.objects.get(order=order).is_system


# Notes


def test_a_note_is_added_with_its_visibility(store_admin):
    order = OrderFactory()

    note = order_add_note(
        order=order, body="Picked up", visibility="customer", actor=store_admin
    )

    assert (note.body, note.visibility, note.is_system) == (
        "Picked up",
        "customer",
        False,
    )


def test_adding_a_note_is_recorded(store_admin):
    order = OrderFactory()

    order_add_note(
        order=order, body="Call back", visibility="internal", actor=store_admin
    )

    entry = latest_history(order)
    assert (entry.action, entry.changes["note"]) == (
        "orders.note.added",
        [None, "Call back"],
    )


def test_an_empty_note_is_refused(store_admin):
    with pytest.raises(OrderChangeRefused):
        order_add_note(
            order=OrderFactory(), body="   ", visibility="internal", actor=store_admin
        )


def test_a_staff_note_can_be_edited(store_admin):
    order = OrderFactory()
    note = order_add_note(
        order=order, body="Tpyo", visibility="internal", actor=store_admin
    )

    order_note_update(
        note=order.notes.get(), body="Typo", visibility="internal", actor=store_admin
    )

    note.refresh_from_db()
    assert note.body == "Typo"


def test_a_system_note_cannot_be_edited(store_admin):
    order = OrderFactory(status=OrderStatus.PAID)
    order_change_status(order=order, status=OrderStatus.FULFILLED, actor=store_admin)

    with pytest.raises(OrderChangeRefused):
        order_note_update(
            note=order.notes.get(),
            body="Rewritten",
            visibility="internal",
            actor=store_admin,
        )


# Two admins at once


@pytest.mark.django_db(transaction=True)
def test_two_admins_refunding_at_once_never_refund_more_than_was_paid(
    store_admin, other_admin
):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite serialises every writer.")
    order = card_order()
    results = []

    def refund(actor):
        try:
            order_refund(order=order, amount=Decimal("20.00"), actor=actor)
            results.append("ok")
        except OrderChangeRefused:
            results.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=refund, args=(a,)) for a in (store_admin, other_admin)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    order.refresh_from_db()
    assert sorted(results) == ["ok", "refused"] and order.amount_refunded == 20


def test_a_status_change_after_another_admins_change_sees_it(store_admin, other_admin):
    order = OrderFactory(status=OrderStatus.PAID)
    stale_copy = Order.objects.get(pk=order.pk)
    order_change_status(order=order, status=OrderStatus.FULFILLED, actor=other_admin)

    with pytest.raises(OrderChangeRefused):
        order_change_status(
            order=stale_copy, status=OrderStatus.CANCELLED, actor=store_admin
        )
