"""Shopper accounts through django-allauth: signup, login, disabled accounts."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache

from customers.models import CustomerProfile, User
from tests.factories import PASSWORD, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth counts attempts in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


NEW_PASSWORD = "a-long-new-secret-42"


def sign_up(client, email="newparent@example.com"):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def log_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def confirmation_link() -> str:
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body)
    return link[0]


def test_signup_makes_an_account_with_a_profile(client):
    sign_up(client)

    user = User.objects.get(email="newparent@example.com")
    assert CustomerProfile.objects.filter(user=user, is_guest=False).exists()


def test_signup_sends_a_verification_email(client):
    sign_up(client)

    assert "/accounts/confirm-email/" in mail.outbox[-1].body


def test_signup_does_not_log_in_before_verification(client):
    sign_up(client)

    response = client.get("/my/orders/")

    assert response.url.startswith("/accounts/login/")


def test_verifying_the_address_logs_the_new_shopper_in(client):
    sign_up(client)

    client.post(confirmation_link())

    assert client.get("/my/orders/").status_code == 200


def test_signup_with_a_registered_address_makes_no_second_account(client, shopper):
    sign_up(client, email="Parent@Example.com")

    assert User.objects.filter(email="parent@example.com").count() == 1
    assert User.objects.get(email="parent@example.com").check_password(PASSWORD)


def test_a_shopper_logs_in_with_their_email(client, shopper):
    log_in(client, "parent@example.com")

    assert client.get("/my/orders/").status_code == 200


def test_the_login_email_is_not_case_sensitive(client, shopper):
    log_in(client, "PARENT@example.COM")

    assert client.get("/my/orders/").status_code == 200


def test_a_disabled_account_is_told_it_is_disabled(client):
    CustomerFactory(user__email="blocked@example.com", user__is_active=False)

    response = log_in(client, "blocked@example.com")

    assert response.url == "/accounts/inactive/"
    assert "This account is disabled" in client.get(response.url).text


def test_a_disabled_account_is_not_logged_in(client):
    CustomerFactory(user__email="blocked@example.com", user__is_active=False)

    log_in(client, "blocked@example.com")

    assert "_auth_user_id" not in client.session


def test_a_wrong_password_does_not_reveal_a_disabled_account(client):
    CustomerFactory(user__email="blocked@example.com", user__is_active=False)

    response = log_in(client, "blocked@example.com", password="wrong-password")

    assert response.status_code == 200
    assert "disabled" not in response.text


def test_repeated_failed_logins_are_rate_limited(client, shopper):
    for _ in range(5):
        log_in(client, "parent@example.com", password="wrong-password")

    response = log_in(client, "parent@example.com")

    assert "Too many failed login attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(shopper_client):
    shopper_client.post("/accounts/logout/")

    assert shopper_client.get("/my/orders/").status_code == 302


def test_a_password_reset_sends_a_link(client, shopper):
    client.post("/accounts/password/reset/", {"email": "parent@example.com"})

    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


def test_a_shopper_can_change_their_password(shopper, shopper_client):
    shopper_client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    shopper.refresh_from_db()
    assert shopper.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ],
)
def test_account_pages_use_the_storefront_layout(client, path):
    response = client.get(path)

    assert 'class="navbar navbar-expand navbar-dark bg-primary"' in response.text
    assert "form-control" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
        "/accounts/confirm-email/not-a-key/",
        "/accounts/password/reset/key/1-not-a-key/",
        "/accounts/inactive/",
    ],
)
def test_account_pages_render_for_a_visitor(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/logout/",
        "/accounts/sessions/",
    ],
)
def test_account_pages_render_for_a_shopper(shopper_client, path):
    assert shopper_client.get(path).status_code == 200


def test_account_management_pages_use_the_storefront_layout(shopper_client):
    response = shopper_client.get("/accounts/email/")

    assert "My orders" in response.text


def test_signup_with_a_ten_thousand_character_email_is_a_form_error(client):
    response = sign_up(client, email="a" * 10_000 + "@example.com")

    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_the_verification_email_marks_the_address_verified(client):
    sign_up(client)

    client.post(confirmation_link())

    assert EmailAddress.objects.get(email="newparent@example.com").verified
