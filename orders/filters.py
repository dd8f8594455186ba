"""The Order Manager's search: the quick box plus the advanced filters."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django import forms
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import DateRangeWidget, RangeWidget

from customers.models import CustomerProfile
from orders.forms.manager import OrderSearchForm
from orders.models import Order, OrderStatus, PaymentMethod
from orders.search import orders_matching

GUEST_CHOICES = [("guest", _("Guest")), ("registered", _("Registered"))]
PLACED_BY_CHOICES = [("staff", _("Staff")), ("customer", _("Customer"))]
# Query parameters that page or sort the results rather than filter them.
PAGING_PARAMS = ("after", "before", "sort", "per_page", "page")


class DateInput(forms.DateInput):
    input_type = "date"


class DateRangeInput(DateRangeWidget):
    """Two browser date pickers, `placed_after` and `placed_before`."""

    def __init__(self, attrs=None):
        widgets = (
            DateInput(attrs={"aria-label": _("Placed from")}),
            DateInput(attrs={"aria-label": _("Placed until")}),
        )
        # RangeWidget.__init__ would replace the widgets with text inputs.
        super(RangeWidget, self).__init__(widgets, attrs)


def _amount_field_kwargs(label) -> dict:
    return {
        "label": label,
        "max_digits": 12,
        "decimal_places": 2,
        "min_value": 0,
        "widget": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
    }


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_quick_search",
        max_length=254,
        help_text=_(
            "Order number, e-mail address, customer or billing name "
            "(three characters or more)."
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=OrderStatus.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    placed = django_filters.DateFromToRangeFilter(
        label=_("Placed between"),
        field_name="placed_at",
        widget=DateRangeInput,
    )
    guest = django_filters.ChoiceFilter(
        label=_("Guest or registered"),
        choices=GUEST_CHOICES,
        method="filter_guest",
        empty_label=_("Either"),
    )
    placed_by = django_filters.ChoiceFilter(
        label=_("Placed by"),
        choices=PLACED_BY_CHOICES,
        method="filter_placed_by",
        empty_label=_("Anyone"),
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Customer's group"),
        queryset=Group.objects.order_by("name"),
        method="filter_group",
        empty_label=_("Any group"),
    )
    total_min = django_filters.NumberFilter(
        field_name="total", lookup_expr="gte", **_amount_field_kwargs(_("Total from"))
    )
    total_max = django_filters.NumberFilter(
        field_name="total", lookup_expr="lte", **_amount_field_kwargs(_("Total to"))
    )
    payment_method = django_filters.ChoiceFilter(
        label=_("Payment method"),
        choices=PaymentMethod.choices,
        empty_label=_("Any"),
    )

    class Meta:
        model = Order
        fields: list[str] = []
        form = OrderSearchForm

    def filter_quick_search(self, queryset, name, value) -> QuerySet[Order]:
        return orders_matching(queryset, value)

    def filter_guest(self, queryset, name, value) -> QuerySet[Order]:
        return queryset.filter(is_guest=value == "guest")

    def filter_placed_by(self, queryset, name, value) -> QuerySet[Order]:
        return queryset.filter(placed_by__isnull=value == "customer")

    def filter_group(self, queryset, name, value) -> QuerySet[Order]:
        members = CustomerProfile.objects.filter(user__groups=value).values("pk")
        return queryset.filter(customer_id__in=members)


@dataclass(frozen=True)
class FilterChip:
    """One active filter, shown above the results with a link that drops it."""

    label: str
    value: str
    remove_url: str


def _display(filterset: OrderFilter, name: str, value) -> str:
    field = filterset.form.fields[name]
    if hasattr(value, "isoformat"):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Group):
        return value.name
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)


def filter_chips(filterset: OrderFilter, params: Mapping[str, Sequence[str]]):
    """The active filters of a valid search, each with its removal link.

    `params` is the request's query as lists (`request.GET.lists()`); a
    removal link keeps every other filter and the sort, and starts again at
    the first page.
    """
    if not filterset.is_valid():
        return []
    query = {
        key: list(values)
        for key, values in params.items()
        if key not in ("after", "before", "page")
    }

    def without(key: str, value: str | None = None) -> str:
        kept = {k: list(v) for k, v in query.items()}
        if value is None:
            kept.pop(key, None)
        else:
            kept[key] = [v for v in kept.get(key, []) if v != value]
        return "?" + urlencode(kept, doseq=True)

    chips = []
    data = filterset.form.cleaned_data
    for name, value in data.items():
        if value in (None, "", []):
            continue
        label = str(filterset.form.fields[name].label)
        if name == "status":
            for status in value:
                display = _display(filterset, name, status)
                chips.append(FilterChip(label, display, without(name, status)))
        elif name == "placed":
            if value.start:
                chips.append(
                    FilterChip(
                        str(_("Placed from")),
                        _display(filterset, name, value.start.date()),
                        without("placed_after"),
                    )
                )
            if value.stop:
                chips.append(
                    FilterChip(
                        str(_("Placed until")),
                        _display(filterset, name, value.stop.date()),
                        without("placed_before"),
                    )
                )
        else:
            chips.append(
                FilterChip(label, _display(filterset, name, value), without(name))
            )
    return chips
