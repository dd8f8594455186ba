"""People > Users in Chromium: search, then Edit."""

import pytest
from playwright.sync_api import expect

from tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_searches_people_and_opens_the_profile(page, log_in, store_admin):
    CustomerFactory(first_name="Maya", last_name="Garcia")
    CustomerFactory(first_name="Liam", last_name="Nguyen")
    log_in(page, store_admin)
    page.goto("/backoffice/")

    page.get_by_role("link", name="Users").click()
    page.get_by_label("E-mail or name").fill("garc")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("row")).to_have_count(2)
    page.get_by_role("link", name="Edit").click()

    expect(page.get_by_role("heading", name="Maya Garcia")).to_be_visible()


def test_an_exact_email_search_opens_the_profile_at_once(page, log_in, store_admin):
    CustomerFactory(user__email="liam@example.com", first_name="Liam", last_name="Kim")
    log_in(page, store_admin)
    page.goto("/backoffice/people/users/")

    page.get_by_label("E-mail or name").fill("LIAM@example.com")
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", name="Liam Kim")).to_be_visible()


def test_a_too_short_search_says_what_is_wrong(page, log_in, store_admin):
    log_in(page, store_admin)
    page.goto("/backoffice/people/users/")

    page.get_by_label("E-mail or name").fill("ab")
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_text("Type at least 3 characters.")).to_be_visible()
