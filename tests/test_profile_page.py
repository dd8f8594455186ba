"""The profile edit page as a whole: its parts, their order, its query count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders.models import OrderStatus
from tests.factories import (
    BasketLineFactory,
    CustomerFactory,
    GuestCustomerFactory,
    OrderFactory,
    SavedCardFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def edit_url(profile) -> str:
    return reverse("customers:edit", args=[profile.pk])


def page_text(client, profile) -> str:
    return client.get(edit_url(profile)).content.decode()


def test_the_page_shows_the_customers_name_and_email(admin_client):
    profile = CustomerFactory(first_name="Pat", last_name="Rivera")

    html = page_text(admin_client, profile)

    assert "Pat Rivera" in html and profile.user.email in html


def test_an_unknown_profile_is_not_found(admin_client):
    assert admin_client.get("/backoffice/people/users/999999/edit/").status_code == 404


def test_the_parts_come_in_the_order_of_the_help_page(admin_client):
    html = page_text(admin_client, CustomerFactory())
    markers = [
        'id="summary"',
        'id="account"',
        'id="reset-password"',
        'name="groups"',
        'name="disabled"',
        'name="billing_line1"',
        'id="saved-cards"',
        'id="current-baskets"',
        'id="order-history"',
        'id="notes"',
        'id="history"',
    ]

    positions = [html.index(marker) for marker in markers]

    assert positions == sorted(positions)


def test_the_email_warning_says_the_login_changes(admin_client):
    html = page_text(admin_client, CustomerFactory())

    assert "uses a different login to the store" in html


def test_the_billing_address_note_says_it_applies_to_new_orders(admin_client):
    html = page_text(admin_client, CustomerFactory())

    assert "updated for any new orders, but existing orders will not change" in html


def test_the_summary_counts_money_kept_on_paid_orders(admin_client):
    profile = CustomerFactory()
    OrderFactory(customer=profile, total=Decimal("40.00"))
    OrderFactory(
        customer=profile,
        total=Decimal("10.00"),
        status=OrderStatus.PARTIALLY_REFUNDED,
        amount_refunded=Decimal("2.50"),
    )
    OrderFactory(
        customer=profile,
        total=Decimal("99.00"),
        status=OrderStatus.PENDING,
        amount_paid=Decimal("0.00"),
    )

    summary = admin_client.get(edit_url(profile)).context["summary"]

    assert summary.stats.lifetime_spend == Decimal("47.50")


def test_the_summary_counts_every_order(admin_client):
    profile = CustomerFactory()
    OrderFactory.create_batch(3, customer=profile)

    summary = admin_client.get(edit_url(profile)).context["summary"]

    assert summary.stats.order_count == 3


@pytest.mark.parametrize(
    ("factory", "badge"),
    [
        (lambda: GuestCustomerFactory(), "Guest"),
        (lambda: CustomerFactory(user__is_active=False), "Disabled"),
        (lambda: CustomerFactory(), "Verified"),
        (lambda: CustomerFactory(user__is_staff=True), "Staff"),
    ],
)
def test_the_summary_shows_the_badge(admin_client, factory, badge):
    html = page_text(admin_client, factory())

    assert f"</i> {badge}</span>" in html or f">{badge}</span>" in html


def test_an_unverified_customer_has_no_verified_badge(admin_client):
    profile = CustomerFactory(user=UserFactory(verified=False))

    summary = admin_client.get(edit_url(profile)).context["summary"]

    assert not summary.email_verified


def test_the_order_history_links_to_each_orders_details(admin_client):
    order = OrderFactory()

    html = page_text(admin_client, order.customer)

    assert reverse("orders:summary", args=[order.number]) in html


def test_the_order_history_shows_twenty_orders_a_page(admin_client):
    profile = CustomerFactory()
    OrderFactory.create_batch(21, customer=profile)

    response = admin_client.get(edit_url(profile))

    sections = {s["name"]: s["context"] for s in response.context["sections"]}
    assert len(sections["order_history"]["page"].object_list) == 20


def test_a_bad_order_history_page_number_gives_a_clean_page(admin_client):
    profile = CustomerFactory()

    response = admin_client.get(edit_url(profile) + "?orders_page=abc")

    assert response.status_code == 200


def test_the_baskets_show_their_lines(admin_client):
    line = BasketLineFactory(item__name="School T-shirt")

    html = page_text(admin_client, line.basket.customer)

    assert "School T-shirt" in html


def test_the_saved_cards_show_brand_last_four_and_expiry(admin_client):
    card = SavedCardFactory(brand="Mastercard", last4="4444", exp_month=3)

    html = page_text(admin_client, card.customer)

    assert "Mastercard" in html and "•••• 4444" in html and "03/30" in html


def test_the_saved_cards_never_show_the_gateway_token(admin_client):
    card = SavedCardFactory()

    html = page_text(admin_client, card.customer)

    assert card.gateway_token not in html


def busy_profile(orders: int, baskets: int, cards: int):
    profile = CustomerFactory()
    OrderFactory.create_batch(orders, customer=profile)
    for _ in range(baskets):
        BasketLineFactory.create_batch(2, basket__customer=profile)
    SavedCardFactory.create_batch(cards, customer=profile)
    return profile


def count_queries(client, profile) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(edit_url(profile)).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_orders_baskets_or_cards(admin_client):
    small = busy_profile(orders=1, baskets=1, cards=1)
    big = busy_profile(orders=50, baskets=4, cards=5)
    count_queries(admin_client, small)  # fills the content type cache

    assert count_queries(admin_client, small) == count_queries(admin_client, big)


def test_the_page_needs_few_queries(admin_client, django_assert_max_num_queries):
    profile = busy_profile(orders=50, baskets=4, cards=5)
    admin_client.get(edit_url(profile))

    with django_assert_max_num_queries(25):
        admin_client.get(edit_url(profile))
