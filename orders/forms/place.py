"""The form staff fill in to place an order for a customer."""

import secrets
from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from customers.models import BillingAddress, CustomerProfile
from orders.checkout import (
    MAX_QUANTITY,
    CashPayment,
    CheckoutLine,
    CheckPayment,
    OrderPaymentChoice,
    PendingPayment,
    SavedCardPayment,
)
from orders.models import Basket, CatalogItem, Order

PAYMENT_CHOICES = [
    ("card", _("Charge a saved card")),
    ("cash", _("Cash received")),
    ("check", _("Check received")),
    ("pending", _("Leave it unpaid (pending)")),
]


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)


class SavedCardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} · {obj.expiry}" + (
            f" · {obj.holder_name}" if obj.holder_name else ""
        )


class PlaceOrderForm(forms.Form):
    """Items and quantities, the billing address and how it is paid.

    One quantity field per catalog item the customer may buy, named
    `quantity_<item pk>`; `basket` is set when the customer's open basket
    was taken over, so placing the order closes it.
    """

    payment = forms.ChoiceField(
        label=_("How it is paid"),
        choices=PAYMENT_CHOICES,
        widget=forms.RadioSelect,
        initial="pending",
    )
    card = SavedCardChoiceField(
        label=_("Saved card"),
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    check_number = forms.CharField(
        label=_("Check number"), required=False, max_length=100
    )
    basket = forms.ModelChoiceField(
        queryset=None, required=False, widget=forms.HiddenInput
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(
        self,
        *args,
        customer: CustomerProfile,
        items: Sequence[CatalogItem],
        quantities: dict[int, int] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.customer = customer
        self.items = list(items)
        quantities = quantities or {}
        for item in self.items:
            self.fields[self.quantity_name(item)] = forms.IntegerField(
                label=item.name,
                min_value=0,
                max_value=MAX_QUANTITY,
                required=False,
                initial=quantities.get(item.pk, 0),
                widget=forms.NumberInput(attrs={"class": "quantity", "min": 0}),
            )
        for name in BillingAddress.BILLING_FIELDS:
            field = Order._meta.get_field(name).formfield()
            field.initial = getattr(customer, name)
            self.fields[name] = field

        cards = customer.saved_cards.filter(approved_by_cardholder=True)
        self.fields["card"].queryset = cards
        self.fields["card"].initial = cards.filter(is_default=True).first()
        self.fields["basket"].queryset = Basket.objects.filter(
            customer=customer, status=Basket.Status.OPEN
        )
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", new_idempotency_key())

    @staticmethod
    def quantity_name(item: CatalogItem) -> str:
        return f"quantity_{item.pk}"

    def quantity_fields(self):
        return [(item, self[self.quantity_name(item)]) for item in self.items]

    def billing_fields(self):
        return [self[name] for name in BillingAddress.BILLING_FIELDS]

    def clean(self):
        cleaned = super().clean()
        if not self.lines():
            raise forms.ValidationError(_("Choose at least one item and its quantity."))
        payment = cleaned.get("payment")
        if payment == "card" and not cleaned.get("card"):
            self.add_error("card", _("Choose the card to charge."))
        if payment == "check" and not (cleaned.get("check_number") or "").strip():
            self.add_error("check_number", _("Enter the check number."))
        return cleaned

    def lines(self) -> list[CheckoutLine]:
        return [
            CheckoutLine(item=item, quantity=quantity)
            for item in self.items
            if (quantity := self.cleaned_data.get(self.quantity_name(item)) or 0) > 0
        ]

    def billing(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in BillingAddress.BILLING_FIELDS}

    def payment_choice(self) -> OrderPaymentChoice:
        payment = self.cleaned_data["payment"]
        if payment == "card":
            return SavedCardPayment(self.cleaned_data["card"])
        if payment == "cash":
            return CashPayment()
        if payment == "check":
            return CheckPayment(self.cleaned_data["check_number"].strip())
        return PendingPayment()
