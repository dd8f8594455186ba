"""The Customer Navigation History table.

Every value in it came from a visitor's request; format_html escapes each
one, so a URL or referrer full of markup shows as text.
"""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activity.models import PageView
from activity.selectors import TIME_ON_PAGE_CAP_MS, time_on_page

NOTHING = "—"
SHOWN_URL_LENGTH = 60


def truncated(value: str) -> str:
    """Long text cut for the table, the whole of it on hover."""
    if not value:
        return NOTHING
    shown = Truncator(value).chars(SHOWN_URL_LENGTH)
    if shown == value:
        return format_html('<span class="text-break">{}</span>', value)
    return format_html('<span class="text-break" title="{}">{}</span>', value, shown)


def item_icon(view: PageView) -> str:
    if not view.item_icon:
        return NOTHING
    return format_html(
        '<i class="bi bi-{} fs-5" role="img" aria-label="{}" title="{}"></i>',
        view.item_icon,
        view.item_name,
        view.item_name,
    )


def time_on_page_cell(view: PageView) -> str:
    measure = time_on_page(view)
    if measure is None:
        return NOTHING
    if not measure.estimated:
        return str(measure.milliseconds)
    hint = gettext(
        "Estimated: the time until this visitor's next page view, "
        "counted up to %(cap)s ms."
    ) % {"cap": TIME_ON_PAGE_CAP_MS}
    return format_html(
        '<span class="text-body-secondary" title="{}">≈ {}</span>',
        hint,
        measure.milliseconds,
    )


class PageViewTable(tables.Table):
    viewed_at = tables.DateTimeColumn(verbose_name=_("When"), format="Y-m-d H:i:s")
    ip = tables.Column(verbose_name=_("IP"), default=NOTHING)
    method = tables.Column(verbose_name=_("Method"))
    url = tables.Column(verbose_name=_("URL"))
    time_on_page = tables.Column(verbose_name=_("Time (ms)"), empty_values=())
    referrer = tables.Column(verbose_name=_("Referrer"), empty_values=())
    browser = tables.Column(verbose_name=_("Browser"), empty_values=())
    item = tables.Column(verbose_name=_("Item"), empty_values=())

    class Meta:
        orderable = False
        attrs = {"class": "table table-sm table-striped align-middle"}
        empty_text = _("No page views match.")

    def render_url(self, value: str) -> str:
        return truncated(value)

    def render_referrer(self, record: PageView) -> str:
        return truncated(record.referrer)

    def render_time_on_page(self, record: PageView) -> str:
        return time_on_page_cell(record)

    def render_browser(self, record: PageView) -> str:
        agent = record.user_agent
        return agent.label if agent and agent.label else NOTHING

    def render_item(self, record: PageView) -> str:
        return item_icon(record)
