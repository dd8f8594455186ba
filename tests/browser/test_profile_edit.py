"""The profile edit page in Chromium: the journeys of the back-office issue."""

import re
from datetime import date

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from customers.models import CustomerProfile
from orders.models import Order
from tests.factories import PASSWORD, CatalogItemFactory, OrderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS_LABEL = re.compile(r"^Address:?$")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def second_tab(new_tab):
    """A tab in a browser context of its own: another person at another desk."""
    return new_tab()


def open_profile(page, profile: CustomerProfile):
    page.goto(f"/backoffice/people/users/{profile.pk}/edit/")


def save(page):
    page.get_by_role("button", name="Save", exact=True).click()


def log_in_by_form(page, email: str, password: str = PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()


def test_a_new_billing_address_goes_to_new_orders_only(
    page, second_tab, log_in, store_admin, shopper
):
    old_order = OrderFactory(customer=shopper.profile)
    item = CatalogItemFactory(name="Yearbook")
    log_in(page, store_admin)
    open_profile(page, shopper.profile)

    page.get_by_label(ADDRESS_LABEL).fill("9 New Road")
    save(page)
    expect(page.get_by_text("The profile was saved.")).to_be_visible()

    log_in(second_tab, shopper)
    second_tab.goto("/")
    second_tab.get_by_role("link", name="Yearbook").click()
    second_tab.get_by_role("button", name="Add to basket").click()
    second_tab.get_by_role("link", name="Checkout").click()
    expect(second_tab.get_by_label(ADDRESS_LABEL)).to_have_value("9 New Road")
    second_tab.get_by_label("Card number").fill("4242 4242 4242 4242")
    second_tab.get_by_label("Expiry month").fill("12")
    second_tab.get_by_label("Expiry year").fill(str(date.today().year + 2))
    second_tab.get_by_label("Security code").fill("123")
    second_tab.get_by_role("button", name="Place order").click()
    expect(second_tab.get_by_test_id("order-number")).to_be_visible()

    old_order.refresh_from_db()
    new_order = Order.objects.get(lines__item=item)
    assert (old_order.billing_line1, new_order.billing_line1) == (
        "1 School Lane",
        "9 New Road",
    )


def test_a_disabled_shopper_loses_their_session_and_cannot_log_in_until_enabled(
    page, second_tab, log_in, store_admin, shopper
):
    log_in_by_form(second_tab, shopper.email)
    expect(second_tab.get_by_role("link", name="My orders")).to_be_visible()
    log_in(page, store_admin)
    open_profile(page, shopper.profile)

    page.get_by_label("Disable Account").check()
    save(page)
    expect(page.get_by_text("Disabled", exact=True)).to_be_visible()

    second_tab.reload()
    expect(second_tab.get_by_role("link", name="Log in")).to_be_visible()
    log_in_by_form(second_tab, shopper.email)
    expect(second_tab.get_by_role("heading", name="Account disabled")).to_be_visible()

    page.get_by_label("Disable Account").uncheck()
    save(page)
    expect(page.get_by_text("The profile was saved.")).to_be_visible()
    log_in_by_form(second_tab, shopper.email)
    expect(second_tab.get_by_role("link", name="My orders")).to_be_visible()


def test_an_admin_sends_a_password_reset_email(page, log_in, store_admin, shopper):
    log_in(page, store_admin)
    open_profile(page, shopper.profile)

    page.get_by_role("button", name="Send password reset e-mail").click()

    expect(page.get_by_text(f"was sent to {shopper.email}")).to_be_visible()
    assert [message.to for message in mail.outbox] == [[shopper.email]]


def test_a_temporary_password_sends_the_shopper_to_choose_a_new_one(
    page, second_tab, log_in, store_admin, shopper
):
    log_in(page, store_admin)
    open_profile(page, shopper.profile)

    page.get_by_text("Set a temporary password", exact=True).first.click()
    page.get_by_label("Temporary password").fill("Office-temp-2027")
    page.get_by_label(re.compile("I will give this password")).check()
    page.get_by_role("button", name="Set a temporary password").click()
    expect(page.get_by_text("The temporary password is set.")).to_be_visible()

    log_in_by_form(second_tab, shopper.email, "Office-temp-2027")
    second_tab.goto("/")
    expect(second_tab).to_have_url(re.compile("/accounts/password/change/"))


def test_the_second_of_two_admins_is_told_of_the_conflict(
    page, second_tab, log_in, store_admin, other_admin, shopper
):
    log_in(page, store_admin)
    log_in(second_tab, other_admin)
    open_profile(page, shopper.profile)
    open_profile(second_tab, shopper.profile)

    second_tab.get_by_label("Phone").fill("555-0199")
    save(second_tab)
    expect(second_tab.get_by_text("The profile was saved.")).to_be_visible()
    page.get_by_label("City").fill("Shelbyville")
    save(page)

    conflict = page.get_by_role("alert").filter(has_text="saved this profile")
    expect(conflict).to_contain_text(other_admin.email)
    expect(conflict).to_contain_text("Phone: 555-0199")
    expect(page.get_by_label("City")).to_have_value("Shelbyville")
    save(page)
    expect(page.get_by_text("The profile was saved.")).to_be_visible()
    shopper.profile.refresh_from_db()
    assert (shopper.profile.phone, shopper.profile.billing_city) == (
        "555-0199",
        "Shelbyville",
    )


def test_an_admin_adds_a_card_and_makes_another_the_default(
    page, log_in, store_admin, shopper
):
    log_in(page, store_admin)
    open_profile(page, shopper.profile)

    for number in ("4242 4242 4242 4242", "5555 5555 5555 4444"):
        page.get_by_text("Add a card", exact=True).click()
        page.get_by_label("Name on card").fill("Pat Rivera")
        page.get_by_label("Card number").fill(number)
        page.get_by_label("Expiry month").fill("11")
        page.get_by_label("Expiry year").fill(str(date.today().year + 3))
        page.get_by_label("Security code").fill("321")
        page.get_by_label(re.compile("cardholder approved")).check()
        page.get_by_role("button", name="Add card").click()
        expect(page.get_by_text("was added")).to_be_visible()
    page.get_by_role("button", name="Make default").click()

    cards = page.locator("#saved-cards tbody tr")
    expect(cards.first).to_contain_text("Mastercard")
    expect(cards.first).to_contain_text("Default")
