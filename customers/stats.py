"""Facts about customers' orders, supplied by the app that keeps the orders.

`customers` shows order counts on People > Users and the lifetime spend on
the profile's summary, but orders stand above it: the orders app registers
a provider when it loads, so `customers` never imports it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class OrderStats:
    order_count: int = 0
    lifetime_spend: Decimal = Decimal("0.00")
    last_order_at: datetime | None = None


NO_ORDERS = OrderStats()

# Takes profile ids, answers {profile id: OrderStats} in one query; ids
# without orders may be left out.
OrderStatsProvider = Callable[[list[int]], dict[int, OrderStats]]

_provider: OrderStatsProvider | None = None


def register_order_stats(provider: OrderStatsProvider) -> None:
    global _provider
    _provider = provider


def order_stats_for(profile_ids: Iterable[int]) -> dict[int, OrderStats]:
    """The order facts of each profile; every id is in the answer."""
    ids = list(profile_ids)
    found = _provider(ids) if _provider is not None and ids else {}
    return {profile_id: found.get(profile_id, NO_ORDERS) for profile_id in ids}
