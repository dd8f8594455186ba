"""Helpers shared by the customers' `manage.py` commands."""

from django.core.management.base import CommandError

from customers.models import CustomerProfile, normalize_email


def profile_for_command(email: str) -> CustomerProfile:
    """The profile whose login is `email`, or the one-line error ops should see."""
    profile = (
        CustomerProfile.objects.select_related("user")
        .filter(user__email=normalize_email(email))
        .first()
    )
    if profile is None:
        raise CommandError(f"No customer has the e-mail address {email}.")
    return profile
