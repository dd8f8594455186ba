"""Shopper journeys through the storefront in Chromium."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from orders.gateway import Card, get_gateway
from orders.models import Basket, Order
from tests.factories import CatalogItemFactory, SavedCardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD_NUMBER = "4242 4242 4242 4242"
DECLINED_NUMBER = "4000 0000 0000 0002"
PASSWORD = "a-long-new-secret-42"
ADDRESS_LABEL = re.compile(r"^Address:?$")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def quiet_beacon(page):
    """Answer the time-on-page beacon in the browser: these journeys do not
    need it, and a beacon sent as the tab closes would race the SQLite flush
    that ends the test."""
    page.route("**/activity/beacon/", lambda route: route.fulfill(status=204))


@pytest.fixture
def item():
    return CatalogItemFactory(name="School T-shirt", price=Decimal("12.50"))


def add_to_basket(page, item, quantity=1):
    page.goto("/")
    page.get_by_role("link", name=item.name).click()
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_role("button", name="Add to basket").click()
    expect(page.get_by_role("heading", name="Basket")).to_be_visible()


def fill_billing(page):
    page.get_by_label("Name on the bill").fill("Jordan Lee")
    page.get_by_label(ADDRESS_LABEL).fill("9 Elm Street")
    page.get_by_label("City").fill("Riverton")
    page.get_by_label("Postal code").fill("82501")
    page.get_by_label("Country").fill("US")


def fill_card(page, number=GOOD_NUMBER):
    page.get_by_label("Card number").fill(number)
    page.get_by_label("Expiry month").fill("12")
    page.get_by_label("Expiry year").fill(str(date.today().year + 2))
    page.get_by_label("Security code").fill("123")


def guest_checkout(page, item, email="jordan@example.com", number=GOOD_NUMBER):
    add_to_basket(page, item, 2)
    page.get_by_role("link", name="Checkout").click()
    page.get_by_label("E-mail").fill(email)
    fill_billing(page)
    fill_card(page, number)
    page.get_by_role("button", name="Place order").click()


def test_a_guest_checks_out_end_to_end(page, item):
    guest_checkout(page, item)

    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    order = Order.objects.get()
    expect(page.get_by_test_id("order-number")).to_have_text(order.number)
    assert (order.total, order.customer.user.email) == (
        Decimal("25.00"),
        "jordan@example.com",
    )


def test_a_guest_gets_a_receipt_by_email(page, item):
    guest_checkout(page, item)

    expect(page.get_by_test_id("order-number")).to_be_visible()
    assert Order.objects.get().number in mail.outbox[-1].subject


def test_a_second_guest_order_lands_on_the_same_profile(page, new_tab, item):
    guest_checkout(page, item)
    expect(page.get_by_test_id("order-number")).to_be_visible()
    second = new_tab()

    guest_checkout(second, item, email="Jordan@Example.com")

    expect(second.get_by_test_id("order-number")).to_be_visible()
    assert Order.objects.count() == 2
    assert Order.objects.values("customer").distinct().count() == 1


def test_a_declined_card_shows_the_error_and_keeps_the_basket(page, item):
    guest_checkout(page, item, number=DECLINED_NUMBER)

    expect(page.get_by_test_id("checkout-error")).to_contain_text(
        "The card was declined."
    )
    expect(page.get_by_label("Card number")).to_have_value("")
    assert not Order.objects.exists()
    page.get_by_role("link", name="Basket").click()
    expect(page.get_by_test_id("basket-total")).to_have_text("25.00 USD")


def test_a_shopper_checks_out_with_a_saved_card(page, log_in, shopper, item):
    token = get_gateway().tokenize(
        Card(number=GOOD_NUMBER, exp_month=12, exp_year=2040, cvc="123")
    )
    SavedCardFactory(
        customer=shopper.profile, gateway_token=token.token, is_default=True
    )
    log_in(page, shopper)
    add_to_basket(page, item)
    page.get_by_role("link", name="Checkout").click()

    expect(page.get_by_label(ADDRESS_LABEL)).to_have_value("1 School Lane")
    expect(page.get_by_label("Card number")).to_be_hidden()
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_test_id("order-number")).to_be_visible()
    order = Order.objects.get()
    assert (order.customer, order.is_guest, order.status) == (
        shopper.profile,
        False,
        "paid",
    )


def test_choosing_a_new_card_shows_its_fields(page, log_in, shopper, item):
    SavedCardFactory(customer=shopper.profile, is_default=True)
    log_in(page, shopper)
    add_to_basket(page, item)
    page.get_by_role("link", name="Checkout").click()

    page.get_by_label("A new card").check()

    expect(page.get_by_label("Card number")).to_be_visible()


def test_a_shopper_can_change_a_quantity_and_remove_a_line(page, item):
    add_to_basket(page, item)

    page.get_by_label("Quantity of School T-shirt").fill("3")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_test_id("basket-total")).to_have_text("37.50 USD")
    page.get_by_role("button", name="Remove School T-shirt").click()

    expect(page.get_by_text("Your basket is empty.")).to_be_visible()
    assert not Basket.objects.get().lines.exists()


def test_signing_up_and_verifying_claims_the_guest_orders(page, item):
    guest_checkout(page, item)
    expect(page.get_by_test_id("order-number")).to_be_visible()
    number = Order.objects.get().number

    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill("jordan@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(
        page.get_by_role("heading", name="Verify Your Email Address")
    ).to_be_visible()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body)
    page.goto(link[0])
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("link", name="My orders").click()

    expect(page.get_by_role("link", name=number)).to_be_visible()
