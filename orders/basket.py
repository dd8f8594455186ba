"""The storefront basket: selectors and services.

A guest's basket is a `Basket` row without a customer whose id the session
holds; a logged-in shopper's is the open basket on their profile, so it
follows them from device to device. At login the guest basket's lines join
the shopper's basket.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest

from customers.models import CustomerProfile
from orders.checkout import MAX_QUANTITY, CheckoutLine
from orders.models import Basket, BasketLine, CatalogItem

logger = logging.getLogger(__name__)

SESSION_KEY = "basket_id"


@dataclass(frozen=True)
class BasketSummary:
    basket: Basket | None
    lines: list[BasketLine]
    total: Decimal

    @property
    def is_empty(self) -> bool:
        return not self.lines

    def checkout_lines(self) -> list[CheckoutLine]:
        return [CheckoutLine(line.item, line.quantity) for line in self.lines]


def profile_for_user(user) -> CustomerProfile:
    """The logged-in user's profile, made on first use for accounts without one."""
    try:
        return user.profile
    except CustomerProfile.DoesNotExist:
        profile, _ = CustomerProfile.objects.get_or_create(user=user)
        return profile


def basket_get(request: HttpRequest) -> Basket | None:
    """The visitor's open basket, or None when they have none yet."""
    if request.user.is_authenticated:
        return (
            Basket.objects.filter(
                customer=profile_for_user(request.user), status=Basket.Status.OPEN
            )
            .order_by("-updated_at", "-id")
            .first()
        )

    basket_id = request.session.get(SESSION_KEY)
    if not isinstance(basket_id, int):
        return None
    return Basket.objects.filter(
        pk=basket_id, customer__isnull=True, status=Basket.Status.OPEN
    ).first()


def basket_get_or_create(request: HttpRequest) -> Basket:
    basket = basket_get(request)
    if basket is not None:
        return basket

    if request.user.is_authenticated:
        return Basket.objects.create(customer=profile_for_user(request.user))
    basket = Basket.objects.create()
    request.session[SESSION_KEY] = basket.pk
    return basket


def basket_summary(basket: Basket | None) -> BasketSummary:
    if basket is None:
        return BasketSummary(None, [], Decimal("0.00"))
    lines = list(basket.lines.select_related("item").order_by("item__name", "id"))
    for line in lines:
        line.amount = line.item.price * line.quantity
    total = sum((line.amount for line in lines), Decimal("0.00"))
    return BasketSummary(basket, lines, total)


def basket_add(*, basket: Basket, item: CatalogItem, quantity: int) -> BasketLine:
    """Add `quantity` of `item`, on top of any already in the basket."""
    with transaction.atomic():
        line, created = BasketLine.objects.select_for_update().get_or_create(
            basket=basket, item=item, defaults={"quantity": quantity}
        )
        if not created:
            line.quantity = min(line.quantity + quantity, MAX_QUANTITY)
            line.save(update_fields=["quantity"])
        basket.save(update_fields=["updated_at"])
    return line


def basket_line_update(*, basket: Basket, line_id: int, quantity: int) -> bool:
    """Set a line's quantity; False when the line is not in this basket."""
    updated = BasketLine.objects.filter(basket=basket, pk=line_id).update(
        quantity=quantity
    )
    if updated:
        basket.save(update_fields=["updated_at"])
    return bool(updated)


def basket_line_remove(*, basket: Basket, line_id: int) -> bool:
    deleted, _ = BasketLine.objects.filter(basket=basket, pk=line_id).delete()
    if deleted:
        basket.save(update_fields=["updated_at"])
    return bool(deleted)


def basket_forget(request: HttpRequest) -> None:
    """Drop the guest basket from the session, after its order was placed."""
    request.session.pop(SESSION_KEY, None)


def basket_merge(*, source: Basket, target: Basket) -> int:
    """Move the lines of `source` into `target`; returns how many lines moved.

    Quantities of the same item add up (capped); `source` is left abandoned.
    """
    with transaction.atomic():
        moved = 0
        for line in source.lines.select_related("item"):
            basket_add(basket=target, item=line.item, quantity=line.quantity)
            moved += 1
        source.lines.all().delete()
        source.status = Basket.Status.ABANDONED
        source.save(update_fields=["status", "updated_at"])
    return moved


@receiver(user_logged_in, dispatch_uid="orders.basket.merge_at_login")
def basket_merge_at_login(sender, request, user, **kwargs) -> None:
    """Bring the guest basket along when a visitor logs in."""
    if request is None or not hasattr(request, "session"):
        return
    basket_id = request.session.pop(SESSION_KEY, None)
    if not isinstance(basket_id, int):
        return
    guest_basket = Basket.objects.filter(
        pk=basket_id, customer__isnull=True, status=Basket.Status.OPEN
    ).first()
    if guest_basket is None or not guest_basket.lines.exists():
        return

    profile = profile_for_user(user)
    target = (
        Basket.objects.filter(customer=profile, status=Basket.Status.OPEN)
        .order_by("-updated_at", "-id")
        .first()
    )
    if target is None:
        guest_basket.customer = profile
        guest_basket.save(update_fields=["customer", "updated_at"])
        return
    moved = basket_merge(source=guest_basket, target=target)
    logger.info("Merged %s guest basket lines into basket %s", moved, target.pk)
