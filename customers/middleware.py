"""Sends a customer with a temporary password to choose their own first."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from customers.services import customer_clear_must_change_password


class PasswordChangeRequiredMiddleware:
    """Until a user with `must_change_password` chooses a new password, every
    page but allauth's password change page (and logging out) redirects there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = (
                reverse("account_change_password"),
                reverse("account_logout"),
                settings.STATIC_URL
                if settings.STATIC_URL.startswith("/")
                else "/" + settings.STATIC_URL,
            )
            if not request.path.startswith(allowed):
                messages.warning(
                    request,
                    _("Your password was reset by the store. Please choose a new one."),
                )
                return redirect("account_change_password")
        return self.get_response(request)


def clear_on_password_change(sender, request=None, user=None, **kwargs) -> None:
    """Receiver of allauth's password_changed and password_reset signals."""
    if user is not None:
        customer_clear_must_change_password(user=user)
