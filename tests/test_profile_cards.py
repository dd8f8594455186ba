"""Saved cards on the profile page: add through the gateway, remove, default."""

from datetime import date

import pytest
from django.urls import reverse

from customers.models import SavedCard
from tests.factories import CustomerFactory, SavedCardFactory

pytestmark = pytest.mark.django_db

NUMBER = "4242 4242 4242 4242"


def add_url(profile) -> str:
    return reverse("orders_profile:card_add", args=[profile.pk])


def card_data(**changes) -> dict:
    data = {
        "holder_name": "Pat Rivera",
        "number": NUMBER,
        "exp_month": "12",
        "exp_year": str(date.today().year + 2),
        "cvc": "123",
        "approved_by_cardholder": "on",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_adding_a_card_keeps_brand_and_last_four(admin_client):
    profile = CustomerFactory()

    admin_client.post(add_url(profile), card_data())

    card = profile.saved_cards.get()
    assert (card.brand, card.last4) == ("Visa", "4242")


def test_adding_a_card_records_the_cardholders_approval(admin_client):
    profile = CustomerFactory()

    admin_client.post(add_url(profile), card_data())

    assert profile.saved_cards.get().approved_by_cardholder


def test_a_card_without_the_cardholders_approval_is_refused(admin_client):
    profile = CustomerFactory()

    admin_client.post(add_url(profile), card_data(approved_by_cardholder=None))

    assert not profile.saved_cards.exists()


def test_an_invalid_card_number_is_refused_with_the_gateways_message(admin_client):
    profile = CustomerFactory()

    response = admin_client.post(
        add_url(profile), card_data(number="4242 4242 4242 4241"), follow=True
    )

    assert "The card number is not valid." in response.content.decode()


def test_an_expired_card_is_refused(admin_client):
    profile = CustomerFactory()

    admin_client.post(add_url(profile), card_data(exp_year="2001"))

    assert not profile.saved_cards.exists()


def test_the_card_number_is_kept_nowhere(admin_client):
    profile = CustomerFactory()

    admin_client.post(add_url(profile), card_data())

    kept = " ".join(str(value) for value in SavedCard.objects.values().get().values())
    assert "4242424242424242" not in kept and "123" not in kept.split()


def test_the_card_number_is_not_shown_back_after_a_refusal(admin_client):
    profile = CustomerFactory()

    response = admin_client.post(
        add_url(profile), card_data(approved_by_cardholder=None), follow=True
    )

    assert NUMBER not in response.content.decode()


def test_adding_a_card_needs_a_post(admin_client):
    assert admin_client.get(add_url(CustomerFactory())).status_code == 405


def test_adding_a_card_to_an_unknown_profile_is_not_found(admin_client):
    assert (
        admin_client.post("/backoffice/people/users/999999/cards/add/").status_code
        == 404
    )


def test_removing_a_card_deletes_it(admin_client):
    card = SavedCardFactory()

    admin_client.post(
        reverse("customers:card_remove", args=[card.customer_id, card.pk])
    )

    assert not SavedCard.objects.exists()


def test_a_card_of_another_customer_cannot_be_removed_through_this_profile(
    admin_client,
):
    card = SavedCardFactory()
    other = CustomerFactory()

    response = admin_client.post(
        reverse("customers:card_remove", args=[other.pk, card.pk])
    )

    assert response.status_code == 404


def test_making_a_card_the_default(admin_client):
    profile = CustomerFactory()
    SavedCardFactory(customer=profile, is_default=True)
    card = SavedCardFactory(customer=profile)

    admin_client.post(
        reverse("customers:card_make_default", args=[profile.pk, card.pk])
    )

    card.refresh_from_db()
    assert card.is_default


@pytest.mark.parametrize(
    "name", ["customers:card_remove", "customers:card_make_default"]
)
def test_card_actions_need_a_post(admin_client, name):
    card = SavedCardFactory()

    response = admin_client.get(reverse(name, args=[card.customer_id, card.pk]))

    assert response.status_code == 405
