import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from customers.models import SavedCard, User
from orders.models import Order
from tests.factories import CustomerFactory, OrderFactory, SavedCardFactory


@pytest.mark.django_db
def test_an_email_is_kept_in_one_spelling():
    user = User.objects.create_user(" Parent@Example.COM ", "pw")

    assert user.email == "parent@example.com"


@pytest.mark.django_db
def test_an_email_is_unique_ignoring_case():
    User.objects.create_user("parent@example.com", "pw")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("PARENT@example.com", "pw")


@pytest.mark.django_db
def test_the_database_refuses_two_spellings_of_one_email_written_around_the_model():
    User.objects.create_user("parent@example.com", "pw")
    other = User.objects.create_user("someone@example.com", "pw")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(email="Parent@Example.com")


@pytest.mark.django_db
def test_login_finds_the_user_whatever_the_case_typed():
    user = User.objects.create_user("parent@example.com", "pw")

    assert User.objects.get_by_natural_key("PARENT@Example.com") == user


@pytest.mark.django_db
def test_an_order_cannot_exist_without_a_customer_profile():
    order = OrderFactory.build(customer=CustomerFactory())
    order.customer_id = None

    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.bulk_create([order])


def test_a_saved_card_has_no_field_that_could_hold_a_card_number():
    text_fields = {
        field.name: field.max_length
        for field in SavedCard._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
    }

    assert text_fields == {
        "gateway_token": 128,
        "brand": 20,
        "last4": 4,
        "holder_name": 150,
    }


@pytest.mark.django_db
def test_last_four_accepts_only_four_digits():
    card = SavedCardFactory.build(customer=CustomerFactory(), last4="42424")

    with pytest.raises(ValidationError):
        card.full_clean()


@pytest.mark.django_db
def test_a_customer_has_at_most_one_default_card():
    customer = CustomerFactory()
    SavedCardFactory(customer=customer, is_default=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        SavedCardFactory(customer=customer, is_default=True)


@pytest.mark.django_db
def test_a_refund_can_never_exceed_what_was_paid():
    order = OrderFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(amount_refunded=order.amount_paid + 1)
