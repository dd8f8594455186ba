"""The Order Manager in Chromium: search, the order page, edits and placing orders."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from customers.models import CustomerProfile
from orders.models import Order, OrderStatus, PaymentMethod
from tests.factories import (
    BasketFactory,
    BasketLineFactory,
    CatalogItemFactory,
    CustomerFactory,
    GuestCustomerFactory,
    OrderFactory,
    SavedCardFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_guest_order_is_found_by_email_and_leads_to_the_profile(
    page, log_in, store_admin
):
    guest = GuestCustomerFactory(
        user__email="guest.family@mail.example", first_name="Jordan", last_name="Lee"
    )
    order = OrderFactory(customer=guest, is_guest=True)
    OrderFactory()
    log_in(page, store_admin)
    page.goto("/backoffice/")

    page.get_by_label("Search").first.fill("guest.family@mail.example")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("table.table tbody tr")).to_have_count(1)
    page.get_by_role("link", name=order.number).click()

    expect(page.get_by_role("heading", name=f"Order {order.number}")).to_be_visible()
    expect(page.get_by_role("link", name="Summary")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("main").get_by_text("Guest", exact=True).first).to_be_visible()
    page.get_by_role("link", name="Customer Profile").click()

    expect(page).to_have_url(re.compile(rf"/backoffice/people/users/{guest.pk}/edit/$"))
    expect(page.get_by_role("heading", name="Jordan Lee")).to_be_visible()


def test_an_exact_order_number_opens_the_order(page, log_in, store_admin):
    order = OrderFactory(number="ABCD2345")
    log_in(page, store_admin)
    page.goto("/backoffice/orders/")

    page.get_by_label("Search").first.fill("abcd-2345")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name=f"Order {order.number}")).to_be_visible()


def test_a_two_letter_search_says_what_is_wrong(page, log_in, store_admin):
    log_in(page, store_admin)
    page.goto("/backoffice/orders/")

    page.get_by_label("Search").first.fill("ab")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page.get_by_text("Type at least three characters")).to_be_visible()


def test_editing_one_orders_address_leaves_the_profile_unchanged(
    page, log_in, store_admin
):
    customer = CustomerFactory(billing_line1="1 School Lane")
    order = OrderFactory(customer=customer, billing_line1="1 School Lane")
    log_in(page, store_admin)
    page.goto(f"/backoffice/orders/{order.number}/")

    page.get_by_role("link", name="Billing address").click()
    page.get_by_label("Address:", exact=True).fill("77 New Road")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("This order's billing address was saved")).to_be_visible()
    page.get_by_role("link", name="Summary").click()
    expect(page.locator("address")).to_contain_text("77 New Road")
    assert CustomerProfile.objects.get(pk=customer.pk).billing_line1 == "1 School Lane"


def test_a_part_of_an_order_is_refunded(page, log_in, store_admin):
    order = OrderFactory(
        status=OrderStatus.PAID,
        total=Decimal("40.00"),
        amount_paid=Decimal("40.00"),
        payment_method=PaymentMethod.CARD,
        payment_reference="ch_sandbox_demo1",
    )
    log_in(page, store_admin)
    page.goto(f"/backoffice/orders/{order.number}/")

    page.get_by_role("link", name="Payments").click()
    page.get_by_label("Amount to refund").fill("15.00")
    page.get_by_label("Reason").fill("One ticket returned")
    page.get_by_role("button", name="Refund").click()

    expect(page.get_by_text("15.00 USD was refunded.")).to_be_visible()
    expect(page.locator(".badge").first).to_have_text("Partially refunded")
    page.get_by_role("link", name="History & Notes").click()
    expect(
        page.get_by_text("Refunded 15.00 by card. One ticket returned")
    ).to_be_visible()


def test_refunding_more_than_was_paid_is_refused_in_the_form(page, log_in, store_admin):
    order = OrderFactory(
        status=OrderStatus.PAID,
        total=Decimal("40.00"),
        amount_paid=Decimal("40.00"),
        payment_method=PaymentMethod.CASH,
    )
    log_in(page, store_admin)
    page.goto(f"/backoffice/orders/{order.number}/payments/")

    page.get_by_label("Amount to refund").evaluate("el => el.removeAttribute('max')")
    page.get_by_label("Amount to refund").fill("40.01")
    page.get_by_role("button", name="Refund").click()

    expect(page.get_by_text("At most 40.00 can be refunded")).to_be_visible()


def place_from_profile(page, customer) -> None:
    page.goto(f"/backoffice/people/users/{customer.pk}/edit/")
    page.get_by_role("link", name="Place order").click()
    expect(page.get_by_role("heading", name="Place an order for")).to_be_visible()


def test_an_admin_places_an_order_paid_with_a_saved_card(page, log_in, store_admin):
    customer = CustomerFactory(first_name="Maya", last_name="Garcia")
    SavedCardFactory(customer=customer, last4="4242", is_default=True)
    CatalogItemFactory(name="Yearbook 2027", price=Decimal("35.00"))
    log_in(page, store_admin)

    place_from_profile(page, customer)
    page.get_by_label("Yearbook 2027").fill("2")
    page.get_by_label("Charge a saved card").check()
    page.get_by_label(re.compile("4242")).check()
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_text("was placed for Maya Garcia")).to_be_visible()
    order = Order.objects.get(customer=customer)
    assert (order.total, order.payment_method, order.placed_by) == (
        Decimal("70.00"),
        PaymentMethod.CARD,
        store_admin,
    )


def test_an_admin_places_an_order_paid_in_cash_from_the_basket(
    page, log_in, store_admin
):
    customer = CustomerFactory(first_name="Liam", last_name="Nguyen")
    item = CatalogItemFactory(name="School T-shirt", price=Decimal("12.50"))
    BasketLineFactory(basket=BasketFactory(customer=customer), item=item, quantity=3)
    log_in(page, store_admin)

    place_from_profile(page, customer)
    page.get_by_role("link", name="Take over current basket").click()
    expect(page.get_by_label("School T-shirt")).to_have_value("3")
    page.get_by_label("Cash received").check()
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_text("was placed for Liam Nguyen")).to_be_visible()
    expect(page.get_by_text("Staff: admin@school.example")).to_be_visible()
    order = Order.objects.get(customer=customer)
    assert (order.total, order.status, order.payment_method) == (
        Decimal("37.50"),
        OrderStatus.PAID,
        PaymentMethod.CASH,
    )


def test_the_bulk_action_changes_the_ticked_orders(page, log_in, store_admin):
    orders = [OrderFactory(status=OrderStatus.PAID) for _ in range(3)]
    log_in(page, store_admin)
    page.goto("/backoffice/orders/")

    page.get_by_label("Select all orders on this page").check()
    page.get_by_label("Mark the ticked orders").select_option("fulfilled")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Change status").click()

    expect(page.get_by_text("3 orders marked Fulfilled.")).to_be_visible()
    assert {o.status for o in Order.objects.filter(pk__in=[o.pk for o in orders])} == {
        OrderStatus.FULFILLED
    }


def test_a_filter_chip_removes_its_filter(page, log_in, store_admin):
    OrderFactory(status=OrderStatus.PAID)
    OrderFactory(status=OrderStatus.PENDING, amount_paid=0)
    log_in(page, store_admin)
    page.goto("/backoffice/orders/?status=pending")
    expect(page.locator("table.table tbody tr")).to_have_count(1)

    page.get_by_role("link", name="Remove filter Status: Pending").click()

    expect(page.locator("table.table tbody tr")).to_have_count(2)


def test_the_chart_is_drawn_above_the_results(page, log_in, store_admin):
    OrderFactory()
    log_in(page, store_admin)
    page.goto("/backoffice/orders/")

    chart = page.get_by_role("img", name=re.compile("Chart: orders per day"))

    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.naturalWidth") > 0
