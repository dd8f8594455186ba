"""Merging a duplicate customer profile into the one the school keeps.

This lives in `orders` because a merge moves orders and baskets as well as
the customer's own records, and `orders` is the app that may see them all.
"""

from dataclasses import dataclass

from django.db import transaction

from activity.history import history_record
from activity.models import PageView
from customers.models import CustomerNote, CustomerProfile, SavedCard
from orders.models import Basket, Order


class MergeRefused(Exception):
    """The two profiles must not be merged; the message says why."""


@dataclass
class MergeReport:
    orders: int = 0
    baskets: int = 0
    saved_cards: int = 0
    notes: int = 0
    page_views: int = 0
    groups: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def customers_merge(
    *, duplicate: CustomerProfile, kept: CustomerProfile, actor
) -> MergeReport:
    """Move everything the duplicate profile owns onto the kept one, atomically.

    The duplicate profile and its login stay, empty, so that both histories
    keep their record of the merge.
    """
    if duplicate.pk == kept.pk:
        raise MergeRefused("A profile cannot be merged into itself.")
    if duplicate.user.is_staff and not kept.user.is_staff:
        raise MergeRefused("A staff account cannot be merged into a shopper's.")

    with transaction.atomic():
        # Lock both profiles in id order so two merges cannot deadlock.
        locked = CustomerProfile.objects.select_for_update().filter(
            pk__in=[duplicate.pk, kept.pk]
        )
        list(locked.order_by("pk"))
        report = MergeReport()

        report.orders = move_orders(duplicate, kept)
        report.baskets = Basket.objects.filter(customer=duplicate).update(customer=kept)
        report.saved_cards = move_saved_cards(duplicate, kept)
        report.notes = CustomerNote.objects.filter(customer=duplicate).update(
            customer=kept
        )
        report.page_views = move_page_views(duplicate, kept)
        report.groups = move_groups(duplicate, kept)

        counts = report.as_dict()
        history_record(
            duplicate,
            "customers.profile.merged_into",
            actor=actor,
            changes={"merged_into": [None, kept.user.email], **counts},
        )
        history_record(
            kept,
            "customers.profile.merged_from",
            actor=actor,
            changes={"merged_from": [None, duplicate.user.email], **counts},
        )
    return report


def move_orders(duplicate: CustomerProfile, kept: CustomerProfile) -> int:
    orders = list(
        Order.objects.filter(customer=duplicate).only(
            "pk", "number", "email", "billing_name"
        )
    )
    for order in orders:
        order.customer = kept
        order.search_text = order.build_search_text(kept.full_name)
    Order.objects.bulk_update(orders, ["customer", "search_text"], batch_size=500)
    return len(orders)


def move_saved_cards(duplicate: CustomerProfile, kept: CustomerProfile) -> int:
    # The kept profile's default card stays the default.
    if kept.saved_cards.filter(is_default=True).exists():
        duplicate.saved_cards.filter(is_default=True).update(is_default=False)
    return SavedCard.objects.filter(customer=duplicate).update(customer=kept)


def move_groups(duplicate: CustomerProfile, kept: CustomerProfile) -> int:
    missing = list(duplicate.user.groups.exclude(pk__in=kept.user.groups.values("pk")))
    kept.user.groups.add(*missing)
    return len(missing)


def move_page_views(duplicate: CustomerProfile, kept: CustomerProfile) -> int:
    return PageView.objects.filter(user=duplicate.user).update(user=kept.user)
