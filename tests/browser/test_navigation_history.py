"""A guest browses and buys; an admin follows their steps in the back office."""

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from activity.models import PageView
from orders.models import Order
from tests.factories import CatalogItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_page(browser, live_server, log_in, store_admin):
    """The admin's own browser, so their views are not the guest's visitor's."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    log_in(tab, store_admin)
    yield tab
    context.close()


def guest_buys(page, item):
    page.goto("/")
    page.get_by_role("link", name=item.name).click()
    expect(page.get_by_role("heading", name=item.name)).to_be_visible()
    page.wait_for_timeout(300)  # some visible time for the beacon to report
    page.get_by_role("button", name="Add to basket").click()
    page.get_by_role("link", name="Checkout").click()
    page.get_by_label("E-mail").fill("jordan@example.com")
    page.get_by_label("Name on the bill").fill("Jordan Lee")
    page.get_by_label(re.compile(r"^Address:?$")).fill("9 Elm Street")
    page.get_by_label("City").fill("Riverton")
    page.get_by_label("Postal code").fill("82501")
    page.get_by_label("Country").fill("US")
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry month").fill("12")
    page.get_by_label("Expiry year").fill(str(date.today().year + 2))
    page.get_by_label("Security code").fill("123")
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    # Leave the confirmation so its beacon is sent now, not while the test
    # database is being emptied at teardown.
    page.goto("about:blank")


def test_an_admin_follows_a_guests_visit_from_the_profile(page, admin_page):
    item = CatalogItemFactory(name="School T-shirt", price=Decimal("12.50"))
    guest_buys(page, item)
    customer = Order.objects.get().customer
    item_url = f"/items/{item.slug}/"

    admin_page.goto(f"/backoffice/people/users/{customer.pk}/edit/")
    recent = admin_page.locator("#recent-page-views")
    expect(recent.get_by_text(item_url, exact=True)).to_be_visible()
    expect(recent.get_by_role("img", name="School T-shirt")).to_be_visible()
    recent.get_by_role("link", name="See All").click()

    expect(
        admin_page.get_by_role("heading", name="Customer Navigation History")
    ).to_be_visible()
    rows = admin_page.locator("table tbody tr")
    shown_urls = rows.locator("td:nth-child(4)").all_inner_texts()
    stored = PageView.objects.filter(user=customer.user).order_by("viewed_at", "id")
    assert shown_urls == [view.url for view in stored]
    assert shown_urls[:2] == ["/", item_url]
    assert {"GET", "POST"} <= set(rows.locator("td:nth-child(3)").all_inner_texts())
    item_cells = rows.filter(has_text=item_url).first.locator("td")
    expect(item_cells.nth(1)).to_have_text("127.0.0.1")
    expect(item_cells.nth(2)).to_have_text("GET")
    measured = PageView.objects.get(url=item_url).time_on_page_ms
    assert measured >= 300  # reported by the beacon script, not estimated
    expect(item_cells.nth(4)).to_have_text(str(measured))
    expect(item_cells.nth(6)).to_have_text(re.compile(r"Chrome [\d.]+ · Linux"))
    expect(item_cells.nth(7).get_by_role("img", name="School T-shirt")).to_be_visible()
