"""orders.checkout.order_place: the service every order goes through."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from activity.history import history_for
from customers.models import SavedCard
from orders import checkout
from orders.checkout import (
    BasketEmpty,
    CashPayment,
    CheckoutExpired,
    CheckoutLine,
    CheckoutRefused,
    CheckPayment,
    CustomerDisabled,
    ItemNotAllowed,
    ItemUnavailable,
    NewCardPayment,
    PaymentNotAllowed,
    PaymentRefused,
    PendingPayment,
    SavedCardPayment,
    order_place,
)
from orders.gateway import Card, get_gateway
from orders.models import Basket, ItemKind, Order, OrderStatus, Payment, PaymentMethod
from tests.factories import (
    BasketFactory,
    BasketLineFactory,
    CatalogItemFactory,
    CustomerFactory,
    GroupFactory,
    OrderFactory,
    SavedCardFactory,
)

pytestmark = pytest.mark.django_db

GOOD_NUMBER = "4242 4242 4242 4242"
DECLINED_NUMBER = "4000 0000 0000 0002"
KEY = "checkout-key-0000000000000001"
BILLING = {
    "billing_name": "Jordan Lee",
    "billing_line1": "9 Elm Street",
    "billing_city": "Riverton",
    "billing_region": "WY",
    "billing_postal_code": "82501",
    "billing_country": "US",
}


def new_card(number=GOOD_NUMBER, *, save=False):
    card = Card(
        number=number,
        exp_month=12,
        exp_year=date.today().year + 2,
        cvc="123",
        holder_name="Jordan Lee",
    )
    return NewCardPayment(card=card, save_card=save)


@pytest.fixture
def customer():
    return CustomerFactory(first_name="Jordan", last_name="Lee")


@pytest.fixture
def item():
    return CatalogItemFactory(name="School T-shirt", price=Decimal("12.50"))


def place(customer, lines, **overrides):
    arguments = {
        "customer": customer,
        "lines": lines,
        "billing": BILLING,
        "payment": new_card(),
        "idempotency_key": KEY,
        "acting_user": customer.user,
    }
    arguments.update(overrides)
    return order_place(**arguments)


def test_a_card_order_is_paid_with_the_lines_total(customer, item):
    order = place(customer, [CheckoutLine(item, 3)])

    assert (order.status, order.total, order.amount_paid) == (
        OrderStatus.PAID,
        Decimal("37.50"),
        Decimal("37.50"),
    )


def test_the_order_lines_copy_the_item_name_and_price(customer, item):
    order = place(customer, [CheckoutLine(item, 2)])
    item.name, item.price = "Renamed", Decimal("99.00")
    item.save()

    line = order.lines.get()
    assert (line.item_name, line.unit_price, line.line_total) == (
        "School T-shirt",
        Decimal("12.50"),
        Decimal("25.00"),
    )


def test_the_order_keeps_a_copy_of_the_billing_address(customer, item):
    order = place(customer, [CheckoutLine(item, 1)])

    assert order.billing_address() == {**BILLING, "billing_line2": ""}


def test_placing_an_order_leaves_the_profile_address_alone(customer, item):
    before = customer.billing_address()

    place(customer, [CheckoutLine(item, 1)])

    customer.refresh_from_db()
    assert customer.billing_address() == before


def test_the_order_records_its_email_and_search_text(customer, item):
    order = place(customer, [CheckoutLine(item, 1)])

    assert order.email == customer.user.email
    assert order.search_text == order.build_search_text("Jordan Lee")


def test_a_card_charge_writes_a_payment_row(customer, item):
    order = place(customer, [CheckoutLine(item, 1)])

    payment = order.payments.get()
    assert (payment.kind, payment.method, payment.amount, payment.reference) == (
        Payment.Kind.CHARGE,
        PaymentMethod.CARD,
        Decimal("12.50"),
        order.payment_reference,
    )
    assert order.payment_reference.startswith("ch_sandbox_")


def test_an_order_writes_its_placed_history_row(customer, item):
    order = place(customer, [CheckoutLine(item, 1)])

    entry = history_for(order).get()
    assert (entry.action, entry.actor) == ("orders.order.placed", customer.user)


def test_the_receipt_is_emailed_once_the_order_is_committed(
    customer, item, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(customer, [CheckoutLine(item, 1)])

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [customer.user.email]
    assert order.number in mail.outbox[0].subject
    assert "School T-shirt" in mail.outbox[0].body


def test_the_receipt_has_an_html_part(
    customer, item, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(customer, [CheckoutLine(item, 1)])

    html, mimetype = mail.outbox[0].alternatives[0]
    assert mimetype == "text/html"
    assert order.number in html


def test_a_saved_card_is_charged(customer, item):
    token = get_gateway().tokenize(new_card().card)
    card = SavedCardFactory(customer=customer, gateway_token=token.token)

    order = place(customer, [CheckoutLine(item, 1)], payment=SavedCardPayment(card))

    assert order.status == OrderStatus.PAID


def test_a_new_card_is_saved_when_the_cardholder_agrees(customer, item):
    place(customer, [CheckoutLine(item, 1)], payment=new_card(save=True))

    card = customer.saved_cards.get()
    assert (card.last4, card.brand, card.approved_by_cardholder, card.is_default) == (
        "4242",
        "Visa",
        True,
        True,
    )


def test_a_card_saved_at_checkout_shows_in_the_profile_history(customer, item):
    place(customer, [CheckoutLine(item, 1)], payment=new_card(save=True))

    entry = history_for(customer).get(action="customers.card.added")
    assert entry.actor == customer.user


def test_a_new_card_is_not_saved_without_agreement(customer, item):
    place(customer, [CheckoutLine(item, 1)])

    assert not customer.saved_cards.exists()


def test_a_guest_order_never_saves_the_card(customer, item):
    place(
        customer,
        [CheckoutLine(item, 1)],
        payment=new_card(save=True),
        is_guest=True,
        acting_user=AnonymousUser(),
    )

    assert not SavedCard.objects.exists()


def test_a_disabled_customer_is_refused(customer, item):
    customer.user.is_active = False
    customer.user.save()

    with pytest.raises(CustomerDisabled):
        place(customer, [CheckoutLine(item, 1)])


def test_a_refusal_writes_no_order(customer, item):
    customer.user.is_active = False
    customer.user.save()

    with pytest.raises(CheckoutRefused):
        place(customer, [CheckoutLine(item, 1)])

    assert not Order.objects.exists()


def test_an_unavailable_item_is_refused(customer, item):
    item.is_available = False
    item.save()

    with pytest.raises(ItemUnavailable, match="School T-shirt"):
        place(customer, [CheckoutLine(item, 1)])


def test_a_group_limited_item_is_refused_to_a_non_member(customer, item):
    item.allowed_groups.add(GroupFactory(name="Band"))

    with pytest.raises(ItemNotAllowed):
        place(customer, [CheckoutLine(item, 1)])


def test_a_group_limited_item_is_refused_to_a_guest(customer, item):
    item.allowed_groups.add(GroupFactory(name="Band"))

    with pytest.raises(ItemNotAllowed):
        place(customer, [CheckoutLine(item, 1)], acting_user=AnonymousUser())


def test_a_group_member_may_buy_a_group_limited_item(customer, item):
    band = GroupFactory(name="Band")
    item.allowed_groups.add(band)
    customer.user.groups.add(band)

    order = place(customer, [CheckoutLine(item, 1)])

    assert order.status == OrderStatus.PAID


def test_a_declined_card_is_refused_with_the_gateway_message(customer, item):
    with pytest.raises(PaymentRefused, match="declined"):
        place(customer, [CheckoutLine(item, 1)], payment=new_card(DECLINED_NUMBER))


def test_a_declined_card_leaves_no_order_and_the_basket_open(customer, item):
    basket = BasketFactory(customer=customer)
    BasketLineFactory(basket=basket, item=item)

    with pytest.raises(PaymentRefused):
        place(
            customer,
            [CheckoutLine(item, 1)],
            payment=new_card(DECLINED_NUMBER),
            basket=basket,
        )

    basket.refresh_from_db()
    assert (Order.objects.count(), basket.status) == (0, Basket.Status.OPEN)


def test_a_card_number_failing_luhn_is_refused(customer, item):
    with pytest.raises(PaymentRefused, match="not valid"):
        place(customer, [CheckoutLine(item, 1)], payment=new_card("4242424242424241"))


def test_an_empty_order_is_refused(customer):
    with pytest.raises(BasketEmpty):
        place(customer, [])


@pytest.mark.parametrize("quantity", [0, -1, 1000])
def test_a_quantity_out_of_range_is_refused(customer, item, quantity):
    with pytest.raises(CheckoutRefused):
        place(customer, [CheckoutLine(item, quantity)])


def test_a_saved_card_of_another_customer_is_refused(customer, item):
    card = SavedCardFactory()

    with pytest.raises(PaymentNotAllowed):
        place(customer, [CheckoutLine(item, 1)], payment=SavedCardPayment(card))


@pytest.mark.parametrize(
    "payment", [CashPayment(), CheckPayment("1001"), PendingPayment()]
)
def test_a_shopper_may_only_pay_by_card(customer, item, payment):
    with pytest.raises(PaymentNotAllowed):
        place(customer, [CheckoutLine(item, 1)], payment=payment)


def test_staff_may_record_cash(customer, item, store_admin):
    order = place(
        customer, [CheckoutLine(item, 1)], payment=CashPayment(), placed_by=store_admin
    )

    assert (order.status, order.payment_method, order.placed_by) == (
        OrderStatus.PAID,
        PaymentMethod.CASH,
        store_admin,
    )


def test_staff_may_record_a_check_with_its_number(customer, item, store_admin):
    order = place(
        customer,
        [CheckoutLine(item, 1)],
        payment=CheckPayment(" 1001 "),
        placed_by=store_admin,
    )

    assert (order.payment_method, order.payment_reference) == (
        PaymentMethod.CHECK,
        "1001",
    )


def test_a_check_needs_its_number(customer, item, store_admin):
    with pytest.raises(PaymentNotAllowed):
        place(
            customer,
            [CheckoutLine(item, 1)],
            payment=CheckPayment(" "),
            placed_by=store_admin,
        )


def test_staff_may_leave_an_order_pending_without_a_payment_row(
    customer, item, store_admin
):
    order = place(
        customer,
        [CheckoutLine(item, 1)],
        payment=PendingPayment(),
        placed_by=store_admin,
    )

    assert (order.status, order.amount_paid, order.payments.count()) == (
        OrderStatus.PENDING,
        Decimal("0.00"),
        0,
    )


def test_a_staff_order_history_names_the_staff_user(customer, item, store_admin):
    order = place(
        customer, [CheckoutLine(item, 1)], payment=CashPayment(), placed_by=store_admin
    )

    assert history_for(order).get().actor == store_admin


def test_a_paid_membership_adds_the_customer_to_its_group(customer):
    pta = GroupFactory(name="PTA Members")
    membership = CatalogItemFactory(kind=ItemKind.GROUP_MEMBERSHIP, grants_group=pta)

    place(customer, [CheckoutLine(membership, 1)])

    assert customer.user.groups.filter(pk=pta.pk).exists()


def test_a_pending_membership_does_not_add_the_customer_yet(customer, store_admin):
    pta = GroupFactory(name="PTA Members")
    membership = CatalogItemFactory(kind=ItemKind.GROUP_MEMBERSHIP, grants_group=pta)

    place(
        customer,
        [CheckoutLine(membership, 1)],
        payment=PendingPayment(),
        placed_by=store_admin,
    )

    assert not customer.user.groups.exists()


def test_the_basket_is_marked_ordered(customer, item):
    basket = BasketFactory(customer=None)

    place(customer, [CheckoutLine(item, 1)], basket=basket)

    basket.refresh_from_db()
    assert (basket.status, basket.customer) == (Basket.Status.ORDERED, customer)


def test_the_same_key_twice_makes_one_order(customer, item):
    first = place(customer, [CheckoutLine(item, 1)])
    second = place(customer, [CheckoutLine(item, 1)])

    assert (first.pk, Order.objects.count(), Payment.objects.count()) == (
        second.pk,
        1,
        1,
    )


def test_a_key_already_inserted_by_a_concurrent_checkout_returns_that_order(
    customer, item, monkeypatch
):
    # The other request committed between this one's lookup and its insert.
    other = OrderFactory(customer=customer, idempotency_key=KEY)
    real_lookup = checkout._order_with_key
    calls = []

    def lookup_missing_the_first_time(key, customer):
        calls.append(key)
        return None if len(calls) == 1 else real_lookup(key, customer)

    monkeypatch.setattr(checkout, "_order_with_key", lookup_missing_the_first_time)

    order = place(customer, [CheckoutLine(item, 1)])

    assert (order.pk, Order.objects.count()) == (other.pk, 1)


def test_an_order_number_collision_is_retried(customer, item, monkeypatch):
    OrderFactory(number="AAAAAAAA")
    numbers = iter(["AAAAAAAA", "BBBBBBBB"])
    monkeypatch.setattr(checkout, "generate_order_number", lambda: next(numbers))

    order = place(customer, [CheckoutLine(item, 1)])

    assert order.number == "BBBBBBBB"


def test_another_customers_key_is_refused(customer, item):
    OrderFactory(idempotency_key=KEY)

    with pytest.raises(CheckoutExpired):
        place(customer, [CheckoutLine(item, 1)])


@pytest.mark.parametrize("key", ["", "short", "x" * 65, "bad key with spaces!!"])
def test_a_malformed_key_is_refused(customer, item, key):
    with pytest.raises(CheckoutExpired):
        place(customer, [CheckoutLine(item, 1)], idempotency_key=key)
