"""The store's rules in django-allauth's account flows.

- every account has a customer profile, made at signup;
- signing up with the address of a guest profile turns that guest login
  into the account (`customers.claims` finishes the claim once the address
  is verified);
- a disabled account hears so only after giving the right password
  (allauth's account_inactive page, see templates/account/).
"""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm
from allauth.account.models import EmailAddress
from django.db import transaction

from customers.claims import SIGNUP_CLAIM_SESSION_KEY, claimable_guest
from customers.models import CustomerProfile

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    """Hooks the store's rules into django-allauth's account flows."""

    def save_user(self, request, user, form, commit=True):
        guest = claimable_guest(form.cleaned_data.get("email") or "")
        if guest is not None and commit:
            return self._guest_signup(request, guest, form)

        user = super().save_user(request, user, form, commit=commit)
        if commit:
            CustomerProfile.objects.get_or_create(user=user)
        return user

    def _guest_signup(self, request, guest, form):
        """Give the guest login the signup's password; it stays a guest until
        the address is verified, and cannot log in before then."""
        with transaction.atomic():
            # An earlier, never verified signup for the address loses its
            # pending confirmation links.
            EmailAddress.objects.filter(user=guest, verified=False).delete()
            guest.set_password(form.cleaned_data["password1"])
            guest.save(update_fields=["password"])
        if request is not None and hasattr(request, "session"):
            request.session[SIGNUP_CLAIM_SESSION_KEY] = guest.pk
        logger.info("Signup for guest profile of user %s", guest.pk)
        return guest


class ShopperSignupForm(SignupForm):
    """allauth's signup, letting through the address of an unclaimed guest."""

    def validate_unique_email(self, value):
        if claimable_guest(value) is not None:
            self.account_already_exists = False
            return value
        return super().validate_unique_email(value)
