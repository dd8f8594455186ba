"""People > Users: search and filters over all customers."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from customers.filters import PeopleFilter
from customers.permissions import backoffice_required
from customers.selectors import (
    attach_order_counts,
    profile_by_email,
    profiles_for_people,
)
from customers.tables import MAX_PAGES, PeopleTable, paginate_table


@backoffice_required
def users(request: HttpRequest) -> HttpResponse:
    filterset = PeopleFilter(request.GET or None, queryset=profiles_for_people())
    searched_email = filterset.searched_email() if filterset.is_bound else ""
    if searched_email:
        profile = profile_by_email(searched_email)
        if profile is not None:
            return redirect("customers:edit", pk=profile.pk)

    valid = not filterset.is_bound or filterset.is_valid()
    rows = filterset.qs if valid else filterset.queryset.none()
    table = PeopleTable(rows)
    if paginate_table(request, table):
        messages.info(
            request,
            _("Only the first %(count)d pages are shown; refine the search.")
            % {"count": MAX_PAGES},
        )
    attach_order_counts([row.record for row in table.page.object_list])

    context = {"filter": filterset, "table": table}
    return render(request, "customers/users.html", context)
