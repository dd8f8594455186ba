"""The checkout pages: guest and registered checkout, confirmation, My orders."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from customers.models import CustomerProfile, User
from orders.gateway import Card, get_gateway
from orders.models import Basket, Order, OrderStatus
from orders.views import storefront
from tests.factories import (
    CatalogItemFactory,
    CustomerFactory,
    GroupFactory,
    OrderFactory,
    SavedCardFactory,
)

pytestmark = pytest.mark.django_db

GOOD_NUMBER = "4242 4242 4242 4242"
DECLINED_NUMBER = "4000 0000 0000 0002"
CVC = "737"
ADDRESS = {
    "billing_name": "Jordan Lee",
    "billing_line1": "9 Elm Street",
    "billing_line2": "",
    "billing_city": "Riverton",
    "billing_region": "WY",
    "billing_postal_code": "82501",
    "billing_country": "US",
}


@pytest.fixture
def item():
    return CatalogItemFactory(name="School T-shirt", price=Decimal("12.50"))


@pytest.fixture
def guest(item):
    """A browser with the T-shirt in its basket."""
    client = Client()
    client.post("/basket/add/", {"item": item.pk, "quantity": 2})
    return client


@pytest.fixture
def basket_client(shopper, item):
    client = Client()
    client.force_login(shopper)
    client.post("/basket/add/", {"item": item.pk, "quantity": 2})
    return client


def checkout_key(client) -> str:
    page = client.get("/checkout/").text
    return re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)


def card_fields(number=GOOD_NUMBER):
    return {
        "card": "new",
        "card_number": number,
        "exp_month": "12",
        "exp_year": str(date.today().year + 2),
        "cvc": CVC,
        "holder_name": "Jordan Lee",
    }


def guest_data(client, email="jordan@example.com", **overrides):
    data = {
        "idempotency_key": checkout_key(client),
        "email": email,
        **ADDRESS,
        **card_fields(),
    }
    data.update(overrides)
    return data


def test_an_empty_basket_sends_checkout_back_to_the_basket(client):
    response = client.get("/checkout/")

    assert response.url == "/basket/"


def test_the_checkout_form_carries_an_idempotency_key(guest):
    assert len(checkout_key(guest)) >= 16


def test_each_checkout_page_gets_its_own_key(guest):
    assert checkout_key(guest) != checkout_key(guest)


def test_a_guest_order_ends_on_the_confirmation_with_its_number(guest):
    response = guest.post("/checkout/", guest_data(guest), follow=True)

    order = Order.objects.get()
    assert order.number in response.text
    assert response.redirect_chain[-1][0] == f"/checkout/{order.number}/done/"


def test_a_guest_order_is_paid_for_the_basket_total(guest):
    guest.post("/checkout/", guest_data(guest))

    order = Order.objects.get()
    assert (order.status, order.total, order.is_guest, order.placed_by) == (
        OrderStatus.PAID,
        Decimal("25.00"),
        True,
        None,
    )


def test_a_guest_order_makes_a_guest_profile_without_a_usable_password(guest):
    guest.post("/checkout/", guest_data(guest, email="Jordan@Example.com"))

    user = User.objects.get(email="jordan@example.com")
    assert user.profile.is_guest
    assert not user.has_usable_password()


def test_a_new_guest_profile_takes_the_billing_address_of_its_first_order(guest):
    guest.post("/checkout/", guest_data(guest))

    profile = CustomerProfile.objects.get(user__email="jordan@example.com")
    assert profile.billing_address() == ADDRESS
    assert (profile.first_name, profile.last_name) == ("Jordan", "Lee")


def test_a_second_guest_order_lands_on_the_same_profile(guest, item):
    guest.post("/checkout/", guest_data(guest))
    guest.post("/basket/add/", {"item": item.pk, "quantity": 1})

    guest.post("/checkout/", guest_data(guest, email="JORDAN@example.COM"))

    assert Order.objects.count() == 2
    assert Order.objects.values("customer").distinct().count() == 1


def test_a_later_guest_order_does_not_change_the_profile(guest, item):
    guest.post("/checkout/", guest_data(guest))
    guest.post("/basket/add/", {"item": item.pk, "quantity": 1})

    guest.post("/checkout/", guest_data(guest, billing_line1="1 Elsewhere Road"))

    profile = CustomerProfile.objects.get(user__email="jordan@example.com")
    assert profile.billing_line1 == "9 Elm Street"
    assert Order.objects.filter(billing_line1="1 Elsewhere Road").exists()


def test_a_guest_order_with_a_registered_address_goes_to_that_profile(guest, shopper):
    before = shopper.profile.billing_address()

    guest.post("/checkout/", guest_data(guest, email="PARENT@example.com"))

    order = Order.objects.get()
    shopper.profile.refresh_from_db()
    assert order.customer == shopper.profile
    assert shopper.profile.billing_address() == before


def test_a_guest_checkout_with_a_disabled_account_address_is_refused(guest):
    CustomerFactory(user__email="blocked@example.com", user__is_active=False)

    response = guest.post("/checkout/", guest_data(guest, email="Blocked@example.com"))

    assert response.status_code == 400
    assert "disabled" in response.text
    assert not Order.objects.exists()


def test_a_declined_card_shows_the_error_and_keeps_the_basket(guest):
    data = guest_data(guest, card_number=DECLINED_NUMBER)

    response = guest.post("/checkout/", data)

    assert "The card was declined." in response.text
    assert Basket.objects.get().status == Basket.Status.OPEN
    assert not Order.objects.exists()


def test_a_declined_card_leaves_no_guest_profile_behind(guest):
    guest.post("/checkout/", guest_data(guest, card_number=DECLINED_NUMBER))

    assert not User.objects.filter(email="jordan@example.com").exists()


def test_a_declined_card_is_not_shown_back(guest):
    response = guest.post("/checkout/", guest_data(guest, card_number=DECLINED_NUMBER))

    assert DECLINED_NUMBER not in response.text
    assert DECLINED_NUMBER.replace(" ", "") not in response.text
    assert f'value="{CVC}"' not in response.text


def test_a_refused_checkout_gets_a_fresh_key_for_the_retry(guest):
    data = guest_data(guest, card_number=DECLINED_NUMBER)

    response = guest.post("/checkout/", data)

    assert data["idempotency_key"] not in response.text


def test_a_form_error_does_not_show_the_card_number_back(guest):
    response = guest.post("/checkout/", guest_data(guest, billing_city=""))

    assert response.status_code == 400
    assert GOOD_NUMBER not in response.text
    assert f'value="{CVC}"' not in response.text


def test_a_retry_after_a_decline_places_the_order(guest):
    response = guest.post("/checkout/", guest_data(guest, card_number=DECLINED_NUMBER))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', response.text)

    guest.post("/checkout/", guest_data(guest, idempotency_key=key.group(1)))

    assert Order.objects.get().status == OrderStatus.PAID


def test_two_identical_posts_make_one_order(guest):
    data = guest_data(guest)

    first = guest.post("/checkout/", data)
    second = guest.post("/checkout/", data)

    assert Order.objects.count() == 1
    assert first.url == second.url


def test_a_retried_post_from_another_browser_makes_no_second_order(guest, item):
    data = guest_data(guest)
    guest.post("/checkout/", data)
    other = Client()
    other.post("/basket/add/", {"item": item.pk, "quantity": 2})

    other.post("/checkout/", data)

    assert Order.objects.count() == 1


def test_a_placed_order_marks_the_basket_ordered_and_empties_the_page(guest):
    guest.post("/checkout/", guest_data(guest))

    assert Basket.objects.get().status == Basket.Status.ORDERED
    assert "Your basket is empty." in guest.get("/basket/").text


def test_the_receipt_is_emailed(guest, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        guest.post("/checkout/", guest_data(guest))

    assert mail.outbox[0].to == ["jordan@example.com"]
    assert Order.objects.get().number in mail.outbox[0].body


def test_the_guest_page_views_join_the_profile(guest, monkeypatch):
    attached = []
    monkeypatch.setattr(
        storefront,
        "attach_visitor_views",
        lambda request, user: attached.append(user.email) or 0,
    )

    guest.post("/checkout/", guest_data(guest))

    assert attached == ["jordan@example.com"]


def test_the_checkout_view_hides_card_fields_from_error_reports(guest):
    response = guest.post("/checkout/", guest_data(guest))

    assert set(response.wsgi_request.sensitive_post_parameters) == {
        "card_number",
        "cvc",
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {"email": ""},
        {"email": "not-an-address"},
        {"billing_name": "x" * 10_000},
        {"billing_line1": ""},
        {"billing_country": "USA"},
        {"card_number": ""},
        {"card_number": "4242"},
        {"card_number": "abcd abcd abcd abcd"},
        {"card_number": "4" * 10_000},
        {"exp_month": "13"},
        {"exp_year": "99"},
        {"exp_year": "9" * 30},
        {"cvc": "12"},
        {"cvc": "x" * 10_000},
        {"card": "12345"},
        {"idempotency_key": ""},
        {"idempotency_key": "'; drop table orders; --"},
        {"idempotency_key": "k" * 10_000},
    ],
)
def test_bad_checkout_input_is_a_form_error(guest, overrides):
    response = guest.post("/checkout/", guest_data(guest, **overrides))

    assert response.status_code == 400
    assert not response.context["form"].is_valid()
    assert not Order.objects.exists()


def test_a_card_failing_luhn_is_refused_with_a_message(guest):
    response = guest.post(
        "/checkout/", guest_data(guest, card_number="4242 4242 4242 4241")
    )

    assert "The card number is not valid." in response.text


def test_an_item_no_longer_available_is_refused_and_the_basket_kept(guest, item):
    item.is_available = False
    item.save()

    response = guest.post("/checkout/", guest_data(guest))

    assert "no longer available" in response.text
    assert Basket.objects.get().lines.count() == 1


def test_a_group_limited_item_is_refused_for_a_non_member(shopper, basket_client, item):
    band = GroupFactory(name="Band")
    item.allowed_groups.add(band)

    response = basket_client.post(
        "/checkout/",
        {"idempotency_key": "k" * 20, **ADDRESS, **card_fields()},
    )

    assert "only sold to members" in response.text
    assert not Order.objects.exists()


def test_the_shopper_checkout_starts_from_the_profile_address(basket_client, shopper):
    response = basket_client.get("/checkout/")

    assert response.context["form"]["billing_line1"].value() == "1 School Lane"


def test_the_shopper_checkout_does_not_ask_for_an_email(basket_client):
    response = basket_client.get("/checkout/")

    assert "email" not in response.context["form"].fields


def test_a_shopper_order_is_not_a_guest_order(basket_client, shopper):
    basket_client.post(
        "/checkout/", {"idempotency_key": "k" * 20, **ADDRESS, **card_fields()}
    )

    order = Order.objects.get()
    assert (order.customer, order.is_guest) == (shopper.profile, False)


def test_a_shopper_pays_with_a_saved_card(basket_client, shopper):
    token = get_gateway().tokenize(
        Card(number=GOOD_NUMBER, exp_month=12, exp_year=2040, cvc=CVC)
    )
    card = SavedCardFactory(customer=shopper.profile, gateway_token=token.token)

    basket_client.post(
        "/checkout/", {"idempotency_key": "k" * 20, **ADDRESS, "card": str(card.pk)}
    )

    assert Order.objects.get().status == OrderStatus.PAID


def test_a_shopper_cannot_pay_with_another_customers_card(basket_client):
    card = SavedCardFactory()

    response = basket_client.post(
        "/checkout/", {"idempotency_key": "k" * 20, **ADDRESS, "card": str(card.pk)}
    )

    assert response.status_code == 400
    assert not Order.objects.exists()


def test_a_shopper_may_save_the_new_card(basket_client, shopper):
    basket_client.post(
        "/checkout/",
        {"idempotency_key": "k" * 20, **ADDRESS, **card_fields(), "save_card": "on"},
    )

    assert shopper.profile.saved_cards.get().last4 == "4242"


def test_a_shopper_checkout_leaves_the_profile_address_alone(basket_client, shopper):
    basket_client.post(
        "/checkout/", {"idempotency_key": "k" * 20, **ADDRESS, **card_fields()}
    )

    shopper.profile.refresh_from_db()
    assert shopper.profile.billing_line1 == "1 School Lane"


def test_the_confirmation_is_not_shown_to_another_browser(guest):
    guest.post("/checkout/", guest_data(guest))

    response = Client().get(f"/checkout/{Order.objects.get().number}/done/")

    assert response.status_code == 404


def test_the_confirmation_of_someone_elses_order_is_not_found(shopper_client):
    order = OrderFactory()

    response = shopper_client.get(f"/checkout/{order.number}/done/")

    assert response.status_code == 404


def test_my_orders_needs_a_login(client):
    response = client.get("/my/orders/")

    assert response.url.startswith("/accounts/login/")


def test_an_order_page_needs_a_login(client):
    order = OrderFactory()

    response = client.get(f"/my/orders/{order.number}/")

    assert response.url.startswith("/accounts/login/")


def test_my_orders_lists_only_the_shoppers_orders(shopper, shopper_client):
    mine = OrderFactory(customer=shopper.profile)
    theirs = OrderFactory()

    response = shopper_client.get("/my/orders/")

    assert mine.number in response.text
    assert theirs.number not in response.text


def test_a_shopper_sees_their_order_page(shopper, shopper_client):
    order = OrderFactory(customer=shopper.profile)

    response = shopper_client.get(f"/my/orders/{order.number}/")

    assert response.status_code == 200


def test_someone_elses_order_page_is_not_found(shopper_client):
    order = OrderFactory()

    response = shopper_client.get(f"/my/orders/{order.number}/")

    assert response.status_code == 404


def test_a_staff_outsider_sees_no_customer_orders(staff_outsider):
    order = OrderFactory()
    client = Client()
    client.force_login(staff_outsider)

    response = client.get(f"/my/orders/{order.number}/")

    assert response.status_code == 404


def test_my_orders_query_count_does_not_grow_with_orders(shopper, shopper_client):
    OrderFactory(customer=shopper.profile)
    with CaptureQueriesContext(connection) as few:
        shopper_client.get("/my/orders/")
    OrderFactory.create_batch(15, customer=shopper.profile)
    with CaptureQueriesContext(connection) as many:
        shopper_client.get("/my/orders/")

    assert len(many) == len(few)
