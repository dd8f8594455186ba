"""Django's admin pages for orders, the support fallback beside the Order Manager."""

import pytest
from django.test import Client
from django.urls import reverse

from orders.models import OrderNote
from tests.factories import OrderFactory, OrderLineFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_order_list_opens(superuser_client):
    OrderFactory()

    assert (
        superuser_client.get(reverse("admin:orders_order_changelist")).status_code
        == 200
    )


def test_the_order_list_finds_an_exact_number(superuser_client):
    order = OrderFactory(number="ABCD2345")
    OrderFactory()

    response = superuser_client.get(
        reverse("admin:orders_order_changelist"), {"q": "ABCD2345"}
    )

    assert list(response.context["cl"].result_list) == [order]


def test_an_order_opens_with_its_lines(superuser_client):
    line = OrderLineFactory()

    response = superuser_client.get(
        reverse("admin:orders_order_change", args=[line.order.pk])
    )

    assert response.status_code == 200


def test_a_system_note_cannot_be_changed_in_the_admin(superuser_client):
    note = OrderNote.objects.create(order=OrderFactory(), body="Paid.", is_system=True)

    superuser_client.post(
        reverse("admin:orders_ordernote_change", args=[note.pk]),
        {"order": note.order.pk, "body": "Rewritten", "visibility": "internal"},
    )

    note.refresh_from_db()
    assert note.body == "Paid."
