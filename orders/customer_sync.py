"""Keeps the orders' copies of customer facts in step with the profile."""

from customers.models import CustomerProfile
from orders.models import Order

BATCH_SIZE = 500


def refresh_order_search_text(sender, profile: CustomerProfile, **kwargs) -> None:
    """Receiver of customers' customer_renamed: the Order Manager's search
    finds orders by the customer's current name."""
    orders = list(
        Order.objects.filter(customer=profile).only(
            "id", "number", "email", "billing_name", "search_text"
        )
    )
    for order in orders:
        order.search_text = order.build_search_text(profile.full_name)
    Order.objects.bulk_update(orders, ["search_text"], batch_size=BATCH_SIZE)
