"""Two checkouts with one idempotency key at the same moment make one order."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from orders.checkout import CheckoutLine, NewCardPayment, order_place
from orders.gateway import Card
from orders.models import Order, Payment
from tests.factories import CatalogItemFactory, CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_checkouts_with_one_key_make_one_order():
    customer = CustomerFactory()
    item = CatalogItemFactory(price=Decimal("5.00"))
    card = Card(
        number="4242424242424242",
        exp_month=12,
        exp_year=date.today().year + 2,
        cvc="123",
    )
    start = threading.Barrier(2)
    placed, errors = [], []

    def checkout():
        try:
            start.wait()
            order = order_place(
                customer=customer,
                lines=[CheckoutLine(item, 1)],
                billing={"billing_name": "Pat"},
                payment=NewCardPayment(card=card),
                idempotency_key="race-key-0000000000001",
                acting_user=customer.user,
            )
            placed.append(order.pk)
        except Exception as error:  # noqa: BLE001 - reported by the assert below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=checkout) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(placed)) == 1
    assert (Order.objects.count(), Payment.objects.count()) == (1, 1)
