"""Removing a saved card and choosing the default (adding one goes through the
gateway, in the orders app)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customers import services
from customers.models import SavedCard
from customers.permissions import backoffice_required


def back_to_cards(pk: int) -> HttpResponse:
    return redirect(reverse("customers:edit", args=[pk]) + "#saved-cards")


@backoffice_required
@require_POST
def card_remove(request: HttpRequest, pk: int, card_pk: int) -> HttpResponse:
    card = get_object_or_404(SavedCard, pk=card_pk, customer_id=pk)

    services.card_remove(card=card, actor=request.user)

    messages.success(
        request,
        _("The card %(card)s was removed.") % {"card": f"{card.brand} {card.last4}"},
    )
    return back_to_cards(pk)


@backoffice_required
@require_POST
def card_make_default(request: HttpRequest, pk: int, card_pk: int) -> HttpResponse:
    card = get_object_or_404(SavedCard, pk=card_pk, customer_id=pk)

    services.card_make_default(card=card, actor=request.user)

    messages.success(
        request,
        _("The card %(card)s is now the default.")
        % {"card": f"{card.brand} {card.last4}"},
    )
    return back_to_cards(pk)
