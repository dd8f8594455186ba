"""The page view middleware, through the whole stack (synchronous writes)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activity.models import PageView
from activity.tracking import VISITOR_COOKIE
from tests.factories import PASSWORD, CatalogItemFactory

pytestmark = pytest.mark.django_db

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
)


def test_a_storefront_page_view_is_recorded_with_what_the_request_carried(client):
    item = CatalogItemFactory(name="Yearbook", slug="yearbook", kind="product")

    client.get(
        "/items/yearbook/?colour=blue",
        HTTP_USER_AGENT=CHROME,
        HTTP_REFERER="http://testserver/",
        REMOTE_ADDR="203.0.113.9",
    )

    view = PageView.objects.get()
    assert (view.method, view.url, view.status) == (
        "GET",
        "/items/yearbook/?colour=blue",
        200,
    )
    assert view.referrer == "http://testserver/"
    assert view.ip == "203.0.113.9"
    assert view.user_agent.label == "Chrome 120.0.0 · Windows 10"
    assert (view.item_kind, view.item_id, view.item_name, view.item_icon) == (
        "product",
        item.pk,
        "Yearbook",
        "bag",
    )
    assert view.user is None


def test_a_logged_in_customers_view_belongs_to_them(shopper_client, shopper):
    shopper_client.get("/")

    assert PageView.objects.get().user == shopper


def test_a_back_office_page_view_is_recorded(admin_client, store_admin):
    admin_client.get(reverse("customers:users"))

    assert PageView.objects.get().user == store_admin


def test_a_post_is_recorded_without_its_body(client):
    client.post("/accounts/login/", {"login": "x@example.com", "password": "hunter22"})

    view = PageView.objects.get()
    assert view.method == "POST"
    assert "hunter22" not in f"{view.url} {view.referrer}"


@pytest.mark.parametrize(
    "path", ["/static/css/epaytrak.css", "/healthz", "/favicon.ico"]
)
def test_static_files_and_health_checks_are_not_page_views(client, path):
    client.get(path)

    assert not PageView.objects.exists()


def test_a_new_visitor_gets_a_visitor_cookie_that_names_their_views(client):
    response = client.get("/")

    cookie = response.cookies[VISITOR_COOKIE]
    assert cookie["httponly"]
    assert PageView.objects.get().visitor.hex == cookie.value


def test_a_returning_visitor_keeps_their_cookie(client):
    client.get("/")
    first = client.cookies[VISITOR_COOKIE].value

    response = client.get("/")

    assert VISITOR_COOKIE not in response.cookies
    assert {view.visitor.hex for view in PageView.objects.all()} == {first}


def test_a_forged_visitor_cookie_is_replaced(client):
    client.cookies[VISITOR_COOKIE] = "<script>not-a-uuid</script>"

    response = client.get("/")

    assert PageView.objects.get().visitor.hex == response.cookies[VISITOR_COOKIE].value


def test_logout_rotates_the_visitor_cookie(shopper_client, shopper):
    shopper_client.get("/")
    before = shopper_client.cookies[VISITOR_COOKIE].value

    response = shopper_client.post(reverse("account_logout"))

    assert response.cookies[VISITOR_COOKIE].value != before


def test_the_logout_request_itself_still_belongs_to_the_customer(
    shopper_client, shopper
):
    shopper_client.get("/")

    shopper_client.post(reverse("account_logout"))

    logout_view = PageView.objects.get(method="POST")
    assert logout_view.user == shopper


def test_views_after_logout_start_a_new_anonymous_visitor(shopper_client, shopper):
    shopper_client.get("/")
    shopper_client.post(reverse("account_logout"))

    shopper_client.get("/")

    first, _, after = PageView.objects.order_by("viewed_at", "id")
    assert after.user is None
    assert after.visitor != first.visitor


def test_a_guests_views_join_the_customer_when_they_log_in(shopper):
    browser = Client()
    browser.get("/")
    browser.get("/basket/")

    browser.post(
        reverse("account_login"), {"login": shopper.email, "password": PASSWORD}
    )

    assert PageView.objects.filter(user=shopper).count() == 3


def test_views_older_than_the_window_do_not_join_at_login(shopper):
    browser = Client()
    browser.get("/")
    PageView.objects.update(viewed_at=timezone.now() - timedelta(days=2))

    browser.post(
        reverse("account_login"), {"login": shopper.email, "password": PASSWORD}
    )

    assert PageView.objects.filter(user__isnull=True).count() == 1


def test_another_visitors_views_do_not_join_at_login(shopper):
    Client().get("/")
    browser = Client()

    browser.post(
        reverse("account_login"), {"login": shopper.email, "password": PASSWORD}
    )

    assert PageView.objects.filter(user__isnull=True).count() == 1
