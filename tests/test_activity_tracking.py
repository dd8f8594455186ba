"""Visitors joining customers at checkout, and the time-on-page beacon."""

import uuid
from datetime import date, timedelta

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from activity.ids import beacon_token, new_view_id, view_id_for, view_id_time
from activity.ingest import ATTACH_MAX_VIEWS
from activity.models import PageView
from activity.tracking import VISITOR_COOKIE, attach_visitor_views, page_views_reassign
from tests.factories import CatalogItemFactory, CustomerFactory, PageViewFactory

pytestmark = pytest.mark.django_db

BEACON = "/activity/beacon/"


def request_with_visitor(visitor: uuid.UUID):
    request = RequestFactory().get("/")
    request.COOKIES[VISITOR_COOKIE] = visitor.hex
    return request


def test_a_view_id_carries_its_time_to_the_millisecond():
    moment = timezone.now().replace(microsecond=123000)

    assert view_id_time(view_id_for(moment)) == moment


def test_view_ids_made_in_the_same_millisecond_differ():
    now_ms = 1_800_000_000_000

    assert len({new_view_id(now_ms) for _ in range(1000)}) == 1000


def test_a_guests_views_join_the_profile_when_they_place_an_order():
    item = CatalogItemFactory(name="School T-shirt")
    browser = Client()
    browser.get(f"/items/{item.slug}/")
    browser.post("/basket/add/", {"item": item.pk, "quantity": 1})
    page = browser.get("/checkout/").text
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]

    browser.post(
        "/checkout/",
        {
            "idempotency_key": key,
            "email": "jordan@example.com",
            "billing_name": "Jordan Lee",
            "billing_line1": "9 Elm Street",
            "billing_city": "Riverton",
            "billing_region": "WY",
            "billing_postal_code": "82501",
            "billing_country": "US",
            "card": "new",
            "card_number": "4242 4242 4242 4242",
            "exp_month": "12",
            "exp_year": str(date.today().year + 2),
            "cvc": "737",
            "holder_name": "Jordan Lee",
        },
    )

    views = PageView.objects.filter(user__email="jordan@example.com")
    assert views.filter(item_name="School T-shirt").exists()
    assert views.filter(method="POST", url="/checkout/").exists()


def test_attaching_moves_only_this_visitors_unowned_views():
    customer = CustomerFactory()
    visitor = uuid.uuid4()
    mine = PageViewFactory(visitor=visitor)
    someone_elses = PageViewFactory()
    owned = PageViewFactory(visitor=visitor, user=CustomerFactory().user)

    moved = attach_visitor_views(request_with_visitor(visitor), customer.user)

    assert moved == 1
    assert set(PageView.objects.filter(user=customer.user)) == {mine}
    assert PageView.objects.get(pk=someone_elses.pk).user is None
    assert PageView.objects.get(pk=owned.pk).user != customer.user


def test_attaching_moves_at_most_the_newest_window_of_views():
    customer = CustomerFactory()
    visitor = uuid.uuid4()
    start = timezone.now() - timedelta(hours=2)
    for number in range(ATTACH_MAX_VIEWS + 3):
        PageViewFactory(visitor=visitor, viewed_at=start + timedelta(seconds=number))

    moved = attach_visitor_views(request_with_visitor(visitor), customer.user)

    oldest = PageView.objects.order_by("viewed_at").first()
    assert moved == ATTACH_MAX_VIEWS
    assert oldest.user is None


def test_attaching_without_a_visitor_moves_nothing():
    PageViewFactory()

    assert attach_visitor_views(RequestFactory().get("/"), CustomerFactory().user) == 0


def test_merging_customers_moves_every_view():
    old, kept = CustomerFactory(), CustomerFactory()
    PageViewFactory(user=old.user)
    PageViewFactory(user=old.user, viewed_at=timezone.now() - timedelta(days=300))

    assert page_views_reassign(from_user=old.user, to_user=kept.user) == 2
    assert PageView.objects.filter(user=kept.user).count() == 2


def test_a_signed_beacon_sets_the_time_on_page(client):
    view = PageViewFactory()

    response = client.post(BEACON, {"v": beacon_token(view.pk), "ms": "4321"})

    view.refresh_from_db()
    assert response.status_code == 204
    assert view.time_on_page_ms == 4321


def test_a_later_smaller_beacon_does_not_lower_the_time(client):
    view = PageViewFactory(time_on_page_ms=9000)

    client.post(BEACON, {"v": beacon_token(view.pk), "ms": "100"})

    view.refresh_from_db()
    assert view.time_on_page_ms == 9000


def test_a_beacon_with_a_forged_signature_is_refused(client):
    view = PageViewFactory()
    token = f"{view.pk}:forged-signature"

    response = client.post(BEACON, {"v": token, "ms": "4321"})

    view.refresh_from_db()
    assert response.status_code == 400
    assert view.time_on_page_ms is None


def test_a_token_signed_for_something_else_is_refused(client):
    from django.core import signing

    view = PageViewFactory()
    token = signing.Signer().sign(str(view.pk))

    assert client.post(BEACON, {"v": token, "ms": "1"}).status_code == 400


@pytest.mark.parametrize(
    "ms", ["-1", "1800001", "99999999999999999999", "1e3", "", "١٢"]
)
def test_a_beacon_time_out_of_bounds_is_refused(client, ms):
    view = PageViewFactory()

    response = client.post(BEACON, {"v": beacon_token(view.pk), "ms": ms})

    view.refresh_from_db()
    assert response.status_code == 400
    assert view.time_on_page_ms is None


def test_thirty_minutes_is_the_longest_time_accepted(client):
    view = PageViewFactory()

    client.post(BEACON, {"v": beacon_token(view.pk), "ms": "1800000"})

    view.refresh_from_db()
    assert view.time_on_page_ms == 1_800_000


def test_a_beacon_for_a_day_old_page_is_refused(client):
    view = PageViewFactory(viewed_at=timezone.now() - timedelta(days=2))

    response = client.post(BEACON, {"v": beacon_token(view.pk), "ms": "10"})

    assert response.status_code == 400


def test_the_beacon_only_accepts_post(client):
    assert client.get(BEACON).status_code == 405


def test_the_beacon_needs_no_csrf_token():
    view = PageViewFactory()
    client = Client(enforce_csrf_checks=True)

    response = client.post(BEACON, {"v": beacon_token(view.pk), "ms": "5"})

    assert response.status_code == 204


def test_the_beacon_is_not_itself_a_page_view(client):
    view = PageViewFactory()

    client.post(BEACON, {"v": beacon_token(view.pk), "ms": "5"})

    assert PageView.objects.count() == 1


def test_a_page_names_its_view_for_the_beacon(client):
    response = client.get("/")

    view = PageView.objects.get()
    assert f'content="{beacon_token(view.pk)}"'.encode() in response.content
    assert b'src="/static/js/pageview-beacon.js"' in response.content


def test_the_history_page_is_reachable_from_the_profile_section(admin_client):
    customer = CustomerFactory()

    response = admin_client.get(reverse("customers:edit", args=[customer.pk]))

    history = reverse("activity:navigation_history", args=[customer.pk])
    assert f'href="{history}"'.encode() in response.content
