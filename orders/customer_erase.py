"""Erasing a customer's personal data on request, keeping the school's books.

Orders stay, with their lines and amounts, so the accounts still add up;
every name, address, e-mail, phone, card and page view of the customer goes.
This lives in `orders` because it reaches the customer's orders, baskets
and page views as well as the profile.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from activity.history import history_for, history_record
from activity.models import HistoryEntry
from activity.services import page_views_erase
from customers.models import CustomerNote, CustomerProfile, SavedCard
from customers.sessions import sessions_end
from orders.models import Basket, Order

ERASED = "[erased]"
ERASED_DOMAIN = "erased.invalid"


class ErasureRefused(Exception):
    """The customer must not be erased this way; the message says why."""


@dataclass
class ErasureReport:
    orders: int = 0
    saved_cards: int = 0
    notes: int = 0
    baskets: int = 0
    page_views: int = 0
    history_entries: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def erased_email(profile: CustomerProfile) -> str:
    # Unique per profile, and in a domain that can never receive mail.
    return f"erased-{profile.pk}@{ERASED_DOMAIN}"


def customer_erase(*, profile: CustomerProfile, actor: str) -> ErasureReport:
    """Anonymise everything personal about one customer, in one transaction."""
    if profile.user.is_staff:
        raise ErasureRefused(
            "This is a staff account; remove its staff access before erasing it."
        )

    with transaction.atomic():
        profile = (
            CustomerProfile.objects.select_for_update()
            .select_related("user")
            .get(pk=profile.pk)
        )
        report = ErasureReport()

        report.history_entries = scrub_history(profile)
        report.page_views = page_views_erase(user=profile.user, actor=actor)
        report.orders = anonymise_orders(profile)
        report.saved_cards = SavedCard.objects.filter(customer=profile).delete()[0]
        report.notes = CustomerNote.objects.filter(customer=profile).delete()[0]
        report.baskets = Basket.objects.filter(customer=profile).delete()[0]
        anonymise_account(profile)

        history_record(
            profile, "customers.profile.erased", actor=actor, changes=report.as_dict()
        )
    return report


def anonymise_account(profile: CustomerProfile) -> None:
    user = profile.user
    sessions_end(user)
    EmailAddress.objects.filter(user=user).delete()
    user.email = erased_email(profile)
    user.set_unusable_password()
    user.is_active = False
    user.must_change_password = False
    user.save()
    user.groups.clear()

    for name in ("first_name", "last_name", "phone", *profile.BILLING_FIELDS):
        setattr(profile, name, "")
    profile.version += 1
    profile.save()


def anonymise_orders(profile: CustomerProfile) -> int:
    orders = list(Order.objects.filter(customer=profile))
    email = erased_email(profile)
    for order in orders:
        order.email = email
        for name in order.BILLING_FIELDS:
            setattr(order, name, "")
        order.search_text = order.build_search_text()
    Order.objects.bulk_update(
        orders, ["email", *Order.BILLING_FIELDS, "search_text"], batch_size=500
    )
    return len(orders)


def scrub_history(profile: CustomerProfile) -> int:
    """Keep what was done, by whom and when; drop the values, which may be personal."""
    entries = list(history_for(profile))
    for entry in entries:
        entry.changes = {
            name: value if isinstance(value, int | bool) else ERASED
            for name, value in entry.changes.items()
        }
    HistoryEntry.objects.bulk_update(entries, ["changes"], batch_size=500)
    return len(entries)
