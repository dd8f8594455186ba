"""Placing an order: the one service the storefront checkout and staff both call.

`order_place` turns lines, a billing address and a payment into an order on
a customer profile. Everything it refuses raises a `CheckoutRefused`
subclass whose `message` is safe to show on the page.

The card is charged before the order is written, outside the transaction:
a declined card therefore leaves no order and the basket untouched. The
charge carries the checkout's idempotency key, so a retry after a crash
between the charge and the commit is charged once by the gateway and then
writes the order.
"""

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from activity.history import history_record
from customers.models import BillingAddress, CustomerProfile, SavedCard, User
from customers.services import card_add
from orders import emails
from orders.catalog import items_visible_to
from orders.gateway import Card, CardToken, PaymentError, get_gateway
from orders.models import (
    Basket,
    CatalogItem,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentMethod,
    generate_order_number,
)

logger = logging.getLogger(__name__)

# A line's quantity; more than this is a typo, not a school order.
MAX_QUANTITY = 999
# Order.total has 12 digits, 2 of them after the point.
MAX_TOTAL = Decimal("9999999999.99")
# What a checkout form's hidden key may look like (Order.idempotency_key is
# 64 characters).
IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
ORDER_NUMBER_ATTEMPTS = 5


class CheckoutRefused(Exception):
    """The order was not placed; `message` says why, in words fit for the page."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CustomerDisabled(CheckoutRefused):
    pass


class BasketEmpty(CheckoutRefused):
    pass


class ItemUnavailable(CheckoutRefused):
    pass


class ItemNotAllowed(CheckoutRefused):
    pass


class PaymentRefused(CheckoutRefused):
    """The gateway declined the card or refused it as invalid."""


class PaymentNotAllowed(CheckoutRefused):
    """A payment kind the caller may not use, or a card of another customer."""


class CheckoutExpired(CheckoutRefused):
    """The idempotency key is malformed or belongs to another customer's order."""


@dataclass(frozen=True)
class CheckoutLine:
    item: CatalogItem
    quantity: int


@dataclass(frozen=True)
class SavedCardPayment:
    """Charge a card kept on the customer's profile."""

    card: SavedCard


@dataclass(frozen=True)
class NewCardPayment:
    """Tokenize and charge a card typed in now.

    `save_card` keeps the token on the profile; set it only when the
    cardholder agreed. It is ignored for guest orders, whose e-mail anyone
    can type.
    """

    card: Card
    save_card: bool = False


@dataclass(frozen=True)
class CashPayment:
    """Staff only: the cash was received."""


@dataclass(frozen=True)
class CheckPayment:
    """Staff only: a check was received; `number` is written on the order."""

    number: str


@dataclass(frozen=True)
class PendingPayment:
    """Staff only: place the order unpaid."""


OrderPaymentChoice = (
    SavedCardPayment | NewCardPayment | CashPayment | CheckPayment | PendingPayment
)


@dataclass(frozen=True)
class _Priced:
    item: CatalogItem
    quantity: int
    line_total: Decimal


def idempotency_key_valid(key: str) -> bool:
    return bool(IDEMPOTENCY_KEY_RE.match(key or ""))


