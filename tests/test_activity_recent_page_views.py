"""The Recent Page Views section of the customer profile page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activity.sections import recent_page_views_context
from activity.selectors import RECENT_COUNT
from tests.factories import CustomerFactory, PageViewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    return CustomerFactory()


def profile_page(client, customer):
    return client.get(reverse("customers:edit", args=[customer.pk]))


def section(response) -> dict:
    for shown in response.context["sections"]:
        if shown["name"] == "recent_page_views":
            return shown["context"]
    raise AssertionError("no Recent Page Views section")


def test_the_section_lists_the_ten_newest_views_newest_first(admin_client, customer):
    start = timezone.now() - timedelta(hours=1)
    for number in range(RECENT_COUNT + 2):
        PageViewFactory(
            user=customer.user,
            viewed_at=start + timedelta(minutes=number),
            url=f"/page/{number}/",
        )

    response = profile_page(admin_client, customer)

    urls = [view.url for view in section(response)["page_views"]]
    assert urls == [f"/page/{number}/" for number in range(11, 1, -1)]


def test_the_section_shows_the_url_and_the_item_icon(admin_client, customer):
    PageViewFactory(
        user=customer.user,
        url="/items/yearbook/",
        item_icon="bag",
        item_name="Yearbook",
    )

    response = profile_page(admin_client, customer)

    assert b"/items/yearbook/" in response.content
    assert (
        b'class="bi bi-bag fs-5" role="img" aria-label="Yearbook"' in response.content
    )


def test_the_section_links_to_the_navigation_history(admin_client, customer):
    response = profile_page(admin_client, customer)

    url = reverse("activity:navigation_history", args=[customer.pk])
    assert f'<a href="{url}">See All</a>'.encode() in response.content


def test_a_customer_without_views_gets_a_plain_note(admin_client, customer):
    response = profile_page(admin_client, customer)

    assert b"No page views yet." in response.content


def test_other_customers_views_are_not_listed(admin_client, customer):
    PageViewFactory(user=CustomerFactory().user, url="/someone-else/")

    response = profile_page(admin_client, customer)

    assert section(response)["page_views"] == []


def test_the_section_costs_one_query_whatever_the_number_of_views(
    admin_client, customer, django_assert_num_queries
):
    for _ in range(30):
        PageViewFactory(user=customer.user)

    with django_assert_num_queries(1):
        recent_page_views_context(None, customer)
