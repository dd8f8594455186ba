"""Forms of the storefront: adding to the basket, changing it, checking out.

Card fields never show their value again: a form re-rendered after an
error comes back with the card number and security code blank.
"""

import re
import secrets
from datetime import date

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from customers.models import BillingAddress
from orders.checkout import IDEMPOTENCY_KEY_RE, MAX_QUANTITY
from orders.gateway import Card
from orders.models import CatalogItem

CARD_YEARS_AHEAD = 20
CARD_FIELDS = ("card_number", "exp_month", "exp_year", "cvc", "holder_name")
NEW_CARD = "new"
EXPIRED = _("This checkout form has expired; please check the details and try again.")


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)


class NeverRedisplayedInput(forms.TextInput):
    """A text input that never writes a submitted value back into the page."""

    def format_value(self, value):
        return None


def quantity_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=MAX_QUANTITY,
        initial=1,
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_QUANTITY}),
        **kwargs,
    )


class BasketAddForm(forms.Form):
    item = forms.ModelChoiceField(
        queryset=CatalogItem.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("That item is not on sale.")},
    )
    quantity = quantity_field()

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if items is not None:
            self.fields["item"].queryset = items


class BasketLineForm(forms.Form):
    quantity = quantity_field()


class CheckoutForm(forms.Form):
    """Checkout for a guest (`email` asked) or a shopper (saved cards offered).

    `saved_cards` are the shopper's cards; the `card` choice picks one of
    them or a new card, whose fields are then required.
    """

    idempotency_key = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        validators=[RegexValidator(IDEMPOTENCY_KEY_RE, EXPIRED)],
        error_messages={"required": EXPIRED},
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("The receipt goes here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    billing_name = forms.CharField(
        label=_("Name on the bill"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    billing_line1 = forms.CharField(
        label=_("Address"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    billing_line2 = forms.CharField(
        label=_("Address line 2"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    billing_city = forms.CharField(
        label=_("City"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    billing_region = forms.CharField(
        label=_("State or region"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level1"}),
    )
    billing_postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    billing_country = forms.CharField(
        label=_("Country"),
        max_length=2,
        min_length=2,
        initial="US",
        help_text=_("Two-letter code, such as US."),
        validators=[RegexValidator(r"^[A-Za-z]{2}$", _("Two letters, such as US."))],
        widget=forms.TextInput(attrs={"autocomplete": "country", "size": 2}),
    )

    card = forms.ChoiceField(label=_("Pay with"), widget=forms.RadioSelect)
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        required=False,
        validators=[
            RegexValidator(r"^[\d -]*$", _("Digits only, spaces allowed.")),
        ],
        widget=NeverRedisplayedInput(
            attrs={"autocomplete": "cc-number", "inputmode": "numeric"}
        ),
    )
    exp_month = forms.IntegerField(
        label=_("Expiry month"),
        min_value=1,
        max_value=12,
        required=False,
        widget=forms.NumberInput(attrs={"autocomplete": "cc-exp-month"}),
    )
    exp_year = forms.IntegerField(
        label=_("Expiry year"),
        required=False,
        widget=forms.NumberInput(attrs={"autocomplete": "cc-exp-year"}),
    )
    cvc = forms.CharField(
        label=_("Security code"),
        max_length=4,
        required=False,
        validators=[RegexValidator(r"^\d{3,4}$", _("3 or 4 digits."))],
        widget=NeverRedisplayedInput(
            attrs={"autocomplete": "cc-csc", "inputmode": "numeric", "size": 4}
        ),
    )
    holder_name = forms.CharField(
        label=_("Name on card"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "cc-name"}),
    )
    save_card = forms.BooleanField(
        label=_("Keep this card on my account for next time"),
        required=False,
    )

    def __init__(self, *args, guest: bool, saved_cards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.guest = guest
        self.saved_cards = {str(card.pk): card for card in saved_cards}
        if not guest:
            del self.fields["email"]
        else:
            del self.fields["save_card"]

        choices = [(pk, str(card_label(card))) for pk, card in self.saved_cards.items()]
        choices.append((NEW_CARD, _("A new card")))
        self.fields["card"].choices = choices
        self.fields["card"].initial = choices[0][0]
        if not self.saved_cards:
            self.fields["card"].widget = forms.HiddenInput()
        this_year = date.today().year
        self.fields["exp_year"].widget.attrs.update(
            min=this_year, max=this_year + CARD_YEARS_AHEAD
        )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_billing_country(self) -> str:
        return self.cleaned_data["billing_country"].upper()

    def clean_exp_year(self) -> int | None:
        year = self.cleaned_data.get("exp_year")
        if year is None:
            return None
        this_year = date.today().year
        if not this_year <= year <= this_year + CARD_YEARS_AHEAD:
            raise forms.ValidationError(
                _("Enter the year as four digits, such as %(year)s."),
                params={"year": this_year + 2},
            )
        return year

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("card") != NEW_CARD:
            return cleaned
        for name in ("card_number", "exp_month", "exp_year", "cvc"):
            if cleaned.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, _("This field is required."))
        number = re.sub(r"\D", "", cleaned.get("card_number") or "")
        if cleaned.get("card_number") and not 12 <= len(number) <= 19:
            self.add_error("card_number", _("A card number has 12 to 19 digits."))
        return cleaned

    def billing_fields(self):
        return [self[name] for name in BillingAddress.BILLING_FIELDS]

    def card_fields(self):
        names = [*CARD_FIELDS, *(["save_card"] if not self.guest else [])]
        return [self[name] for name in names]

    def billing_address(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in BillingAddress.BILLING_FIELDS}

    def chosen_saved_card(self):
        return self.saved_cards.get(self.cleaned_data["card"])

    def new_card(self) -> Card:
        holder = self.cleaned_data["holder_name"] or self.cleaned_data["billing_name"]
        return Card(
            number=self.cleaned_data["card_number"],
            exp_month=self.cleaned_data["exp_month"],
            exp_year=self.cleaned_data["exp_year"],
            cvc=self.cleaned_data["cvc"],
            holder_name=holder,
        )

    def forget_card(self, *, new_key: str) -> None:
        """After a refusal: a fresh key for the retry, and no card digits kept."""
        data = self.data.copy()
        data["idempotency_key"] = new_key
        for name in ("card_number", "cvc"):
            data.pop(name, None)
        self.data = data


def card_label(card) -> str:
    return _("%(brand)s ending in %(last4)s, expires %(expiry)s") % {
        "brand": card.brand,
        "last4": card.last4,
        "expiry": card.expiry,
    }
