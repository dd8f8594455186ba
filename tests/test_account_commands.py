from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from activity.history import history_for
from customers.models import User
from tests.factories import PASSWORD, GuestCustomerFactory


def run(name, *args):
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def logged_in_client(user):
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def test_disable_account_ends_the_customers_open_session(shopper):
    client = logged_in_client(shopper)

    run("disable_account", "PARENT@example.com")

    response = client.get("/my/orders/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_disable_account_refuses_the_next_login(shopper):
    run("disable_account", shopper.email)

    assert not Client().login(email=shopper.email, password=PASSWORD)


def test_disable_account_is_recorded_with_the_command_as_actor(shopper):
    run("disable_account", shopper.email)

    entry = history_for(shopper.profile).get(action="customers.account.disabled")
    assert entry.actor_label == "command: disable_account"


def test_enable_gives_the_account_back(shopper):
    run("disable_account", shopper.email)

    out = run("disable_account", shopper.email, "--enable")

    assert out == "Account enabled: parent@example.com.\n"
    assert User.objects.get(pk=shopper.pk).is_active


def test_disabling_a_disabled_account_changes_nothing(shopper):
    run("disable_account", shopper.email)

    out = run("disable_account", shopper.email)

    assert out == "Unchanged: parent@example.com is already disabled.\n"
    assert (
        history_for(shopper.profile).filter(action="customers.account.disabled").count()
        == 1
    )


def test_a_dry_run_leaves_the_account_enabled(shopper):
    out = run("disable_account", shopper.email, "--dry-run")

    assert out.startswith("Dry run, nothing written")
    assert User.objects.get(pk=shopper.pk).is_active


@pytest.mark.django_db
def test_disable_account_refuses_an_unknown_email():
    with pytest.raises(CommandError, match="No customer has the e-mail address x@y.z"):
        run("disable_account", "x@y.z")


def test_send_password_reset_mails_a_link_to_the_store(shopper, settings):
    settings.STORE_URL = "https://store.school.example"
    settings.ALLOWED_HOSTS = ["store.school.example"]

    out = run("send_password_reset", shopper.email)

    assert out == "Password reset e-mail sent to parent@example.com.\n"
    assert mail.outbox[0].to == ["parent@example.com"]
    assert (
        "https://store.school.example/accounts/password/reset/key/"
        in mail.outbox[0].body
    )


def test_send_password_reset_is_recorded(shopper):
    run("send_password_reset", shopper.email)

    entry = history_for(shopper.profile).get(action="customers.password.reset_sent")
    assert entry.actor_label == "command: send_password_reset"


@pytest.mark.django_db
def test_send_password_reset_refuses_a_guest_profile():
    guest = GuestCustomerFactory(user__email="guest@example.com")

    with pytest.raises(CommandError, match="A guest profile has no password"):
        run("send_password_reset", guest.user.email)


@pytest.mark.django_db
def test_send_password_reset_refuses_an_unknown_email():
    with pytest.raises(CommandError, match="No customer has the e-mail address"):
        run("send_password_reset", "nobody@example.com")
