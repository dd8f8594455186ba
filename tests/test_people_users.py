"""People > Users: the search form, the table and its pagination."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.tables import MAX_PAGES, CappedLazyPaginator
from tests.factories import (
    CustomerFactory,
    GroupFactory,
    GuestCustomerFactory,
    OrderFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("customers:users")


def shown(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [row.record.user.email for row in response.context["table"].paginated_rows]


def test_the_table_lists_customers_with_an_edit_link(admin_client):
    profile = CustomerFactory()

    html = admin_client.get(URL).content.decode()

    assert reverse("customers:edit", args=[profile.pk]) in html


def test_the_newest_customers_come_first(admin_client):
    old = CustomerFactory(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    new = CustomerFactory()

    emails = shown(admin_client)

    assert emails.index(new.user.email) < emails.index(old.user.email)


def test_the_text_search_matches_part_of_an_email(admin_client):
    CustomerFactory(user__email="maya.garcia@example.com")
    CustomerFactory(user__email="liam@example.com")

    assert shown(admin_client, q="GARCIA") == ["maya.garcia@example.com"]


def test_the_text_search_matches_part_of_a_name(admin_client):
    CustomerFactory(first_name="Priya", last_name="Patel")
    CustomerFactory(first_name="Omar", last_name="Haddad")

    assert len(shown(admin_client, q="pate")) == 1


def test_a_two_character_search_is_a_form_error(admin_client):
    response = admin_client.get(URL, {"q": "ab"})

    assert "q" in response.context["filter"].form.errors


def test_a_two_character_search_lists_nobody(admin_client):
    CustomerFactory(user__email="ab@example.com")

    assert shown(admin_client, q="ab") == []


def test_an_exact_email_jumps_to_that_profile(admin_client):
    profile = CustomerFactory(user__email="pat@example.com")

    response = admin_client.get(URL, {"q": "Pat@Example.com"})

    assert response.headers["Location"] == reverse("customers:edit", args=[profile.pk])


def test_an_unknown_email_shows_an_empty_table(admin_client):
    CustomerFactory()

    assert shown(admin_client, q="nobody@example.com") == []


def test_the_group_filter(admin_client):
    band = GroupFactory(name="Band")
    member = CustomerFactory()
    member.user.groups.add(band)
    CustomerFactory()

    assert shown(admin_client, group=band.pk) == [member.user.email]


@pytest.mark.parametrize("group", ["987654", "abc"])
def test_a_bad_group_is_a_form_error(admin_client, group):
    response = admin_client.get(URL, {"group": group})

    assert "group" in response.context["filter"].form.errors


def test_the_disabled_filter(admin_client):
    disabled = CustomerFactory(user__is_active=False)
    CustomerFactory()

    assert shown(admin_client, status="disabled") == [disabled.user.email]


def test_the_guest_filter(admin_client):
    guest = GuestCustomerFactory()
    CustomerFactory()

    assert shown(admin_client, kind="guest") == [guest.user.email]


def test_the_joined_between_filter(admin_client):
    CustomerFactory(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    recent = CustomerFactory(
        created_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    )

    emails = shown(admin_client, joined_after="2026-05-31", joined_before="2026-06-01")

    assert emails == [recent.user.email]


def test_a_bad_date_is_a_form_error(admin_client):
    response = admin_client.get(URL, {"joined_after": "notadate"})

    assert "joined" in response.context["filter"].form.errors


def test_the_orders_column_counts_each_customers_orders(admin_client):
    profile = CustomerFactory()
    OrderFactory.create_batch(3, customer=profile)

    response = admin_client.get(URL, {"q": profile.user.email[:8]})

    row = next(iter(response.context["table"].paginated_rows))
    assert row.get_cell("orders") == 3


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "0"},
        {"page": "-3"},
        {"page": "999999999"},
        {"page": "9" * 40},
        {"sort": "password"},
        {"sort": "nonexistent"},
        {"sort": "groups"},
        {"sort": "-email,name"},
        {"per_page": "1000000"},
    ],
)
def test_bad_query_strings_give_a_clean_page(admin_client, params):
    CustomerFactory.create_batch(3)

    assert admin_client.get(URL, params).status_code == 200


def test_a_page_past_the_cap_asks_to_refine_the_search(admin_client):
    response = admin_client.get(URL, {"page": str(MAX_PAGES + 1)}, follow=True)

    assert "refine the search" in response.content.decode()


def test_per_page_cannot_be_raised_from_the_query_string(admin_client):
    CustomerFactory.create_batch(30)

    assert len(shown(admin_client, per_page="1000000")) == 25


def test_sorting_by_a_column_without_an_index_is_ignored(admin_client):
    response = admin_client.get(URL, {"sort": "groups"})

    assert list(response.context["table"].order_by) == []


def test_the_paginator_stops_at_the_cap():
    page = CappedLazyPaginator(range(100_000), 10).page(MAX_PAGES + 50)

    assert (page.number, page.has_next()) == (MAX_PAGES, False)


def queries_for(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return [query["sql"] for query in captured]


def test_the_query_count_does_not_grow_with_the_rows(admin_client):
    band = GroupFactory()
    for profile in CustomerFactory.create_batch(2):
        profile.user.groups.add(band)
        OrderFactory(customer=profile)
    few = len(queries_for(admin_client))
    for profile in CustomerFactory.create_batch(25):
        profile.user.groups.add(band)
        OrderFactory(customer=profile)

    assert len(queries_for(admin_client)) == few


def test_the_page_makes_no_exact_count(admin_client):
    CustomerFactory.create_batch(3)

    assert not any("COUNT(*)" in sql for sql in queries_for(admin_client))


def test_the_users_link_is_marked_active_on_people_users(admin_client):
    html = admin_client.get(URL).content.decode()

    assert f'active fw-semibold" href="{URL}"' in html
