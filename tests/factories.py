"""factory_boy factories for the store's models."""

from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from activity.ids import view_id_for
from activity.models import PageView
from customers.models import CustomerProfile, SavedCard, User
from orders.models import (
    Basket,
    BasketLine,
    CatalogItem,
    ItemKind,
    Order,
    OrderLine,
    OrderStatus,
    generate_order_number,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(
                user=user, email=user.email, verified=True, primary=True
            )
        if create:
            user.save()


class CustomerFactory(factory.django.DjangoModelFactory):
    """A customer profile with its user."""

    class Meta:
        model = CustomerProfile

    user = factory.SubFactory(UserFactory)
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = "Parent"
    billing_name = factory.LazyAttribute(lambda p: f"{p.first_name} {p.last_name}")
    billing_line1 = "1 School Lane"
    billing_city = "Springfield"
    billing_region = "IL"
    billing_postal_code = "62701"
    billing_country = "US"


class GuestCustomerFactory(CustomerFactory):
    user = factory.SubFactory(UserFactory, password=None, verified=False)
    is_guest = True


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Group {n}")


class CatalogItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogItem

    name = factory.Sequence(lambda n: f"Item {n}")
    slug = factory.Sequence(lambda n: f"item-{n}")
    kind = ItemKind.PRODUCT
    price = Decimal("10.00")


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    customer = factory.SubFactory(CustomerFactory)
    email = factory.LazyAttribute(lambda o: o.customer.user.email)
    status = OrderStatus.PAID
    total = Decimal("10.00")
    amount_paid = factory.LazyAttribute(lambda o: o.total)
    billing_name = factory.LazyAttribute(lambda o: o.customer.billing_name)
    billing_line1 = factory.LazyAttribute(lambda o: o.customer.billing_line1)
    billing_city = factory.LazyAttribute(lambda o: o.customer.billing_city)
    number = factory.LazyFunction(generate_order_number)
    search_text = factory.LazyAttribute(
        lambda o: (
            f"{o.number} {o.email} {o.customer.full_name} {o.billing_name}".lower()
        )
    )


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    item = factory.SubFactory(CatalogItemFactory)
    item_name = factory.LazyAttribute(lambda line: line.item.name)
    item_kind = factory.LazyAttribute(lambda line: line.item.kind)
    unit_price = factory.LazyAttribute(lambda line: line.item.price)
    quantity = 1
    line_total = factory.LazyAttribute(lambda line: line.unit_price * line.quantity)


class SavedCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedCard

    customer = factory.SubFactory(CustomerFactory)
    gateway_token = factory.Sequence(lambda n: f"tok_sandbox_{n:024x}")
    brand = "Visa"
    last4 = "4242"
    exp_month = 12
    exp_year = 2030
    approved_by_cardholder = True


class BasketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Basket

    customer = factory.SubFactory(CustomerFactory)


class BasketLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BasketLine

    basket = factory.SubFactory(BasketFactory)
    item = factory.SubFactory(CatalogItemFactory)
    quantity = 1


class PageViewFactory(factory.django.DjangoModelFactory):
    """A stored page view; its id carries its time, as the middleware's do."""

    class Meta:
        model = PageView

    viewed_at = factory.LazyFunction(timezone.now)
    id = factory.LazyAttribute(lambda view: view_id_for(view.viewed_at))
    visitor = factory.Faker("uuid4", cast_to=None)
    user = None
    method = "GET"
    url = "/"
    status = 200
