"""Claiming a guest profile: its orders join the account after verification."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client

from activity.history import history_for
from customers.models import CustomerProfile, User
from orders.models import Order
from tests.factories import GuestCustomerFactory, OrderFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-new-secret-42"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth counts attempts in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def guest_order():
    guest = GuestCustomerFactory(user__email="jordan@example.com")
    return OrderFactory(customer=guest)


def sign_up(client, email="jordan@example.com", password=PASSWORD):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": password, "password2": password},
    )


def confirmation_link(message=-1) -> str:
    body = mail.outbox[message].body
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", body)[0]


def test_signup_with_a_guest_address_is_accepted(client, guest_order):
    response = sign_up(client, email="Jordan@Example.com")

    assert response.url == "/accounts/confirm-email/"
    assert "/accounts/confirm-email/" in mail.outbox[-1].body


def test_signup_with_a_guest_address_makes_no_second_user(client, guest_order):
    sign_up(client)

    assert User.objects.filter(email="jordan@example.com").count() == 1


def test_before_verification_the_guest_profile_stays_a_guest(client, guest_order):
    sign_up(client)

    assert CustomerProfile.objects.get(user__email="jordan@example.com").is_guest


def test_before_verification_the_new_account_cannot_log_in(client, guest_order):
    sign_up(client)
    other = Client()

    other.post(
        "/accounts/login/", {"login": "jordan@example.com", "password": PASSWORD}
    )

    assert "_auth_user_id" not in other.session
    assert other.get("/my/orders/").status_code == 302


def test_verification_claims_the_guest_orders(client, guest_order):
    sign_up(client)

    client.post(confirmation_link())

    response = client.get("/my/orders/")
    assert guest_order.number in response.text


def test_verification_makes_the_profile_a_full_profile(client, guest_order):
    sign_up(client)

    client.post(confirmation_link())

    profile = CustomerProfile.objects.get(user__email="jordan@example.com")
    assert not profile.is_guest


def test_the_claim_is_recorded_in_the_profile_history(client, guest_order):
    sign_up(client)

    client.post(confirmation_link())

    profile = guest_order.customer
    assert history_for(profile).get().action == "customers.profile.claimed"


def test_after_the_claim_the_chosen_password_logs_in(client, guest_order):
    sign_up(client)
    client.post(confirmation_link())
    other = Client()

    other.post(
        "/accounts/login/", {"login": "jordan@example.com", "password": PASSWORD}
    )

    assert other.get("/my/orders/").status_code == 200


def test_a_link_opened_in_another_browser_drops_the_signup_password(
    client, guest_order
):
    # Someone else may have signed up with the address, hoping its owner
    # clicks the link: their password must not open the owner's orders.
    sign_up(client, password="a-strangers-password-1")

    Client().post(confirmation_link())

    user = User.objects.get(email="jordan@example.com")
    assert not user.has_usable_password()


def test_a_link_opened_in_another_browser_sends_a_password_reset(client, guest_order):
    sign_up(client)

    Client().post(confirmation_link())

    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


def test_a_second_signup_voids_the_first_signups_link(client, guest_order):
    sign_up(client, password="a-strangers-password-1")
    first_link = confirmation_link()
    owner = Client()
    sign_up(owner)

    owner.post(first_link)

    assert CustomerProfile.objects.get(user__email="jordan@example.com").is_guest


def test_the_latest_signup_claims_with_its_password(client, guest_order):
    sign_up(client, password="a-strangers-password-1")
    owner = Client()
    sign_up(owner)

    owner.post(confirmation_link())

    assert User.objects.get(email="jordan@example.com").check_password(PASSWORD)


def test_adding_a_guest_address_to_an_account_moves_nothing_before_verification(
    shopper, shopper_client, guest_order
):
    shopper_client.post(
        "/accounts/email/", {"action_add": "", "email": "jordan@example.com"}
    )

    assert Order.objects.get().customer == guest_order.customer
    assert guest_order.number not in shopper_client.get("/my/orders/").text


def test_adding_and_verifying_a_guest_address_moves_its_orders(
    shopper, shopper_client, guest_order
):
    shopper_client.post(
        "/accounts/email/", {"action_add": "", "email": "jordan@example.com"}
    )

    shopper_client.post(confirmation_link())

    assert Order.objects.get().customer == shopper.profile


def test_the_merged_guest_login_is_deleted(shopper, shopper_client, guest_order):
    shopper_client.post(
        "/accounts/email/", {"action_add": "", "email": "jordan@example.com"}
    )

    shopper_client.post(confirmation_link())

    assert not User.objects.filter(pk=guest_order.customer.user_id).exists()


def test_a_merged_address_stays_verified_on_the_account(
    shopper, shopper_client, guest_order
):
    shopper_client.post(
        "/accounts/email/", {"action_add": "", "email": "jordan@example.com"}
    )

    shopper_client.post(confirmation_link())

    address = EmailAddress.objects.get(email="jordan@example.com")
    assert (address.user, address.verified) == (shopper, True)


def test_a_guest_checkout_after_the_merge_lands_on_the_account(
    shopper, shopper_client, guest_order
):
    from customers.guests import guest_profile_for

    shopper_client.post(
        "/accounts/email/", {"action_add": "", "email": "jordan@example.com"}
    )
    shopper_client.post(confirmation_link())

    profile, made = guest_profile_for(email="JORDAN@example.com", billing={})

    assert (profile, made) == (shopper.profile, False)


def reset_password_by_link(client, email):
    client.post("/accounts/password/reset/", {"email": email})
    link = re.search(
        r"https?://\S+/accounts/password/reset/key/\S+/", mail.outbox[-1].body
    )
    form_url = client.get(link[0]).url
    return client.post(form_url, {"password1": PASSWORD, "password2": PASSWORD})


def test_a_guest_who_resets_the_password_by_email_claims_the_profile(
    client, guest_order
):
    reset_password_by_link(client, "jordan@example.com")

    assert not CustomerProfile.objects.get(user__email="jordan@example.com").is_guest


def test_after_a_reset_by_email_the_guest_logs_in_and_sees_the_orders(
    client, guest_order
):
    reset_password_by_link(client, "jordan@example.com")
    other = Client()

    other.post(
        "/accounts/login/", {"login": "jordan@example.com", "password": PASSWORD}
    )

    assert guest_order.number in other.get("/my/orders/").text
