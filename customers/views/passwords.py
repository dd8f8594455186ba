"""The "Reset password" block of the profile edit page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from customers.forms import TemporaryPasswordForm
from customers.models import CustomerProfile
from customers.permissions import backoffice_required
from customers.services import (
    CustomerError,
    customer_send_password_reset,
    customer_set_temporary_password,
)


def back_to_reset_block(profile: CustomerProfile) -> HttpResponse:
    return redirect(reverse("customers:edit", args=[profile.pk]) + "#reset-password")


@backoffice_required
@require_POST
def password_reset_send(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(CustomerProfile.objects.select_related("user"), pk=pk)

    try:
        customer_send_password_reset(
            profile=profile, actor=request.user, request=request
        )
    except CustomerError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("A password reset e-mail was sent to %(email)s.")
            % {"email": profile.user.email},
        )
    return back_to_reset_block(profile)


@sensitive_post_parameters("password")
@backoffice_required
@require_POST
def temporary_password_set(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(CustomerProfile.objects.select_related("user"), pk=pk)
    form = TemporaryPasswordForm(request.POST)

    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return back_to_reset_block(profile)
    try:
        customer_set_temporary_password(
            profile=profile, actor=request.user, password=form.cleaned_data["password"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except CustomerError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "The temporary password is set. The customer must choose a new "
                "password at their next login."
            ),
        )
    return back_to_reset_block(profile)
