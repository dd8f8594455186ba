"""Placing an order for a customer from their profile page."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from customers.models import CustomerProfile
from customers.permissions import backoffice_required
from orders.catalog import items_visible_to
from orders.checkout import CheckoutRefused, order_place
from orders.forms.place import PlaceOrderForm
from orders.models import Basket


def place_order_section(
    request: HttpRequest, profile: CustomerProfile
) -> dict[str, Any]:
    """The "Place an order" section of the profile page; it costs no query."""
    return {
        "profile": profile,
        "place_url": reverse("orders:place", args=[profile.pk]),
        "account_disabled": not profile.user.is_active,
    }


def _open_basket(profile: CustomerProfile) -> Basket | None:
    return (
        Basket.objects.filter(customer=profile, status=Basket.Status.OPEN)
        .prefetch_related("lines")
        .order_by("-updated_at", "-pk")
        .first()
    )


@backoffice_required
def place(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(CustomerProfile.objects.select_related("user"), pk=pk)
    items = items_visible_to(profile.user).order_by("kind", "name")
    basket = _open_basket(profile)

    if request.method == "POST":
        form = PlaceOrderForm(request.POST, customer=profile, items=items)
        if form.is_valid():
            try:
                order = order_place(
                    customer=profile,
                    lines=form.lines(),
                    billing=form.billing(),
                    payment=form.payment_choice(),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    acting_user=profile.user,
                    placed_by=request.user,
                    basket=form.cleaned_data["basket"],
                )
            except CheckoutRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(
                    request,
                    _("Order %(number)s was placed for %(customer)s.")
                    % {"number": order.number, "customer": profile},
                )
                return redirect("orders:summary", number=order.number)
    else:
        take_over = basket is not None and request.GET.get("basket") == "take"
        quantities = (
            {line.item_id: line.quantity for line in basket.lines.all()}
            if take_over
            else {}
        )
        form = PlaceOrderForm(
            customer=profile,
            items=items,
            quantities=quantities,
            initial={"basket": basket.pk if take_over else None},
        )

    context = {
        "profile": profile,
        "form": form,
        "basket": basket,
        "taken_over": bool(form["basket"].value()),
    }
    return render(request, "orders/place.html", context)
