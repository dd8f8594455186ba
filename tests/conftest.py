"""Personas and the browser harness shared by the whole suite."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from activity.agents import agent_cache
from activity.items import item_cache
from customers.permissions import STORE_ADMIN_GROUP
from tests.factories import CustomerFactory, UserFactory

# Playwright's sync API keeps an event loop on the main thread; Django would
# otherwise refuse ORM calls made from a test while a browser is open.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def forget_cached_page_view_facts():
    """The page view writer caches user agent row ids and catalog items per
    process; a test's rollback or flush removes the rows behind them."""
    yield
    agent_cache.clear()
    item_cache.clear()


def make_store_admin(email: str):
    user = UserFactory(email=email, is_staff=True)
    user.groups.add(Group.objects.get(name=STORE_ADMIN_GROUP))
    CustomerFactory(user=user, first_name="Office", last_name="Admin")
    return user


@pytest.fixture
def store_admin(db):
    """Staff in the "Store admin" group: may use the back office."""
    return make_store_admin("admin@school.example")


@pytest.fixture
def other_admin(db):
    """A second store admin, for lost-update and history tests."""
    return make_store_admin("other.admin@school.example")


@pytest.fixture
def staff_outsider(db):
    """Staff without the back-office permission."""
    return UserFactory(email="teacher@school.example", is_staff=True)


@pytest.fixture
def shopper(db):
    """A registered, verified customer with a profile."""
    return CustomerFactory(
        user__email="parent@example.com", first_name="Pat", last_name="Rivera"
    ).user


@pytest.fixture
def admin_client(store_admin):
    client = Client()
    client.force_login(store_admin)
    return client


@pytest.fixture
def shopper_client(shopper):
    client = Client()
    client.force_login(shopper)
    return client


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"Browser tests need Debian's chromium at {CHROMIUM}; CI installs it."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_tab(browser, live_server):
    """Open tabs in browser contexts of their own: other people at other desks."""
    contexts = []

    def open_tab():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        # Closing a tab fires the time-on-page beacon; answered by the server,
        # it would write to a test database that is being torn down.
        context.route("**/activity/beacon/", lambda route: route.fulfill(status=204))
        context.close()


@pytest.fixture
def page(new_tab):
    """A fresh browser tab whose relative URLs go to the live server."""
    return new_tab()


@pytest.fixture
def log_in(live_server):
    """Log a user into a browser tab without typing, by the session cookie."""

    def log_in_tab(tab, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        tab.context.add_cookies(
            [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
        )

    return log_in_tab
