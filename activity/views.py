"""The time-on-page beacon and the Customer Navigation History pages.

The history pages are about a customer profile, which `activity` does not
know: the project's URLconf names the profile model and the profile page's
URL name, and wraps the views in the back office's permission check
(activity.urls.activity_patterns).
"""

import csv
from collections.abc import Iterator
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from activity import writer
from activity.filters import PageViewFilter
from activity.ids import beacon_view_id, view_id_time
from activity.selectors import (
    TIME_ON_PAGE_CAP_MS,
    keyset_page,
    page_views_all,
    page_views_of,
    time_on_page,
)
from activity.tables import PageViewTable

PAGER_PARAMETERS = ("after", "before", "newest")
# A page left open longer than this no longer reports its time.
BEACON_MAX_AGE = timedelta(hours=24)
# A cell starting with one of these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Exempt from CSRF: the beacon carries no session authority. Its token is
# a view id signed by the server for that one page, so a forged request
# from another site can do no more than the page itself could: set a
# bounded time on page for a view it was shown.
@csrf_exempt
@require_POST
def beacon(request: HttpRequest) -> HttpResponse:
    view_id = beacon_view_id(request.POST.get("v", ""))
    milliseconds = request.POST.get("ms", "")
    if view_id is None or not (milliseconds.isascii() and milliseconds.isdigit()):
        return HttpResponseBadRequest()
    if len(milliseconds) > 10 or int(milliseconds) > TIME_ON_PAGE_CAP_MS:
        return HttpResponseBadRequest()
    if timezone.now() - view_id_time(view_id) > BEACON_MAX_AGE:
        return HttpResponseBadRequest()

    writer.time_on_page_later(view_id=view_id, milliseconds=int(milliseconds))
    return HttpResponse(status=204)


def customer_profile(profile_model: str, profile_pk: int):
    model = apps.get_model(profile_model)
    return get_object_or_404(model.objects.select_related("user"), pk=profile_pk)


def navigation_history(
    request: HttpRequest, profile_pk: int, *, profile_model: str, profile_url_name: str
) -> HttpResponse:
    profile = customer_profile(profile_model, profile_pk)

    filters = PageViewFilter(request.GET, queryset=page_views_of(profile.user_id))
    page = keyset_page(
        filters.qs,
        after_cursor=request.GET.get("after"),
        before_cursor=request.GET.get("before"),
        newest="newest" in request.GET,
    )
    query = request.GET.copy()
    for name in PAGER_PARAMETERS:
        query.pop(name, None)

    context = {
        "profile": profile,
        "profile_url": reverse(profile_url_name, args=[profile.pk]),
        "filter": filters,
        "table": PageViewTable(page.rows),
        "page": page,
        "filter_query": query.urlencode(),
        "retention_days": settings.ACTIVITY_RETENTION_DAYS,
    }
    return render(request, "activity/navigation_history.html", context)


def navigation_history_csv(
    request: HttpRequest, profile_pk: int, *, profile_model: str, profile_url_name: str
) -> StreamingHttpResponse:
    """Every view the filters select, streamed: memory stays flat at 100k rows."""
    profile = customer_profile(profile_model, profile_pk)
    filters = PageViewFilter(request.GET, queryset=page_views_of(profile.user_id))

    response = StreamingHttpResponse(
        csv_lines(page_views_all(filters.qs)), content_type="text/csv; charset=utf-8"
    )
    filename = f"navigation-history-{profile.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class Echo:
    """A file-like object csv.writer can write one line to at a time."""

    def write(self, value: str) -> str:
        return value


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_lines(views) -> Iterator[str]:
    out = csv.writer(Echo())
    yield out.writerow(
        [
            _("When"),
            _("IP"),
            _("Method"),
            _("URL"),
            _("Time (ms)"),
            _("Time estimated"),
            _("Referrer"),
            _("Browser"),
            _("Operating system"),
            _("Item kind"),
            _("Item"),
            _("Status"),
        ]
    )
    for view in views:
        measure = time_on_page(view)
        agent = view.user_agent
        yield out.writerow(
            spreadsheet_safe(value)
            for value in (
                timezone.localtime(view.viewed_at).isoformat(),
                view.ip,
                view.method,
                view.url,
                measure.milliseconds if measure else "",
                ("yes" if measure.estimated else "no") if measure else "",
                view.referrer,
                agent.browser if agent else "",
                agent.os if agent else "",
                view.item_kind,
                view.item_name,
                view.status,
            )
        )
