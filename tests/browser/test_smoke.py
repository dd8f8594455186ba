import pytest
from playwright.sync_api import expect

from tests.factories import CatalogItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_sees_the_catalog(page):
    CatalogItemFactory(name="School T-shirt")

    page.goto("/")

    expect(page.get_by_role("link", name="School T-shirt")).to_be_visible()


def test_the_back_office_sends_a_visitor_to_the_login_page(page):
    page.goto("/backoffice/")

    expect(page).to_have_url("/accounts/login/?next=/backoffice/")
    expect(page.get_by_label("Email")).to_be_visible()


def test_a_store_admin_reaches_the_order_manager(page, log_in, store_admin):
    log_in(page, store_admin)

    page.goto("/backoffice/")

    expect(page.get_by_role("heading", name="Order Manager")).to_be_visible()