def order_place(
    *,
    customer: CustomerProfile,
    lines: Sequence[CheckoutLine],
    billing: Mapping[str, str],
    payment: OrderPaymentChoice,
    idempotency_key: str,
    acting_user: User | AnonymousUser,
    placed_by: User | None = None,
    is_guest: bool = False,
    basket: Basket | None = None,
) -> Order:
    """Place an order for `customer` and return it.

    - `customer`: the profile the order belongs to (for a guest, the one
      `customers.guests.guest_profile_for` found or made).
    - `lines`: `CheckoutLine(item, quantity)`s; prices and names are read
      afresh from the catalog and copied onto the order lines.
    - `billing`: the billing address as `BillingAddress` field names
      (`billing_name`, `billing_line1`, ...); copied onto the order, the
      profile is not changed.
    - `payment`: `SavedCardPayment(card)`, `NewCardPayment(card, save_card=)`,
      or, with `placed_by` only, `CashPayment()`, `CheckPayment(number)`,
      `PendingPayment()`.
    - `idempotency_key`: one per checkout form (16-64 of [A-Za-z0-9_-]); a
      second call with the same key returns the first order unchanged.
    - `acting_user`: whose group memberships decide which group-limited
      items may be bought: the request's user at the storefront (anonymous
      for a guest), the customer's user when staff place the order.
    - `placed_by`: the staff user placing the order, None for the customer.
    - `is_guest`: placed through the guest checkout.
    - `basket`: marked ordered (and given to `customer`) with the order.

    Raises a `CheckoutRefused` subclass when the customer's account is
    disabled, the lines are empty or bad, an item is unavailable or limited
    to groups `acting_user` is not in, the payment kind is not allowed, or
    the gateway refuses the card. Nothing is written then.
    """
    if not idempotency_key_valid(idempotency_key):
        raise CheckoutExpired(_("This checkout form has expired; please try again."))
    existing = _order_with_key(idempotency_key, customer)
    if existing is not None:
        return existing

    _check_customer(customer)
    priced = _price_lines(lines, acting_user)
    total = sum((line.line_total for line in priced), Decimal("0.00"))
    if total > MAX_TOTAL:
        raise CheckoutRefused(_("This order is too large to place in one go."))
    _check_payment_allowed(payment, customer, placed_by)

    # Charged before the transaction: a refusal leaves nothing to undo.
    token = _tokenize(payment)
    charge_reference = _charge(payment, token, total, idempotency_key)

    with transaction.atomic():
        order, created = _order_create(
            customer=customer,
            priced=priced,
            total=total,
            billing=billing,
            payment=payment,
            charge_reference=charge_reference,
            idempotency_key=idempotency_key,
            placed_by=placed_by,
            is_guest=is_guest,
        )
        if not created:
            return order

        _record_payment(order, placed_by)
        if token is not None and payment.save_card and not is_guest:
            _save_card(customer, token, actor=placed_by or acting_user)
        if order.status == OrderStatus.PAID:
            _grant_groups(customer, priced)
        if basket is not None:
            _basket_mark_ordered(basket, customer)
        history_record(
            order,
            "orders.order.placed",
            actor=placed_by or customer.user,
            changes={
                "status": [None, order.status],
                "total": [None, str(order.total)],
                "payment_method": [None, order.payment_method],
            },
        )
        transaction.on_commit(lambda: emails.order_receipt_send(order=order))

    logger.info("Order %s placed for customer %s", order.number, customer.pk)
    return order


def _order_with_key(key: str, customer: CustomerProfile) -> Order | None:
    order = Order.objects.filter(idempotency_key=key).first()
    if order is not None and order.customer_id != customer.pk:
        # Keys are random per form; another customer's key means a tampered
        # or mixed-up form, and that order is none of this visitor's business.
        raise CheckoutExpired(_("This checkout form has expired; please try again."))
    return order


def _check_customer(customer: CustomerProfile) -> None:
    if not customer.user.is_active:
        raise CustomerDisabled(
            _(
                "The account for this e-mail address is disabled, so it cannot "
                "place orders. Please contact the school office."
            )
        )


