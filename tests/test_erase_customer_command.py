import uuid
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from activity.history import history_for
from activity.models import PageView
from customers.models import SavedCard, User
from customers.services import customer_change_email
from tests.factories import PASSWORD, CustomerFactory, OrderFactory, SavedCardFactory


@pytest.fixture
def customer(db):
    return CustomerFactory(
        user__email="pat@example.com", first_name="Pat", phone="555-0101"
    )


def erase(*args):
    out = StringIO()
    call_command("erase_customer", *args, stdout=out)
    return out.getvalue()


def test_the_profile_keeps_no_name_phone_address_or_email(customer):
    erase("pat@example.com", "--yes")

    customer.refresh_from_db()
    assert (customer.first_name, customer.phone, customer.billing_lines()) == (
        "",
        "",
        [],
    )
    assert customer.user.email == f"erased-{customer.pk}@erased.invalid"


def test_orders_stay_for_the_books_without_personal_data(customer):
    order = OrderFactory(customer=customer, total=Decimal("42.00"))

    erase("pat@example.com", "--yes")

    order.refresh_from_db()
    assert order.total == Decimal("42.00")
    assert order.billing_name == ""
    assert "pat" not in order.email + order.search_text


def test_cards_and_page_views_are_gone(customer):
    SavedCardFactory(customer=customer)
    PageView.objects.create(
        id=1,
        viewed_at=timezone.now(),
        visitor=uuid.uuid4(),
        user=customer.user,
        method="GET",
        url="/",
        ip="203.0.113.9",
        status=200,
    )

    erase("pat@example.com", "--yes")

    assert not SavedCard.objects.exists()
    assert not PageView.objects.exists()


def test_the_erased_customer_can_no_longer_log_in(customer, client):
    erase("pat@example.com", "--yes")

    user = User.objects.get(pk=customer.user_id)
    assert not user.is_active
    assert not client.login(email=user.email, password=PASSWORD)


def test_history_keeps_what_happened_but_not_the_values(customer, store_admin):
    customer_change_email(profile=customer, actor=store_admin, email="pat2@example.com")

    erase("pat2@example.com", "--yes")

    changed = history_for(customer).get(action="customers.email.changed")
    assert changed.actor == store_admin
    assert "pat" not in str(changed.changes)
    assert history_for(customer).filter(action="customers.profile.erased").exists()


def test_a_dry_run_erases_nothing(customer):
    out = erase("pat@example.com", "--dry-run")

    customer.refresh_from_db()
    assert customer.first_name == "Pat"
    assert out.startswith("Dry run, nothing written: would erase pat@example.com:")


def test_without_a_terminal_it_asks_for_yes(customer, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)

    with pytest.raises(CommandError, match="pass --yes to confirm"):
        erase("pat@example.com")


def test_a_staff_account_is_refused(store_admin):
    with pytest.raises(CommandError, match="staff account"):
        erase(store_admin.email, "--yes")


@pytest.mark.django_db
def test_an_unknown_email_is_refused():
    with pytest.raises(CommandError, match="No customer has the e-mail address"):
        erase("nobody@example.com", "--yes")
