"""The basket: a guest's by session, a shopper's in the database, merged at login."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from orders.basket import basket_add, basket_merge
from orders.models import Basket, BasketLine
from tests.factories import (
    BasketFactory,
    BasketLineFactory,
    CatalogItemFactory,
    CustomerFactory,
    GroupFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    return CatalogItemFactory(name="School T-shirt", price=Decimal("12.50"))


def add(client, item, quantity=1):
    return client.post("/basket/add/", {"item": item.pk, "quantity": quantity})


def test_adding_an_item_sends_the_visitor_to_the_basket(client, item):
    response = add(client, item)

    assert response.url == "/basket/"


def test_a_guest_basket_lives_in_the_session(client, item):
    add(client, item, 2)

    basket = Basket.objects.get(pk=client.session["basket_id"])
    assert (basket.customer, basket.lines.get().quantity) == (None, 2)


def test_another_browser_does_not_see_a_guest_basket(client, item):
    add(client, item)

    response = Client().get("/basket/")

    assert "School T-shirt" not in response.text


def test_a_shopper_basket_is_kept_on_the_profile(shopper, shopper_client, item):
    add(shopper_client, item)

    assert Basket.objects.get(customer=shopper.profile).lines.count() == 1


def test_a_shopper_sees_their_basket_from_another_browser(shopper, item):
    first, second = Client(), Client()
    first.force_login(shopper)
    second.force_login(shopper)
    add(first, item)

    response = second.get("/basket/")

    assert "School T-shirt" in response.text


def test_adding_the_same_item_again_adds_to_its_quantity(client, item):
    add(client, item, 2)
    add(client, item, 3)

    assert BasketLine.objects.get().quantity == 5


def test_the_basket_shows_decimal_totals_in_the_store_currency(client, item):
    add(client, item, 3)
    add(client, CatalogItemFactory(price=Decimal("0.10")), 1)

    response = client.get("/basket/")

    assert response.context["summary"].total == Decimal("37.60")
    assert "37.60 USD" in response.text


def test_a_quantity_can_be_changed(client, item):
    add(client, item)
    line = BasketLine.objects.get()

    client.post(f"/basket/lines/{line.pk}/quantity/", {f"{line.pk}-quantity": 4})

    line.refresh_from_db()
    assert line.quantity == 4


def test_a_line_can_be_removed(client, item):
    add(client, item)
    line = BasketLine.objects.get()

    client.post(f"/basket/lines/{line.pk}/remove/")

    assert not BasketLine.objects.exists()


def test_a_visitor_cannot_change_another_basket(client, item):
    other_line = BasketLineFactory(quantity=1)
    add(client, item)

    client.post(
        f"/basket/lines/{other_line.pk}/quantity/", {f"{other_line.pk}-quantity": 9}
    )

    other_line.refresh_from_db()
    assert other_line.quantity == 1


def test_a_visitor_cannot_remove_a_line_of_another_basket(client, item):
    other_line = BasketLineFactory()
    add(client, item)

    client.post(f"/basket/lines/{other_line.pk}/remove/")

    assert BasketLine.objects.filter(pk=other_line.pk).exists()


@pytest.mark.parametrize("quantity", ["-1", "0", "1000", "99999999999999999999", "x"])
def test_a_bad_quantity_when_adding_is_a_form_error(client, item, quantity):
    response = add(client, item, quantity)

    assert response.status_code == 400
    assert response.context["form"].errors["quantity"]


def test_a_bad_quantity_adds_nothing(client, item):
    add(client, item, -1)

    assert not BasketLine.objects.exists()


@pytest.mark.parametrize("quantity", ["-1", "0", "1000", "", "x"])
def test_a_bad_quantity_when_changing_is_refused_with_a_message(client, item, quantity):
    add(client, item)
    line = BasketLine.objects.get()

    response = client.post(
        f"/basket/lines/{line.pk}/quantity/",
        {f"{line.pk}-quantity": quantity},
        follow=True,
    )

    line.refresh_from_db()
    assert line.quantity == 1
    assert "between 1 and 999" in response.text


@pytest.mark.parametrize("item_id", ["999999", "-1", "abc", "", "9" * 40])
def test_an_unknown_item_id_is_refused_with_a_message(client, item_id):
    response = client.post(
        "/basket/add/", {"item": item_id, "quantity": 1}, follow=True
    )

    assert response.status_code == 200
    assert "That item is not on sale." in response.text


def test_a_group_limited_item_cannot_be_added_by_a_non_member(shopper_client):
    item = CatalogItemFactory()
    item.allowed_groups.add(GroupFactory())

    add(shopper_client, item)

    assert not BasketLine.objects.exists()


def test_an_unknown_line_id_is_harmless(client, item):
    add(client, item)

    response = client.post(f"/basket/lines/{'9' * 30}/remove/")

    assert response.status_code == 302


@pytest.mark.parametrize(
    "path", ["/basket/add/", "/basket/lines/1/quantity/", "/basket/lines/1/remove/"]
)
def test_basket_changes_are_post_only(client, path):
    assert client.get(path).status_code == 405


def test_the_guest_basket_joins_the_shopper_basket_at_login(client, shopper, item):
    existing = BasketFactory(customer=shopper.profile)
    BasketLineFactory(basket=existing, item=item, quantity=1)
    add(client, item, 2)
    add(client, other := CatalogItemFactory(), 1)

    client.force_login(shopper)

    quantities = dict(existing.lines.values_list("item_id", "quantity"))
    assert quantities == {item.pk: 3, other.pk: 1}


def test_the_guest_basket_becomes_the_shopper_basket_when_they_had_none(
    client, shopper, item
):
    add(client, item)
    guest_basket_id = client.session["basket_id"]

    client.force_login(shopper)

    assert Basket.objects.get(pk=guest_basket_id).customer == shopper.profile


def test_after_login_the_basket_page_shows_the_merged_lines(client, shopper, item):
    add(client, item, 2)

    client.force_login(shopper)
    response = client.get("/basket/")

    assert response.context["summary"].total == Decimal("25.00")


def test_a_merge_caps_the_quantity(item):
    source, target = BasketFactory(customer=None), BasketFactory()
    BasketLineFactory(basket=source, item=item, quantity=900)
    BasketLineFactory(basket=target, item=item, quantity=900)

    basket_merge(source=source, target=target)

    assert target.lines.get().quantity == 999


def test_a_merged_basket_is_left_abandoned(item):
    source, target = BasketFactory(customer=None), BasketFactory()
    BasketLineFactory(basket=source, item=item)

    basket_merge(source=source, target=target)

    source.refresh_from_db()
    assert source.status == Basket.Status.ABANDONED


def test_basket_add_makes_one_line_per_item(item):
    basket = BasketFactory(customer=CustomerFactory())

    basket_add(basket=basket, item=item, quantity=1)
    basket_add(basket=basket, item=item, quantity=1)

    assert basket.lines.count() == 1


def test_the_basket_page_query_count_does_not_grow_with_lines(client):
    for _ in range(2):
        add(client, CatalogItemFactory())

    with CaptureQueriesContext(connection) as few:
        client.get("/basket/")
    for _ in range(20):
        add(client, CatalogItemFactory())
    with CaptureQueriesContext(connection) as many:
        client.get("/basket/")

    assert len(many) == len(few)
