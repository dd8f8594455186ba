"""The Reset password block and the forced change after a temporary password."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, CustomerFactory, GuestCustomerFactory

pytestmark = pytest.mark.django_db

TEMPORARY = "Temporary-pass-42"


def reset_url(profile) -> str:
    return reverse("customers:password_reset_send", args=[profile.pk])


def temporary_url(profile) -> str:
    return reverse("customers:temporary_password_set", args=[profile.pk])


def test_sending_a_reset_email_mails_the_customer_a_link(admin_client):
    profile = CustomerFactory(user__email="parent@example.com")

    admin_client.post(reset_url(profile))

    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_sending_a_reset_email_returns_to_the_reset_block(admin_client):
    profile = CustomerFactory()

    response = admin_client.post(reset_url(profile))

    assert response.headers["Location"].endswith("#reset-password")


def test_a_guest_gets_no_reset_email_but_a_message(admin_client):
    profile = GuestCustomerFactory()

    response = admin_client.post(reset_url(profile), follow=True)

    assert (
        not mail.outbox and "guest profile has no password" in response.content.decode()
    )


def test_the_reset_email_needs_a_post(admin_client):
    assert admin_client.get(reset_url(CustomerFactory())).status_code == 405


def test_setting_a_temporary_password_needs_a_post(admin_client):
    assert admin_client.get(temporary_url(CustomerFactory())).status_code == 405


def test_a_temporary_password_needs_the_warning_ticked(admin_client):
    profile = CustomerFactory()

    admin_client.post(temporary_url(profile), {"password": TEMPORARY})

    profile.user.refresh_from_db()
    assert profile.user.check_password(PASSWORD)


def test_a_temporary_password_is_set(admin_client):
    profile = CustomerFactory()

    admin_client.post(
        temporary_url(profile), {"password": TEMPORARY, "understood": "on"}
    )

    profile.user.refresh_from_db()
    assert profile.user.check_password(TEMPORARY)


def test_a_weak_temporary_password_is_refused_with_a_message(admin_client):
    profile = CustomerFactory()

    response = admin_client.post(
        temporary_url(profile),
        {"password": "12345678", "understood": "on"},
        follow=True,
    )

    assert "This password is too common." in response.content.decode()


def test_the_temporary_password_is_never_shown_back(admin_client):
    profile = CustomerFactory()

    response = admin_client.post(
        temporary_url(profile), {"password": TEMPORARY, "understood": "on"}, follow=True
    )

    assert TEMPORARY not in response.content.decode()


def test_a_customer_with_a_temporary_password_is_sent_to_change_it(db):
    profile = CustomerFactory(user__must_change_password=True)
    client = Client()
    client.force_login(profile.user)

    response = client.get("/")

    assert response.headers["Location"] == reverse("account_change_password")


def test_the_password_change_page_itself_opens(db):
    profile = CustomerFactory(user__must_change_password=True)
    client = Client()
    client.force_login(profile.user)

    response = client.get(reverse("account_change_password"))

    assert response.status_code == 200


def test_choosing_a_new_password_clears_the_flag(db):
    profile = CustomerFactory(user__must_change_password=True)
    client = Client()
    client.force_login(profile.user)

    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "A-brand-new-pass-77",
            "password2": "A-brand-new-pass-77",
        },
    )

    profile.user.refresh_from_db()
    assert not profile.user.must_change_password


def test_after_the_change_the_store_opens_again(db):
    profile = CustomerFactory(user__must_change_password=True)
    client = Client()
    client.force_login(profile.user)
    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "A-brand-new-pass-77",
            "password2": "A-brand-new-pass-77",
        },
    )

    assert client.get("/").status_code == 200
