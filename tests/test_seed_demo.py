from io import StringIO

import pytest
from django.core.management import call_command

from customers.models import CustomerProfile, User
from orders.models import CatalogItem, ItemKind, Order, OrderLine


def counts():
    return (
        User.objects.count(),
        CustomerProfile.objects.count(),
        CatalogItem.objects.count(),
        Order.objects.count(),
        OrderLine.objects.count(),
    )


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_store():
    call_command("seed_demo", "--customers", "30", "--orders", "60", stdout=StringIO())
    first = counts()

    call_command("seed_demo", "--customers", "30", "--orders", "60", stdout=StringIO())

    assert counts() == first


@pytest.mark.django_db
def test_seed_demo_scales_up_to_the_asked_numbers():
    call_command("seed_demo", "--customers", "20", "--orders", "50", stdout=StringIO())

    bulk_orders = Order.objects.filter(
        customer__user__email__endswith="bulk.school.example"
    )
    assert bulk_orders.count() == 50


@pytest.mark.django_db
def test_seed_demo_offers_every_kind_of_catalog_item():
    call_command("seed_demo", stdout=StringIO())

    kinds = set(CatalogItem.objects.values_list("kind", flat=True))
    assert kinds == set(ItemKind.values)


@pytest.mark.django_db
def test_seed_demo_prints_the_demo_logins():
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert "Store admin: admin@school.example" in out.getvalue()
