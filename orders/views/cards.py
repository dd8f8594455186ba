"""Adding a saved card to a customer profile, from the profile edit page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from customers import services
from customers.models import CustomerProfile
from customers.permissions import backoffice_required
from customers.services import CustomerError
from orders.forms.cards import CardAddForm
from orders.gateway import PaymentError, get_gateway


@sensitive_post_parameters("number", "cvc")
@sensitive_variables("form")
@backoffice_required
@require_POST
def card_add(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(CustomerProfile, pk=pk)
    form = CardAddForm(request.POST)

    if not form.is_valid():
        # The form is never drawn again: what was typed is not shown back.
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else None
            text = " ".join(errors)
            messages.error(request, f"{label}: {text}" if label else text)
    else:
        try:
            token = get_gateway().tokenize(form.card())
            card = services.card_add(
                profile=profile,
                actor=request.user,
                token=token.token,
                brand=token.brand,
                last4=token.last4,
                exp_month=token.exp_month,
                exp_year=token.exp_year,
                holder_name=token.holder_name,
                approved_by_cardholder=form.cleaned_data["approved_by_cardholder"],
            )
        except PaymentError as error:
            messages.error(request, str(error))
        except CustomerError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The card %(card)s was added.") % {"card": card}
            )
    return redirect(reverse("customers:edit", args=[pk]) + "#saved-cards")
