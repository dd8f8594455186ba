from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from customers.models import User
from customers.permissions import can_use_backoffice
from tests.factories import CustomerFactory

GOOD_PASSWORD = "office-stapler-42-lamp"


@pytest.fixture
def password_env(monkeypatch):
    monkeypatch.setenv("STORE_ADMIN_PASSWORD", GOOD_PASSWORD)


@pytest.mark.django_db
def test_it_makes_a_staff_account_that_may_use_the_back_office(password_env):
    out = StringIO()

    call_command("create_store_admin", "Office@School.example", stdout=out)

    user = User.objects.get(email="office@school.example")
    assert can_use_backoffice(user)
    assert user.check_password(GOOD_PASSWORD)
    assert out.getvalue() == "Store admin created: office@school.example\n"


@pytest.mark.django_db
def test_it_promotes_an_existing_customer(password_env):
    customer = CustomerFactory(user__email="teacher@school.example")

    call_command("create_store_admin", "teacher@school.example", stdout=StringIO())

    customer.user.refresh_from_db()
    assert can_use_backoffice(customer.user)


@pytest.mark.django_db
def test_it_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("STORE_ADMIN_PASSWORD", "123")

    with pytest.raises(CommandError, match="too short"):
        call_command("create_store_admin", "office@school.example")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_without_a_terminal_or_variable_it_says_how_to_give_a_password(monkeypatch):
    monkeypatch.delenv("STORE_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)

    with pytest.raises(CommandError, match="set STORE_ADMIN_PASSWORD"):
        call_command("create_store_admin", "office@school.example")


@pytest.mark.django_db
def test_it_refuses_an_invalid_email(password_env):
    with pytest.raises(CommandError, match="not a valid e-mail address"):
        call_command("create_store_admin", "office-at-school")
