"""No card number or security code at rest: not in any table, log or session."""

import logging
import re
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client

from orders.models import Order
from tests.factories import CatalogItemFactory

pytestmark = pytest.mark.django_db

NUMBER = "4242424242424242"
DECLINED = "4000000000000002"
CVC = "7391"


def pay(client, item, number, *, email="jordan@example.com", save=False):
    client.post("/basket/add/", {"item": item.pk, "quantity": 1})
    page = client.get("/checkout/").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page)[1]
    data = {
        "idempotency_key": key,
        "email": email,
        "billing_name": "Jordan Lee",
        "billing_line1": "9 Elm Street",
        "billing_city": "Riverton",
        "billing_postal_code": "82501",
        "billing_country": "US",
        "card": "new",
        "card_number": " ".join(re.findall("....", number)),
        "exp_month": "11",
        "exp_year": str(date.today().year + 3),
        "cvc": CVC,
        "holder_name": "Jordan Lee",
    }
    if save:
        data["save_card"] = "on"
    return client.post("/checkout/", data)


def every_stored_value() -> str:
    """The text of every column of every row of every table, sessions decoded."""
    chunks = []
    for model in apps.get_models():
        for row in model._base_manager.values_list():
            chunks.extend(str(value) for value in row)
    for session in Session.objects.all():
        chunks.append(str(session.get_decoded()))
    return "\n".join(chunks)


def contains_alone(text: str, word: str) -> bool:
    return re.search(rf"(?<![0-9A-Za-z]){word}(?![0-9A-Za-z])", text) is not None


@pytest.fixture
def checkouts(shopper, caplog):
    """A guest order, a shopper order saving its card, and a declined attempt."""
    caplog.set_level(logging.DEBUG)
    item = CatalogItemFactory(price=Decimal("5.00"))
    pay(Client(), item, NUMBER)
    shopper_client = Client()
    shopper_client.force_login(shopper)
    pay(shopper_client, item, NUMBER, save=True)
    pay(Client(), item, DECLINED, email="other@example.com")
    assert Order.objects.count() == 2
    assert shopper.profile.saved_cards.count() == 1
    return caplog


def test_no_table_holds_a_card_number(checkouts):
    stored = every_stored_value()

    assert NUMBER not in stored
    assert DECLINED not in stored
    assert "4242 4242 4242 4242" not in stored


def test_no_table_holds_a_security_code(checkouts):
    assert not contains_alone(every_stored_value(), CVC)


def test_no_log_line_holds_a_card_number_or_security_code(checkouts):
    logged = checkouts.text

    assert NUMBER not in logged
    assert "4242 4242 4242 4242" not in logged
    assert not contains_alone(logged, CVC)
