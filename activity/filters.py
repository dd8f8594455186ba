import django_filters
from django.utils.translation import gettext_lazy as _

from activity.models import PageView

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


class PageViewFilter(django_filters.FilterSet):
    viewed_at = django_filters.DateFromToRangeFilter(
        label=_("Dates"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    method = django_filters.ChoiceFilter(
        label=_("Method"),
        choices=[(method, method) for method in METHODS],
        empty_label=_("Any method"),
    )

    class Meta:
        model = PageView
        fields = ["viewed_at", "method"]
