from django.core.paginator import EmptyPage
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_tables2 import A, Column, DateTimeColumn, Table
from django_tables2.paginators import LazyPaginator

from customers.models import CustomerProfile

PER_PAGE = 25
# Deeper pages would need a deep OFFSET; past this the search is refined.
MAX_PAGES = 400


class CappedLazyPaginator(LazyPaginator):
    """Pages without a COUNT, and no further than MAX_PAGES."""

    max_pages = MAX_PAGES

    def validate_number(self, number):
        return min(super().validate_number(number), self.max_pages)

    def page(self, number):
        page = super().page(number)
        if page.number >= self.max_pages:
            self._num_pages = self._final_num_pages = page.number
        return page


def paginate_table(request: HttpRequest, table: Table, *, per_page: int = PER_PAGE):
    """Sort and paginate `table` from the query string, forgiving bad values.

    Answers whether the page asked for lay past MAX_PAGES.
    """
    sort = request.GET.get(table.prefixed_order_by_field)
    if sort:
        table.order_by = sort
    try:
        number = int(request.GET.get(table.prefixed_page_field, 1))
    except ValueError:
        number = 1
    try:
        table.paginate(CappedLazyPaginator, per_page=per_page, page=max(number, 1))
    except EmptyPage:
        table.paginate(CappedLazyPaginator, per_page=per_page, page=1)
    return number > MAX_PAGES


class PeopleTable(Table):
    """People > Users. Only columns backed by an index can be sorted; unsorted,
    the rows come newest first as the queryset orders them."""

    email = Column(
        verbose_name=_("E-mail"),
        accessor="user__email",
        order_by=("user__email",),
        linkify=("customers:edit", {"pk": A("pk")}),
    )
    name = Column(
        verbose_name=_("Name"),
        accessor="full_name",
        order_by=("last_name", "first_name", "pk"),
        empty_values=(),
    )
    groups = Column(verbose_name=_("Groups"), orderable=False, empty_values=())
    orders = Column(verbose_name=_("Orders"), orderable=False, empty_values=())
    last_login = DateTimeColumn(
        verbose_name=_("Last login"),
        accessor="user__last_login",
        orderable=False,
        format="Y-m-d H:i",
    )
    joined = DateTimeColumn(
        verbose_name=_("Joined"),
        accessor="created_at",
        order_by=("created_at",),
        format="Y-m-d",
    )
    status = Column(verbose_name=_("Status"), orderable=False, empty_values=())
    edit = Column(verbose_name="", orderable=False, empty_values=())

    class Meta:
        model = CustomerProfile
        fields = ()
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No customer matches the search.")

    def render_name(self, record: CustomerProfile) -> str:
        return record.full_name or "—"

    def render_groups(self, record: CustomerProfile) -> str:
        return ", ".join(group.name for group in record.user.groups.all()) or "—"

    def render_orders(self, record: CustomerProfile) -> int:
        return record.order_stats.order_count

    def render_status(self, record: CustomerProfile):
        badges = []
        if not record.user.is_active:
            badges.append(("text-bg-danger", _("Disabled")))
        else:
            badges.append(("text-bg-success", _("Active")))
        if record.is_guest:
            badges.append(("text-bg-secondary", _("Guest")))
        if record.user.is_staff:
            badges.append(("text-bg-info", _("Staff")))
        return format_html_join(
            " ",
            '<span class="badge {}">{}</span>',
            ((css, text) for css, text in badges),
        )

    def render_edit(self, record: CustomerProfile):
        return format_html(
            '<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>',
            reverse("customers:edit", args=[record.pk]),
            _("Edit"),
        )