def _price_lines(
    lines: Sequence[CheckoutLine], acting_user: User | AnonymousUser
) -> list[_Priced]:
    if not lines:
        raise BasketEmpty(_("Your basket is empty."))
    for line in lines:
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise CheckoutRefused(
                _("A quantity must be between 1 and %(max)s.") % {"max": MAX_QUANTITY}
            )

    ids = {line.item.pk for line in lines}
    fresh = CatalogItem.objects.in_bulk(ids)
    allowed = set(
        items_visible_to(acting_user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    priced = []
    for line in lines:
        item = fresh.get(line.item.pk)
        if item is None or not item.is_available:
            raise ItemUnavailable(
                _("“%(item)s” is no longer available; please remove it.")
                % {"item": line.item.name}
            )
        if item.pk not in allowed:
            raise ItemNotAllowed(
                _("“%(item)s” is only sold to members of certain groups.")
                % {"item": item.name}
            )
        priced.append(_Priced(item, line.quantity, item.price * line.quantity))
    return priced


def _check_payment_allowed(
    payment: OrderPaymentChoice, customer: CustomerProfile, placed_by: User | None
) -> None:
    if isinstance(payment, SavedCardPayment):
        if payment.card.customer_id != customer.pk:
            raise PaymentNotAllowed(_("That card is not on this customer's profile."))
    elif isinstance(payment, CashPayment | CheckPayment | PendingPayment):
        if placed_by is None:
            raise PaymentNotAllowed(_("Please pay by card."))
        if isinstance(payment, CheckPayment) and not payment.number.strip():
            raise PaymentNotAllowed(_("Enter the check number."))


def _tokenize(payment: OrderPaymentChoice) -> CardToken | None:
    if not isinstance(payment, NewCardPayment):
        return None
    try:
        return get_gateway().tokenize(payment.card)
    except PaymentError as error:
        raise PaymentRefused(str(error)) from None


def _charge(
    payment: OrderPaymentChoice,
    token: CardToken | None,
    total: Decimal,
    idempotency_key: str,
) -> str:
    """Charge the card, if the payment is one; return the charge reference."""
    if isinstance(payment, SavedCardPayment):
        token_value = payment.card.gateway_token
    elif token is not None:
        token_value = token.token
    else:
        return ""
    if total == 0:
        return ""

    try:
        charge = get_gateway().charge(
            token_value,
            total,
            currency=settings.STORE_CURRENCY,
            idempotency_key=idempotency_key,
        )
    except PaymentError as error:
        raise PaymentRefused(str(error)) from None
    return charge.reference


def _payment_fields(
    payment: OrderPaymentChoice, total: Decimal, charge_reference: str
) -> dict:
    if isinstance(payment, SavedCardPayment | NewCardPayment):
        return {
            "payment_method": PaymentMethod.CARD,
            "payment_reference": charge_reference,
            "status": OrderStatus.PAID,
            "amount_paid": total,
        }
    if isinstance(payment, CashPayment):
        return {
            "payment_method": PaymentMethod.CASH,
            "payment_reference": "",
            "status": OrderStatus.PAID,
            "amount_paid": total,
        }
    if isinstance(payment, CheckPayment):
        return {
            "payment_method": PaymentMethod.CHECK,
            "payment_reference": payment.number.strip()[:100],
            "status": OrderStatus.PAID,
            "amount_paid": total,
        }
    return {
        "payment_method": PaymentMethod.NONE,
        "payment_reference": "",
        "status": OrderStatus.PENDING,
        "amount_paid": Decimal("0.00"),
    }


def _order_create(
    *,
    customer: CustomerProfile,
    priced: list[_Priced],
    total: Decimal,
    billing: Mapping[str, str],
    payment: OrderPaymentChoice,
    charge_reference: str,
    idempotency_key: str,
    placed_by: User | None,
    is_guest: bool,
) -> tuple[Order, bool]:
    """Insert the order and its lines; on a key clash return the other order.

    The unique idempotency key, not the earlier lookup, is what stops two
    concurrent identical POSTs: the second insert fails and finds the first.
    """
    address = {
        name: (billing.get(name) or "") for name in BillingAddress.BILLING_FIELDS
    }
    for attempt in range(ORDER_NUMBER_ATTEMPTS):
        order = Order(
            number=generate_order_number(),
            customer=customer,
            email=customer.user.email,
            currency=settings.STORE_CURRENCY,
            total=total,
            placed_by=placed_by,
            is_guest=is_guest,
            idempotency_key=idempotency_key,
            **_payment_fields(payment, total, charge_reference),
            **address,
        )
        order.search_text = order.build_search_text(customer.full_name)
        try:
            with transaction.atomic():
                order.save(force_insert=True)
        except IntegrityError:
            other = _order_with_key(idempotency_key, customer)
            if other is not None:
                return other, False
            logger.warning("Order number collision (attempt %s)", attempt + 1)
            continue
        break
    else:
        raise CheckoutRefused(_("The order could not be saved; please try again."))

    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            item=line.item,
            item_name=line.item.name,
            item_kind=line.item.kind,
            unit_price=line.item.price,
            quantity=line.quantity,
            line_total=line.line_total,
        )
        for line in priced
    )
    return order, True


def _record_payment(order: Order, placed_by: User | None) -> None:
    if order.amount_paid <= 0:
        return
    Payment.objects.create(
        order=order,
        kind=Payment.Kind.CHARGE,
        method=order.payment_method,
        amount=order.amount_paid,
        reference=order.payment_reference,
        recorded_by=placed_by,
    )


def _save_card(customer: CustomerProfile, token: CardToken, *, actor) -> SavedCard:
    # Through the profile's own service, so the card shows in its history.
    return card_add(
        profile=customer,
        actor=actor,
        token=token.token,
        brand=token.brand,
        last4=token.last4,
        exp_month=token.exp_month,
        exp_year=token.exp_year,
        holder_name=token.holder_name[:150],
        approved_by_cardholder=True,
    )


def _grant_groups(customer: CustomerProfile, priced: list[_Priced]) -> None:
    groups = {line.item.grants_group for line in priced if line.item.grants_group_id}
    if groups:
        customer.user.groups.add(*groups)


def _basket_mark_ordered(basket: Basket, customer: CustomerProfile) -> None:
    basket.status = Basket.Status.ORDERED
    basket.customer = customer
    basket.save(update_fields=["status", "customer", "updated_at"])
