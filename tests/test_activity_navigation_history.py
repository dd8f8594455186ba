"""The Customer Navigation History page and its CSV export."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activity.models import PageView, UserAgent
from activity.selectors import PAGE_SIZE
from tests.factories import CustomerFactory, PageViewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    return CustomerFactory(user__email="family@example.com")


def history_url(customer, **query) -> str:
    url = reverse("activity:navigation_history", args=[customer.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def make_views(customer, count, start=None, step=timedelta(minutes=1), **fields):
    start = start or timezone.now() - timedelta(days=1)
    """`count` views of one visitor, `step` apart."""
    fields.setdefault("visitor", uuid.uuid4())
    return [
        PageViewFactory(
            user=customer.user,
            viewed_at=start + step * number,
            url=f"/page/{number}/",
            **fields,
        )
        for number in range(count)
    ]


def shown_urls(response) -> list[str]:
    return [view.url for view in response.context["table"].data]


def test_an_anonymous_visitor_is_sent_to_log_in(client, customer):
    response = client.get(history_url(customer))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_shopper_is_refused(shopper_client, customer):
    assert shopper_client.get(history_url(customer)).status_code == 403


def test_staff_without_back_office_access_is_refused(staff_outsider, customer):
    client = Client()
    client.force_login(staff_outsider)

    assert client.get(history_url(customer)).status_code == 403


def test_a_store_admin_sees_the_page(admin_client, customer):
    response = admin_client.get(history_url(customer))

    assert response.status_code == 200
    assert b"Customer Navigation History" in response.content


def test_an_unknown_profile_is_not_found(admin_client):
    url = reverse("activity:navigation_history", args=[999_999])

    assert admin_client.get(url).status_code == 404


def test_the_csv_export_sends_an_anonymous_visitor_to_log_in(client, customer):
    url = reverse("activity:navigation_history_csv", args=[customer.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_csv_export_is_refused_to_a_shopper(shopper_client, customer):
    url = reverse("activity:navigation_history_csv", args=[customer.pk])

    assert shopper_client.get(url).status_code == 403


def test_views_are_listed_oldest_to_newest(admin_client, customer):
    make_views(customer, 3)

    response = admin_client.get(history_url(customer))

    assert shown_urls(response) == ["/page/0/", "/page/1/", "/page/2/"]


def test_only_this_customers_views_are_listed(admin_client, customer):
    make_views(customer, 1)
    PageViewFactory(user=CustomerFactory().user, url="/someone-else/")
    PageViewFactory(user=None, url="/anonymous/")

    response = admin_client.get(history_url(customer))

    assert shown_urls(response) == ["/page/0/"]


def test_the_header_states_the_retention_policy(admin_client, customer, settings):
    settings.ACTIVITY_RETENTION_DAYS = 90

    response = admin_client.get(history_url(customer))

    assert b"kept for 90 days" in response.content


def test_the_next_page_starts_after_the_last_row_of_the_first(admin_client, customer):
    make_views(customer, PAGE_SIZE + 5)
    first = admin_client.get(history_url(customer))

    second = admin_client.get(
        history_url(customer, after=first.context["page"].next_cursor)
    )

    assert shown_urls(second) == [
        f"/page/{n}/" for n in range(PAGE_SIZE, PAGE_SIZE + 5)
    ]
    assert second.context["page"].next_cursor is None


def test_the_previous_page_ends_before_the_first_row(admin_client, customer):
    make_views(customer, PAGE_SIZE + 5)
    first = admin_client.get(history_url(customer))
    second = admin_client.get(
        history_url(customer, after=first.context["page"].next_cursor)
    )

    back = admin_client.get(
        history_url(customer, before=second.context["page"].previous_cursor)
    )

    assert shown_urls(back) == shown_urls(first)


def test_the_newest_page_holds_the_latest_views(admin_client, customer):
    make_views(customer, PAGE_SIZE + 5)

    response = admin_client.get(history_url(customer, newest=1))

    assert shown_urls(response)[-1] == f"/page/{PAGE_SIZE + 4}/"
    assert response.context["page"].previous_cursor is not None


def test_views_with_the_same_time_are_paged_without_loss(admin_client, customer):
    moment = timezone.now() - timedelta(hours=1)
    make_views(customer, PAGE_SIZE + 3, start=moment, step=timedelta(0))
    first = admin_client.get(history_url(customer))

    second = admin_client.get(
        history_url(customer, after=first.context["page"].next_cursor)
    )

    seen = shown_urls(first) + shown_urls(second)
    assert sorted(seen) == sorted(f"/page/{n}/" for n in range(PAGE_SIZE + 3))


@pytest.mark.parametrize(
    "cursor", ["garbage", "-1-2", "99999999999999999999999-1", "1-" + "9" * 30, "1-x"]
)
def test_a_bad_cursor_shows_the_first_page(admin_client, customer, cursor):
    make_views(customer, 2)

    response = admin_client.get(history_url(customer, after=cursor, before=cursor))

    assert response.status_code == 200


def test_the_page_filters_by_method(admin_client, customer):
    make_views(customer, 2)
    PageViewFactory(user=customer.user, method="POST", url="/checkout/")

    response = admin_client.get(history_url(customer, method="POST"))

    assert shown_urls(response) == ["/checkout/"]


def test_the_page_filters_by_dates(admin_client, customer):
    PageViewFactory(user=customer.user, viewed_at=timezone.now() - timedelta(days=10))
    recent = PageViewFactory(user=customer.user, url="/recent/")
    since = (timezone.localdate() - timedelta(days=1)).isoformat()

    response = admin_client.get(history_url(customer, viewed_at_after=since))

    assert shown_urls(response) == [recent.url]


def test_a_bad_date_gives_a_form_error_not_a_failure(admin_client, customer):
    response = admin_client.get(history_url(customer, viewed_at_after="not-a-date"))

    assert response.status_code == 200
    assert response.context["filter"].errors


def test_a_long_url_is_cut_with_the_whole_of_it_on_hover(admin_client, customer):
    long_url = "/items/" + "a" * 300 + "/"
    PageViewFactory(user=customer.user, url=long_url)

    response = admin_client.get(history_url(customer))

    assert f'title="{long_url}"'.encode() in response.content


def test_markup_in_stored_values_is_shown_as_text(admin_client, customer):
    PageViewFactory(
        user=customer.user,
        url='/<script>alert("u")</script>',
        referrer='"><img src=x onerror=alert(1)>',
        item_name="<b>Item</b>",
        item_icon="bag",
    )

    response = admin_client.get(history_url(customer))

    assert b"<script>alert" not in response.content
    assert b"<img src=x" not in response.content
    assert b"<b>Item</b>" not in response.content
    assert b"&lt;script&gt;" in response.content


def test_the_browser_column_shows_type_version_and_os(admin_client, customer):
    agent = UserAgent.objects.create(
        string="x", browser_family="Firefox", browser_version="121.0", os_family="Linux"
    )
    PageViewFactory(user=customer.user, user_agent=agent)

    response = admin_client.get(history_url(customer))

    assert b"Firefox 121.0 \xc2\xb7 Linux" in response.content


def test_the_item_column_shows_the_kinds_icon_labelled_with_the_name(
    admin_client, customer
):
    PageViewFactory(
        user=customer.user, item_icon="ticket-perforated", item_name="Concert"
    )

    response = admin_client.get(history_url(customer))

    assert b'class="bi bi-ticket-perforated fs-5" role="img" aria-label="Concert"' in (
        response.content
    )


def test_the_beacons_time_is_shown_as_measured(admin_client, customer):
    PageViewFactory(user=customer.user, time_on_page_ms=4321)

    response = admin_client.get(history_url(customer))

    assert b"<td >4321</td>" in response.content or b">4321<" in response.content


def test_without_a_beacon_the_gap_to_the_next_view_is_shown(admin_client, customer):
    views = make_views(customer, 2, step=timedelta(seconds=7))

    response = admin_client.get(history_url(customer))

    table = response.context["table"]
    assert table.rows[0].get_cell("time_on_page").endswith("≈ 7000</span>")
    assert views[1].time_on_page_ms is None


def test_the_gap_counts_only_the_same_visitors_next_view(admin_client, customer):
    start = timezone.now() - timedelta(hours=1)
    PageViewFactory(user=customer.user, viewed_at=start)
    PageViewFactory(user=customer.user, viewed_at=start + timedelta(seconds=5))

    response = admin_client.get(history_url(customer))

    assert str(response.context["table"].rows[0].get_cell("time_on_page")) == "—"


def test_the_gap_is_capped_at_thirty_minutes(admin_client, customer):
    make_views(customer, 2, step=timedelta(hours=3))

    response = admin_client.get(history_url(customer))

    cell = response.context["table"].rows[0].get_cell("time_on_page")
    assert cell.endswith("≈ 1800000</span>")


def test_the_last_view_without_a_beacon_shows_a_dash(admin_client, customer):
    make_views(customer, 1)

    response = admin_client.get(history_url(customer))

    assert str(response.context["table"].rows[0].get_cell("time_on_page")) == "—"


def test_the_page_query_count_does_not_grow_with_the_views(
    admin_client, customer, django_assert_max_num_queries
):
    make_views(customer, PAGE_SIZE * 2)

    # Session, user, two for permissions, the profile, the page of views;
    # then three for writing this request's own view (tests write in the
    # request: ACTIVITY_SYNC_WRITES).
    with django_assert_max_num_queries(9):
        admin_client.get(history_url(customer))


def test_the_csv_export_lists_every_filtered_view_in_order(admin_client, customer):
    make_views(customer, 3)
    PageViewFactory(user=customer.user, method="POST", url="=HYPERLINK(1)")
    url = reverse("activity:navigation_history_csv", args=[customer.pk])

    response = admin_client.get(url)

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert [row[3] for row in rows[1:]] == [
        "/page/0/",
        "/page/1/",
        "/page/2/",
        "'=HYPERLINK(1)",
    ]


def test_the_csv_export_keeps_the_filters(admin_client, customer):
    make_views(customer, 3)
    PageViewFactory(user=customer.user, method="POST", url="/checkout/")
    url = reverse("activity:navigation_history_csv", args=[customer.pk])

    response = admin_client.get(url, {"method": "POST"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[3] for row in rows[1:]] == ["/checkout/"]


def test_the_csv_export_reads_past_one_chunk(admin_client, customer, monkeypatch):
    monkeypatch.setattr("activity.selectors.EXPORT_CHUNK", 2)
    make_views(customer, 5)
    url = reverse("activity:navigation_history_csv", args=[customer.pk])

    response = admin_client.get(url)

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1 + 5


def test_page_views_are_kept_when_shown(admin_client, customer):
    make_views(customer, 1)

    admin_client.get(history_url(customer))

    # The admin's own view of the page is recorded as theirs, not the customer's.
    assert PageView.objects.filter(user=customer.user).count() == 1
