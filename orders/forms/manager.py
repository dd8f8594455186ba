"""Forms of the Order Manager: the search, the bulk action and order edits."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from customers.models import BillingAddress
from orders.models import Order, OrderNote, OrderStatus, PaymentMethod
from orders.search import MAX_PER_PAGE, MAX_SEARCH_LENGTH, quick_search_error
from orders.services import order_allowed_statuses, order_refundable

SEARCH_ERRORS = {
    "too_short": _(
        "Type at least three characters, a whole e-mail address or an order number."
    ),
    "too_long": _("Type at most %(max)s characters."),
}


class OrderSearchForm(forms.Form):
    """The base of the filter form: checks the quick search box.

    django-filter adds one field per filter of `orders.filters.OrderFilter`.
    """

    def clean_q(self) -> str:
        text = (self.cleaned_data.get("q") or "").strip()
        error = quick_search_error(text)
        if error:
            raise forms.ValidationError(
                SEARCH_ERRORS[error], code=error, params={"max": MAX_SEARCH_LENGTH}
            )
        return text


BULK_STATUSES = [
    (OrderStatus.PAID, OrderStatus.PAID.label),
    (OrderStatus.FULFILLED, OrderStatus.FULFILLED.label),
    (OrderStatus.CANCELLED, OrderStatus.CANCELLED.label),
]


class BulkStatusForm(forms.Form):
    """Change the status of the orders ticked in the results table."""

    orders = forms.ModelMultipleChoiceField(
        queryset=Order.objects.all(),
        to_field_name="number",
        error_messages={
            "required": _("Tick the orders to change first."),
            "invalid_choice": _("One of the ticked orders no longer exists."),
        },
    )
    status = forms.ChoiceField(
        label=_("New status"),
        choices=BULK_STATUSES,
        widget=forms.Select(attrs={"class": "form-select-sm w-auto"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_orders(self):
        orders = self.cleaned_data["orders"]
        if len(orders) > MAX_PER_PAGE:
            raise forms.ValidationError(
                _("Change at most %(max)s orders at a time.") % {"max": MAX_PER_PAGE}
            )
        return orders


class OrderBillingForm(forms.ModelForm):
    """This order's copy of the billing address; `version` guards lost updates."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Order
        fields = list(BillingAddress.BILLING_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def address(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in BillingAddress.BILLING_FIELDS}


class OrderStatusForm(forms.Form):
    """Move an order along its allowed transitions."""

    status = forms.ChoiceField(label=_("New status"))
    payment_method = forms.ChoiceField(
        label=_("Paid by"),
        required=False,
        choices=[
            ("", _("—")),
            (PaymentMethod.CASH, PaymentMethod.CASH.label),
            (PaymentMethod.CHECK, PaymentMethod.CHECK.label),
        ],
        help_text=_("When marking a pending order paid: how the money came in."),
    )
    check_number = forms.CharField(
        label=_("Check number"), required=False, max_length=100
    )

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.fields["status"].choices = [
            (status, OrderStatus(status).label)
            for status in order_allowed_statuses(order)
        ]
        if order.status != OrderStatus.PENDING or order.balance_due <= 0:
            del self.fields["payment_method"]
            del self.fields["check_number"]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") != OrderStatus.PAID
            or "payment_method" not in self.fields
        ):
            return cleaned
        method = cleaned.get("payment_method")
        if not method:
            self.add_error("payment_method", _("Choose how the order was paid."))
        elif (
            method == PaymentMethod.CHECK
            and not cleaned.get("check_number", "").strip()
        ):
            self.add_error("check_number", _("Enter the check number."))
        return cleaned


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to refund"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Kept in the order's notes."),
    )

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.refundable = order_refundable(order)
        self.fields["amount"].widget.attrs["max"] = str(self.refundable)
        if not self.is_bound:
            self.initial["amount"] = self.refundable

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount > self.refundable:
            raise forms.ValidationError(
                _("At most %(refundable)s can be refunded on this order."),
                params={"refundable": self.refundable},
                code="max_value",
            )
        return amount


class OrderNoteForm(forms.ModelForm):
    class Meta:
        model = OrderNote
        fields = ["body", "visibility"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 3}),
            "visibility": forms.RadioSelect,
        }
