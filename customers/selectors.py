"""Reads of the customers app that more than one view needs."""

from collections.abc import Sequence
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from activity.history import history_for
from activity.models import HistoryEntry
from customers.models import (
    CustomerNote,
    CustomerProfile,
    SavedCard,
    User,
    normalize_email,
)
from customers.stats import OrderStats, order_stats_for

HISTORY_SHOWN = 50
NOTES_SHOWN = 50


def email_in_use(email: str, *, exclude_user: User | None = None) -> bool:
    """Whether another account logs in with `email`, in any letter case."""
    email = normalize_email(email)
    users = User.objects.filter(email=email)
    addresses = EmailAddress.objects.filter(email__iexact=email)
    if exclude_user is not None:
        users = users.exclude(pk=exclude_user.pk)
        addresses = addresses.exclude(user_id=exclude_user.pk)
    return users.exists() or addresses.exists()


def profile_by_email(email: str) -> CustomerProfile | None:
    return (
        CustomerProfile.objects.filter(user__email=normalize_email(email))
        .only("pk")
        .first()
    )


def profiles_for_people() -> QuerySet[CustomerProfile]:
    """People > Users' rows, newest first; each page's users and groups follow.

    The users are fetched per page rather than joined, so that a search or
    the default order reads the profile table alone (its trigram and primary
    key indexes) and stops after one page.
    """
    return CustomerProfile.objects.order_by("-pk").prefetch_related(
        "user", Prefetch("user__groups", queryset=Group.objects.order_by("name"))
    )


def attach_order_counts(profiles: Sequence[CustomerProfile]) -> None:
    """Give each profile of one page its `order_stats`, in one query."""
    stats = order_stats_for(profile.pk for profile in profiles)
    for profile in profiles:
        profile.order_stats = stats[profile.pk]


def profile_for_edit(pk: int) -> QuerySet[CustomerProfile]:
    verified = EmailAddress.objects.filter(
        user_id=OuterRef("user_id"),
        email__iexact=OuterRef("user__email"),
        verified=True,
    )
    return (
        CustomerProfile.objects.select_related("user")
        .annotate(email_verified=Exists(verified))
        .filter(pk=pk)
    )


@dataclass(frozen=True)
class ProfileSummary:
    profile: CustomerProfile
    stats: OrderStats
    email_verified: bool


def profile_summary(profile: CustomerProfile) -> ProfileSummary:
    """The head of the profile page; `profile` comes from `profile_for_edit`."""
    stats = order_stats_for([profile.pk])[profile.pk]
    return ProfileSummary(
        profile=profile,
        stats=stats,
        email_verified=getattr(profile, "email_verified", False),
    )


def profile_history(profile: CustomerProfile) -> list[HistoryEntry]:
    return list(history_for(profile).order_by("-created_at", "-id")[:HISTORY_SHOWN])


def saves_since(profile: CustomerProfile, version: int) -> list[HistoryEntry]:
    """History rows of the saves made to `profile` after `version`, newest first."""
    entries = history_for(profile).order_by("-created_at", "-id")[:HISTORY_SHOWN]
    return [
        entry
        for entry in entries
        if isinstance(entry.changes.get("version"), list)
        and entry.changes["version"][0] >= version
    ]


def customer_notes(profile: CustomerProfile) -> list[CustomerNote]:
    return list(
        profile.notes.select_related("author").order_by("-created_at", "-id")[
            :NOTES_SHOWN
        ]
    )


def saved_cards(profile: CustomerProfile) -> list[SavedCard]:
    return list(profile.saved_cards.order_by("-is_default", "-created_at", "-pk"))


def groups_with_member_counts() -> QuerySet[Group]:
    return (
        Group.objects.select_related("details")
        .annotate(member_count=Count("user"))
        .order_by("name")
    )
