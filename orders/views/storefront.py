"""The storefront: catalog, basket, checkout and a shopper's own orders."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from activity.tracking import attach_visitor_views
from customers.guests import guest_profile_discard, guest_profile_for
from orders import basket as baskets
from orders.catalog import items_visible_to
from orders.checkout import (
    CheckoutRefused,
    NewCardPayment,
    SavedCardPayment,
    order_place,
)
from orders.forms.storefront import (
    NEW_CARD,
    BasketAddForm,
    BasketLineForm,
    CheckoutForm,
    new_idempotency_key,
)
from orders.models import Order

logger = logging.getLogger(__name__)

# Order numbers this browser placed as a guest: the confirmation page
# shows only these to a visitor who is not logged in.
PLACED_ORDERS_KEY = "orders_placed"
PLACED_ORDERS_KEPT = 10
MY_ORDERS_PER_PAGE = 20


def catalog(request):
    items = items_visible_to(request.user).order_by("kind", "name")
    return render(request, "storefront/catalog.html", {"items": items})


def item_detail(request, slug):
    item = get_object_or_404(items_visible_to(request.user), slug=slug)
    form = BasketAddForm(initial={"item": item.pk, "quantity": 1})
    return render(request, "storefront/item_detail.html", {"item": item, "form": form})


@require_POST
def basket_add(request):
    items = items_visible_to(request.user)
    form = BasketAddForm(request.POST, items=items)
    if not form.is_valid():
        item = form.cleaned_data.get("item")
        if item is None:
            messages.error(request, _("That item is not on sale."))
            return redirect("storefront:catalog")
        context = {"item": item, "form": form}
        return render(request, "storefront/item_detail.html", context, status=400)

    basket = baskets.basket_get_or_create(request)
    item = form.cleaned_data["item"]
    baskets.basket_add(basket=basket, item=item, quantity=form.cleaned_data["quantity"])
    messages.success(request, _("“%(item)s” is in your basket.") % {"item": item.name})
    return redirect("storefront:basket")


@never_cache
def basket_detail(request):
    summary = baskets.basket_summary(baskets.basket_get(request))
    rows = [
        (line, BasketLineForm(initial={"quantity": line.quantity}, prefix=line.pk))
        for line in summary.lines
    ]
    return render(request, "storefront/basket.html", {"summary": summary, "rows": rows})


@require_POST
def basket_line_update(request, line_id):
    basket = baskets.basket_get(request)
    form = BasketLineForm(request.POST, prefix=line_id)
    if basket is None or not form.is_valid():
        messages.error(
            request, _("Enter a quantity between 1 and 999, or remove the line.")
        )
        return redirect("storefront:basket")

    quantity = form.cleaned_data["quantity"]
    if not baskets.basket_line_update(
        basket=basket, line_id=line_id, quantity=quantity
    ):
        messages.error(request, _("That line is no longer in your basket."))
    return redirect("storefront:basket")


@require_POST
def basket_line_remove(request, line_id):
    basket = baskets.basket_get(request)
    if basket is not None:
        baskets.basket_line_remove(basket=basket, line_id=line_id)
    return redirect("storefront:basket")


def _checkout_form(request, data=None) -> CheckoutForm:
    if not request.user.is_authenticated:
        return CheckoutForm(
            data,
            guest=True,
            initial={"idempotency_key": new_idempotency_key()},
        )

    profile = baskets.profile_for_user(request.user)
    cards = list(profile.saved_cards.all())
    initial = {
        "idempotency_key": new_idempotency_key(),
        **{name: value for name, value in profile.billing_address().items() if value},
    }
    return CheckoutForm(data, guest=False, saved_cards=cards, initial=initial)


@never_cache
@sensitive_post_parameters("card_number", "cvc")
def checkout(request):
    summary = baskets.basket_summary(baskets.basket_get(request))
    if request.method != "POST":
        if summary.is_empty:
            messages.info(request, _("Your basket is empty."))
            return redirect("storefront:basket")
        return _checkout_page(request, _checkout_form(request), summary)

    form = _checkout_form(request, request.POST)
    if not form.is_valid():
        key = form.cleaned_data.get("idempotency_key") or new_idempotency_key()
        form.forget_card(new_key=key)
        return _checkout_page(request, form, summary, status=400)

    order = _place(request, form, summary)
    if order is None:
        form.forget_card(new_key=new_idempotency_key())
        return _checkout_page(request, form, summary, status=400)

    baskets.basket_forget(request)
    placed = request.session.get(PLACED_ORDERS_KEY, [])
    request.session[PLACED_ORDERS_KEY] = [order.number, *placed][:PLACED_ORDERS_KEPT]
    attach_visitor_views(request, order.customer.user)
    return redirect("storefront:confirmation", number=order.number)


def _place(request, form: CheckoutForm, summary) -> Order | None:
    """Place the order from a valid form; None after adding the refusal to it."""
    billing = form.billing_address()
    made_profile = False
    if form.guest:
        profile, made_profile = guest_profile_for(
            email=form.cleaned_data["email"], billing=billing
        )
    else:
        profile = baskets.profile_for_user(request.user)

    if form.cleaned_data["card"] == NEW_CARD:
        save = not form.guest and form.cleaned_data.get("save_card", False)
        payment = NewCardPayment(card=form.new_card(), save_card=save)
    else:
        payment = SavedCardPayment(card=form.chosen_saved_card())

    try:
        return order_place(
            customer=profile,
            lines=summary.checkout_lines(),
            billing=billing,
            payment=payment,
            idempotency_key=form.cleaned_data["idempotency_key"],
            acting_user=request.user,
            is_guest=form.guest,
            basket=summary.basket,
        )
    except CheckoutRefused as refusal:
        if made_profile:
            guest_profile_discard(profile)
        form.add_error(None, refusal.message)
        return None


def _checkout_page(request, form, summary, status=200):
    context = {"form": form, "summary": summary}
    return render(request, "storefront/checkout.html", context, status=status)


@never_cache
def confirmation(request, number):
    order = get_object_or_404(Order.objects.prefetch_related("lines"), number=number)
    own = (
        request.user.is_authenticated and order.customer.user_id == request.user.pk
    ) or number in request.session.get(PLACED_ORDERS_KEY, [])
    if not own:
        raise Http404
    return render(request, "storefront/confirmation.html", {"order": order})


@login_required
def my_orders(request):
    profile = baskets.profile_for_user(request.user)
    orders = Order.objects.filter(customer=profile).order_by("-placed_at", "-id")
    page = Paginator(orders, MY_ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "storefront/my_orders.html", {"page": page})


@login_required
def my_order(request, number):
    order = get_object_or_404(
        Order.objects.prefetch_related("lines"),
        number=number,
        customer__user=request.user,
    )
    return render(request, "storefront/my_order.html", {"order": order})
