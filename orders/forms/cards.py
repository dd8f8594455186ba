from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.gateway import Card


class CardAddForm(forms.Form):
    """A card typed by staff for the profile. It goes to the gateway and is
    forgotten: the form is never drawn again with what was typed."""

    holder_name = forms.CharField(label=_("Name on card"), max_length=150)
    number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    exp_month = forms.IntegerField(label=_("Expiry month"), min_value=1, max_value=12)
    exp_year = forms.IntegerField(
        label=_("Expiry year"), min_value=2000, max_value=2100
    )
    cvc = forms.CharField(
        label=_("Security code"),
        max_length=4,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    approved_by_cardholder = forms.BooleanField(
        label=_("The cardholder approved keeping this card on file"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exp_year"].initial = date.today().year + 1

    def card(self) -> Card:
        data = self.cleaned_data
        return Card(
            number=data["number"],
            exp_month=data["exp_month"],
            exp_year=data["exp_year"],
            cvc=data["cvc"],
            holder_name=data["holder_name"],
        )
