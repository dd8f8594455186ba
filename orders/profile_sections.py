"""The orders app's contributions to the customer profile page.

Saved cards (slot 20: adding one goes through the gateway, which lives
here), current baskets (30) and the order history (50), plus the order
facts of the profile's summary and People > Users.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Prefetch, Sum
from django.http import HttpRequest

from customers.models import CustomerProfile
from customers.sections import register_profile_section
from customers.selectors import saved_cards
from customers.stats import OrderStats, register_order_stats
from orders.forms.cards import CardAddForm
from orders.models import Basket, BasketLine, Order

ORDERS_PER_PAGE = 20
BASKETS_SHOWN = 10
ORDERS_PAGE_FIELD = "orders_page"


def order_stats(profile_ids: list[int]) -> dict[int, OrderStats]:
    """Order count, lifetime spend (money kept) and last order of each profile."""
    rows = (
        Order.objects.filter(customer_id__in=profile_ids)
        .order_by()
        .values("customer_id")
        .annotate(
            order_count=Count("id"),
            spend=Sum(F("amount_paid") - F("amount_refunded")),
            last_order_at=Max("placed_at"),
        )
    )
    return {
        row["customer_id"]: OrderStats(
            order_count=row["order_count"],
            lifetime_spend=row["spend"] or Decimal("0.00"),
            last_order_at=row["last_order_at"],
        )
        for row in rows
    }


def saved_cards_context(
    request: HttpRequest, profile: CustomerProfile
) -> dict[str, Any]:
    return {"cards": saved_cards(profile), "form": CardAddForm(auto_id="id_card_%s")}


@dataclass(frozen=True)
class OpenBasket:
    basket: Basket
    lines: list[BasketLine]
    total: Decimal


def baskets_context(request: HttpRequest, profile: CustomerProfile) -> dict[str, Any]:
    lines = BasketLine.objects.select_related("item").order_by("pk")
    baskets = (
        Basket.objects.filter(customer=profile, status=Basket.Status.OPEN)
        .order_by("-updated_at", "-pk")
        .prefetch_related(Prefetch("lines", queryset=lines))[:BASKETS_SHOWN]
    )
    shown = [
        OpenBasket(
            basket=basket,
            lines=list(basket.lines.all()),
            total=sum(
                (line.item.price * line.quantity for line in basket.lines.all()),
                Decimal("0.00"),
            ),
        )
        for basket in baskets
    ]
    return {"baskets": shown}


def order_history_context(
    request: HttpRequest, profile: CustomerProfile
) -> dict[str, Any]:
    orders = (
        Order.objects.filter(customer=profile)
        .select_related("placed_by")
        .order_by("-placed_at", "-id")
    )
    page = Paginator(orders, ORDERS_PER_PAGE).get_page(
        request.GET.get(ORDERS_PAGE_FIELD)
    )
    return {"page": page, "page_field": ORDERS_PAGE_FIELD}


def register() -> None:
    register_order_stats(order_stats)
    register_profile_section(
        "saved_cards",
        template="orders/_profile_saved_cards.html",
        order=20,
        context=saved_cards_context,
    )
    register_profile_section(
        "current_baskets",
        template="orders/_profile_baskets.html",
        order=30,
        context=baskets_context,
    )
    register_profile_section(
        "order_history",
        template="orders/_profile_order_history.html",
        order=50,
        context=order_history_context,
    )
