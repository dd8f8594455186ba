"""The catalog page and the item page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import CatalogItemFactory, GroupFactory

pytestmark = pytest.mark.django_db


def test_the_catalog_lists_available_items(client):
    CatalogItemFactory(name="School T-shirt")

    response = client.get("/")

    assert "School T-shirt" in response.text


def test_the_catalog_hides_unavailable_items(client):
    CatalogItemFactory(name="Old yearbook", is_available=False)

    response = client.get("/")

    assert "Old yearbook" not in response.text


def test_the_catalog_hides_group_limited_items_from_visitors(client):
    item = CatalogItemFactory(name="Band uniform rental")
    item.allowed_groups.add(GroupFactory(name="Band"))

    response = client.get("/")

    assert "Band uniform rental" not in response.text


def test_the_catalog_hides_group_limited_items_from_non_members(shopper_client):
    item = CatalogItemFactory(name="Band uniform rental")
    item.allowed_groups.add(GroupFactory(name="Band"))

    response = shopper_client.get("/")

    assert "Band uniform rental" not in response.text


def test_the_catalog_shows_group_limited_items_to_members(shopper, shopper_client):
    band = GroupFactory(name="Band")
    item = CatalogItemFactory(name="Band uniform rental")
    item.allowed_groups.add(band)
    shopper.groups.add(band)

    response = shopper_client.get("/")

    assert "Band uniform rental" in response.text


def test_the_catalog_query_count_does_not_grow_with_items(client):
    CatalogItemFactory()
    with CaptureQueriesContext(connection) as one_item:
        client.get("/")
    CatalogItemFactory.create_batch(30)

    with CaptureQueriesContext(connection) as many_items:
        client.get("/")

    assert len(many_items) == len(one_item)


def test_the_item_page_shows_price_and_kind_icon(client):
    item = CatalogItemFactory(name="Spring concert ticket", kind="event_ticket")
    item.price = Decimal("8.00")
    item.save()

    response = client.get(f"/items/{item.slug}/")

    assert "8.00 USD" in response.text
    assert "bi-ticket-perforated" in response.text


def test_the_item_page_has_an_add_to_basket_form_with_a_quantity(client):
    item = CatalogItemFactory()

    response = client.get(f"/items/{item.slug}/")

    assert 'name="quantity"' in response.text
    assert "Add to basket" in response.text


def test_the_add_to_basket_form_names_the_item(client):
    item = CatalogItemFactory()

    response = client.get(f"/items/{item.slug}/")

    assert f'name="item" value="{item.pk}"' in response.text


def test_a_group_limited_item_page_is_not_found_for_non_members(shopper_client):
    item = CatalogItemFactory()
    item.allowed_groups.add(GroupFactory())

    response = shopper_client.get(f"/items/{item.slug}/")

    assert response.status_code == 404


def test_an_unknown_item_page_is_not_found():
    response = Client().get("/items/no-such-thing/")

    assert response.status_code == 404
