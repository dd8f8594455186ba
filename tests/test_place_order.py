"""Staff placing an order for a customer from the profile page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from customers.sections import profile_sections
from orders.models import Basket, Order, OrderStatus, PaymentMethod
from orders.views.place import place_order_section
from tests.factories import (
    BasketFactory,
    BasketLineFactory,
    CatalogItemFactory,
    CustomerFactory,
    GroupFactory,
    SavedCardFactory,
)

pytestmark = pytest.mark.django_db

KEY = "k" * 32


def place_url(profile) -> str:
    return reverse("orders:place", args=[profile.pk])


def order_data(profile, item, *, quantity=2, **extra) -> dict:
    data = {
        f"quantity_{item.pk}": quantity,
        "payment": "cash",
        "idempotency_key": KEY,
        **{name: getattr(profile, name) for name in profile.BILLING_FIELDS},
    }
    return data | extra


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(place_url(CustomerFactory()))

    assert response.url.startswith(reverse("account_login"))


def test_a_shopper_is_refused(shopper_client):
    assert shopper_client.get(place_url(CustomerFactory())).status_code == 403


def test_staff_without_back_office_access_are_refused(client, staff_outsider):
    client.force_login(staff_outsider)

    assert client.get(place_url(CustomerFactory())).status_code == 403


def test_an_unknown_profile_is_not_found(admin_client):
    assert admin_client.get("/backoffice/orders/place/999999/").status_code == 404


def test_the_place_order_section_sits_in_slot_40():
    section = next(s for s in profile_sections() if s.name == "place_order")

    assert section.order == 40


def test_the_place_order_section_links_to_the_page(rf):
    profile = CustomerFactory()

    context = place_order_section(rf.get("/"), profile)

    assert context["place_url"] == place_url(profile)


def test_the_billing_address_starts_from_the_profile(admin_client):
    profile = CustomerFactory(billing_line1="7 Oak Road")

    response = admin_client.get(place_url(profile))

    assert response.context["form"]["billing_line1"].value() == "7 Oak Road"


def test_paying_cash_places_a_paid_order_recorded_as_staffs(admin_client, store_admin):
    profile = CustomerFactory()
    item = CatalogItemFactory(price=Decimal("8.00"))

    admin_client.post(place_url(profile), order_data(profile, item))

    order = Order.objects.get(customer=profile)
    assert (order.total, order.status, order.payment_method, order.placed_by) == (
        Decimal("16.00"),
        OrderStatus.PAID,
        PaymentMethod.CASH,
        store_admin,
    )


def test_placing_an_order_opens_its_summary(admin_client):
    profile = CustomerFactory()
    item = CatalogItemFactory()

    response = admin_client.post(place_url(profile), order_data(profile, item))

    order = Order.objects.get(customer=profile)
    assert response.url == reverse("orders:summary", args=[order.number])


def test_a_saved_card_is_charged_through_the_gateway(admin_client):
    profile = CustomerFactory()
    card = SavedCardFactory(customer=profile)
    item = CatalogItemFactory()

    admin_client.post(
        place_url(profile),
        order_data(profile, item, payment="card", card=card.pk),
    )

    order = Order.objects.get(customer=profile)
    assert order.payment_reference.startswith("ch_sandbox_")


def test_a_card_the_cardholder_did_not_approve_cannot_be_charged(admin_client):
    profile = CustomerFactory()
    card = SavedCardFactory(customer=profile, approved_by_cardholder=False)
    item = CatalogItemFactory()

    response = admin_client.post(
        place_url(profile), order_data(profile, item, payment="card", card=card.pk)
    )

    assert "card" in response.context["form"].errors


def test_another_customers_card_cannot_be_charged(admin_client):
    profile = CustomerFactory()
    card = SavedCardFactory()
    item = CatalogItemFactory()

    response = admin_client.post(
        place_url(profile), order_data(profile, item, payment="card", card=card.pk)
    )

    assert "card" in response.context["form"].errors


def test_a_declined_card_places_nothing_and_says_why(admin_client):
    profile = CustomerFactory()
    card = SavedCardFactory(
        customer=profile, gateway_token="tok_sandbox_decline0_abcdef"
    )
    item = CatalogItemFactory()

    response = admin_client.post(
        place_url(profile), order_data(profile, item, payment="card", card=card.pk)
    )

    assert response.context["form"].non_field_errors() == ["The card was declined."]
    assert not Order.objects.exists()


def test_a_check_needs_its_number(admin_client):
    profile = CustomerFactory()
    item = CatalogItemFactory()

    response = admin_client.post(
        place_url(profile), order_data(profile, item, payment="check")
    )

    assert "check_number" in response.context["form"].errors


def test_a_check_payment_keeps_the_check_number(admin_client):
    profile = CustomerFactory()
    item = CatalogItemFactory()

    admin_client.post(
        place_url(profile),
        order_data(profile, item, payment="check", check_number="2231"),
    )

    assert Order.objects.get().payment_reference == "2231"


def test_leaving_it_pending_places_an_unpaid_order(admin_client):
    profile = CustomerFactory()
    item = CatalogItemFactory()

    admin_client.post(place_url(profile), order_data(profile, item, payment="pending"))

    assert Order.objects.get().status == OrderStatus.PENDING


def test_an_order_with_no_items_is_a_form_error(admin_client):
    profile = CustomerFactory()
    item = CatalogItemFactory()

    response = admin_client.post(
        place_url(profile), order_data(profile, item, quantity=0)
    )

    assert response.context["form"].non_field_errors()


@pytest.mark.parametrize("quantity", ["-1", "abc", "1000", "1e309"])
def test_a_bad_quantity_is_a_form_error(admin_client, quantity):
    profile = CustomerFactory()
    item = CatalogItemFactory()

    response = admin_client.post(
        place_url(profile), order_data(profile, item, quantity=quantity)
    )

    assert f"quantity_{item.pk}" in response.context["form"].errors


def test_a_changed_address_goes_on_the_order_not_the_profile(admin_client):
    profile = CustomerFactory(billing_line1="1 School Lane")
    item = CatalogItemFactory()

    admin_client.post(
        place_url(profile), order_data(profile, item, billing_line1="5 Other Way")
    )

    profile.refresh_from_db()
    assert (Order.objects.get().billing_line1, profile.billing_line1) == (
        "5 Other Way",
        "1 School Lane",
    )


def test_a_disabled_account_cannot_be_given_an_order(admin_client):
    profile = CustomerFactory(user__is_active=False)
    item = CatalogItemFactory()

    response = admin_client.post(place_url(profile), order_data(profile, item))

    assert "disabled" in response.context["form"].non_field_errors()[0]
    assert not Order.objects.exists()


def test_an_item_limited_to_a_group_is_not_offered_to_others(admin_client):
    band = GroupFactory(name="Band")
    limited = CatalogItemFactory(name="Band uniform")
    limited.allowed_groups.add(band)

    response = admin_client.get(place_url(CustomerFactory()))

    assert limited not in response.context["form"].items


def test_an_item_limited_to_a_group_is_offered_to_a_member(admin_client):
    band = GroupFactory(name="Band")
    limited = CatalogItemFactory(name="Band uniform")
    limited.allowed_groups.add(band)
    member = CustomerFactory()
    member.user.groups.add(band)

    response = admin_client.get(place_url(member))

    assert limited in response.context["form"].items


def test_a_double_click_places_one_order(admin_client):
    profile = CustomerFactory()
    item = CatalogItemFactory()

    admin_client.post(place_url(profile), order_data(profile, item))
    admin_client.post(place_url(profile), order_data(profile, item))

    assert Order.objects.count() == 1


def test_taking_over_the_basket_fills_in_its_quantities(admin_client):
    profile = CustomerFactory()
    line = BasketLineFactory(basket=BasketFactory(customer=profile), quantity=3)

    response = admin_client.get(place_url(profile), {"basket": "take"})

    form = response.context["form"]
    assert form[f"quantity_{line.item_id}"].value() == 3


def test_placing_a_taken_over_basket_closes_it(admin_client):
    profile = CustomerFactory()
    basket = BasketFactory(customer=profile)
    line = BasketLineFactory(basket=basket)

    admin_client.post(
        place_url(profile), order_data(profile, line.item, basket=basket.pk)
    )

    basket.refresh_from_db()
    assert basket.status == Basket.Status.ORDERED


def test_another_customers_basket_cannot_be_closed(admin_client):
    profile = CustomerFactory()
    other_basket = BasketFactory()
    item = CatalogItemFactory()

    response = admin_client.post(
        place_url(profile), order_data(profile, item, basket=other_basket.pk)
    )

    assert "basket" in response.context["form"].errors
