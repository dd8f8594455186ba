"""The customer profile behind a guest checkout.

Every order needs a profile, so a guest checkout finds the one for the
typed e-mail address or makes a guest profile (a user with no usable
password). An existing profile is never changed by someone who merely
types its address.
"""

import logging
from collections.abc import Mapping

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction

from customers.models import BillingAddress, CustomerProfile, User, normalize_email

logger = logging.getLogger(__name__)


def guest_profile_for(
    *, email: str, billing: Mapping[str, str]
) -> tuple[CustomerProfile, bool]:
    """The profile for `email` (any case) and whether it was made just now.

    A new guest profile takes its name and billing address from `billing`,
    the address of its first order.
    """
    address = normalize_email(email)
    user = _user_with_email(address)
    if user is not None:
        profile, created = CustomerProfile.objects.get_or_create(
            user=user, defaults=_profile_fields(billing)
        )
        return profile, created

    try:
        with transaction.atomic():
            user = User.objects.create_user(address, None)
            profile = CustomerProfile.objects.create(
                user=user, is_guest=True, **_profile_fields(billing)
            )
    except IntegrityError:
        # Another checkout with the same address made it a moment ago.
        user = _user_with_email(address)
        if user is None:
            raise
        profile, _ = CustomerProfile.objects.get_or_create(
            user=user, defaults=_profile_fields(billing)
        )
        return profile, False
    logger.info("Made guest profile %s", profile.pk)
    return profile, True


def guest_profile_discard(profile: CustomerProfile) -> bool:
    """Delete a guest profile made for a checkout that was then refused.

    Only a guest profile with no orders goes, so nothing of value is lost.
    """
    if not profile.is_guest or profile.user.has_usable_password():
        return False
    if profile.orders.exists():
        return False
    profile.user.delete()
    return True


def _user_with_email(address: str) -> User | None:
    user = User.objects.filter(email=address).select_related("profile").first()
    if user is not None:
        return user
    # An account may have verified a second address besides its login.
    verified = (
        EmailAddress.objects.filter(email__iexact=address, verified=True)
        .select_related("user")
        .first()
    )
    return verified.user if verified is not None else None


def _profile_fields(billing: Mapping[str, str]) -> dict[str, str]:
    fields = {name: (billing.get(name) or "") for name in BillingAddress.BILLING_FIELDS}
    first, _, last = fields["billing_name"].strip().rpartition(" ")
    if not first:
        first, last = last, ""
    fields["first_name"] = first[:150]
    fields["last_name"] = last[:150]
    return fields
