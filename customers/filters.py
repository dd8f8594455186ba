import django_filters
from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import DateRangeWidget

from customers.models import CustomerProfile

# A shorter text cannot use the trigram index and would scan every profile.
MIN_SEARCH_LENGTH = 3


class PeopleFilterForm(forms.Form):
    def clean_q(self) -> str:
        text = " ".join(self.cleaned_data.get("q", "").split())
        if text and len(text) < MIN_SEARCH_LENGTH:
            raise forms.ValidationError(
                _("Type at least %(count)d characters."),
                params={"count": MIN_SEARCH_LENGTH},
            )
        return text


class PeopleFilter(django_filters.FilterSet):
    """People > Users' search: text over e-mail and name, and a few facts."""

    q = django_filters.CharFilter(
        label=_("E-mail or name"),
        method="filter_text",
        max_length=254,
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Group"),
        field_name="user__groups",
        queryset=Group.objects.order_by("name"),
        empty_label=_("Any group"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("active", _("Active")), ("disabled", _("Disabled"))],
        method="filter_status",
        empty_label=_("Active or disabled"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Account"),
        choices=[("registered", _("Registered")), ("guest", _("Guest"))],
        method="filter_kind",
        empty_label=_("Guest or registered"),
    )
    joined = django_filters.DateFromToRangeFilter(
        label=_("Joined between"),
        field_name="created_at",
        widget=DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = CustomerProfile
        fields = []
        form = PeopleFilterForm

    def filter_text(self, queryset, name, value):
        # search_text is lower-cased, so a case-sensitive `contains` on the
        # lowered text matches in any case and can use the trigram index.
        return queryset.filter(search_text__contains=value.lower())

    def filter_status(self, queryset, name, value):
        return queryset.filter(user__is_active=value == "active")

    def filter_kind(self, queryset, name, value):
        return queryset.filter(is_guest=value == "guest")

    def searched_email(self) -> str:
        """The search text when it is a whole e-mail address, else ''."""
        text = self.form.cleaned_data.get("q", "") if self.is_valid() else ""
        if "@" not in text or " " in text:
            return ""
        try:
            forms.EmailField().clean(text)
        except forms.ValidationError:
            return ""
        return text
