"""The order page: its tabs, the left-side menu and the edits made from it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from activity.history import history_for
from orders.models import Order, OrderNote, OrderStatus, PaymentMethod
from orders.services import order_update_billing_address
from tests.factories import GuestCustomerFactory, OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db

TABS = ["summary", "items", "payments", "billing", "history"]
POSTS = ["change_status", "refund", "add_note"]
ADDRESS = {
    "billing_name": "Robin Vega",
    "billing_line1": "9 Elm Street",
    "billing_line2": "",
    "billing_city": "Riverton",
    "billing_region": "WY",
    "billing_postal_code": "82501",
    "billing_country": "US",
}


def url(name: str, order: Order, *args) -> str:
    return reverse(f"orders:{name}", args=[order.number, *args])


def paid_by_card(**kwargs) -> Order:
    return OrderFactory(
        **{
            "status": OrderStatus.PAID,
            "total": Decimal("30.00"),
            "amount_paid": Decimal("30.00"),
            "payment_method": PaymentMethod.CARD,
            "payment_reference": "ch_sandbox_abc",
            **kwargs,
        }
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("tab", TABS)
def test_a_visitor_is_sent_to_log_in(client, tab):
    response = client.get(url(tab, OrderFactory()))

    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("tab", TABS)
def test_a_shopper_is_refused(shopper_client, tab):
    assert shopper_client.get(url(tab, OrderFactory())).status_code == 403


@pytest.mark.parametrize("tab", TABS)
def test_staff_without_back_office_access_are_refused(client, staff_outsider, tab):
    client.force_login(staff_outsider)

    assert client.get(url(tab, OrderFactory())).status_code == 403


@pytest.mark.parametrize("tab", TABS)
def test_each_tab_opens_for_a_store_admin(admin_client, tab):
    assert admin_client.get(url(tab, OrderFactory())).status_code == 200


@pytest.mark.parametrize("name", POSTS)
def test_the_edit_actions_only_take_post(admin_client, name):
    assert admin_client.get(url(name, OrderFactory())).status_code == 405


@pytest.mark.parametrize("name", POSTS)
def test_the_edit_actions_refuse_a_shopper(shopper_client, name):
    assert shopper_client.post(url(name, OrderFactory())).status_code == 403


def test_an_unknown_order_number_is_not_found(admin_client):
    assert admin_client.get("/backoffice/orders/NOSUCH00/").status_code == 404


def test_a_number_typed_in_lower_case_finds_the_order(admin_client):
    order = OrderFactory(number="ABCD2345")

    assert admin_client.get("/backoffice/orders/abcd2345/").context["order"] == order


def test_the_summary_shows_the_lines(admin_client):
    line = OrderLineFactory(item__name="Yearbook 2027")

    response = admin_client.get(url("summary", line.order))

    assert "Yearbook 2027" in response.content.decode()


def test_the_summary_says_a_guest_order_is_a_guest_order(admin_client):
    order = OrderFactory(customer=GuestCustomerFactory(), is_guest=True)

    response = admin_client.get(url("summary", order))

    assert '<span class="badge text-bg-light border">Guest</span>' in (
        response.content.decode()
    )


def test_the_summary_names_the_staff_who_placed_the_order(admin_client, store_admin):
    order = OrderFactory(placed_by=store_admin)

    response = admin_client.get(url("summary", order))

    assert "Staff: admin@school.example" in response.content.decode()


def test_the_customer_profile_tab_opens_the_profile_edit_page(admin_client):
    order = OrderFactory()

    response = admin_client.get(url("summary", order))

    profile_url = reverse("customers:edit", args=[order.customer_id])
    assert f'href="{profile_url}"><i class="bi bi-person-lines-fill"' in (
        response.content.decode()
    )


def test_the_summary_takes_a_handful_of_queries(
    admin_client, django_assert_max_num_queries
):
    order = OrderFactory()
    for _ in range(5):
        OrderLineFactory(order=order)

    with django_assert_max_num_queries(10):
        admin_client.get(url("summary", order))


# Billing address


def test_the_billing_form_carries_the_orders_version(admin_client):
    order = OrderFactory(version=4)

    response = admin_client.get(url("billing", order))

    assert 'name="version" value="4"' in response.content.decode()


def test_saving_the_billing_form_changes_the_order_only(admin_client):
    order = OrderFactory()

    admin_client.post(url("billing", order), ADDRESS | {"version": 1})

    order.refresh_from_db()
    order.customer.refresh_from_db()
    assert (order.billing_line1, order.customer.billing_line1) == (
        "9 Elm Street",
        "1 School Lane",
    )


def test_a_stale_billing_form_is_refused_and_keeps_the_admins_input(
    admin_client, other_admin
):
    order = OrderFactory()
    order_update_billing_address(
        order=order,
        address=ADDRESS | {"billing_city": "Casper"},
        expected_version=1,
        actor=other_admin,
    )

    response = admin_client.post(
        url("billing", order), ADDRESS | {"billing_city": "Mine", "version": 1}
    )

    assert response.context["form"]["billing_city"].value() == "Mine"


def test_a_stale_billing_form_shows_what_the_other_admin_changed(
    admin_client, other_admin
):
    order = OrderFactory(billing_city="Springfield")
    order_update_billing_address(
        order=order,
        address=ADDRESS | {"billing_city": "Casper"},
        expected_version=1,
        actor=other_admin,
    )

    response = admin_client.post(url("billing", order), ADDRESS | {"version": 1})

    assert "city: Springfield → Casper" in response.content.decode()


def test_saving_a_stale_form_again_goes_through(admin_client, other_admin):
    order = OrderFactory()
    order_update_billing_address(
        order=order, address=ADDRESS, expected_version=1, actor=other_admin
    )
    refused = admin_client.post(
        url("billing", order), ADDRESS | {"billing_city": "Mine", "version": 1}
    )

    admin_client.post(
        url("billing", order),
        ADDRESS
        | {
            "billing_city": "Mine",
            "version": refused.context["form"]["version"].value(),
        },
    )

    order.refresh_from_db()
    assert order.billing_city == "Mine"


def test_a_billing_form_without_its_version_is_a_form_error(admin_client):
    order = OrderFactory()

    response = admin_client.post(url("billing", order), ADDRESS | {"version": "x"})

    assert "version" in response.context["form"].errors


# Status


def test_changing_the_status_from_the_summary(admin_client):
    order = OrderFactory(status=OrderStatus.PAID)

    admin_client.post(url("change_status", order), {"status": "fulfilled"})

    order.refresh_from_db()
    assert order.status == OrderStatus.FULFILLED


def test_a_status_the_order_cannot_reach_is_refused(admin_client):
    order = OrderFactory(status=OrderStatus.PAID)

    response = admin_client.post(
        url("change_status", order), {"status": "pending"}, follow=True
    )

    assert "Select a valid choice" in messages_of(response)[0]


def test_marking_paid_by_check_asks_for_the_check_number(admin_client):
    order = OrderFactory(status=OrderStatus.PENDING, amount_paid=0)

    response = admin_client.post(
        url("change_status", order),
        {"status": "paid", "payment_method": "check"},
        follow=True,
    )

    assert messages_of(response) == ["Enter the check number."]


def test_marking_paid_by_check_records_the_check(admin_client):
    order = OrderFactory(status=OrderStatus.PENDING, amount_paid=0)

    admin_client.post(
        url("change_status", order),
        {"status": "paid", "payment_method": "check", "check_number": "1042"},
    )

    order.refresh_from_db()
    assert (order.status, order.payment_reference) == ("paid", "1042")


# Refunds


def test_a_partial_refund_from_the_payments_tab(admin_client):
    order = paid_by_card()

    admin_client.post(url("refund", order), {"amount": "12.50"})

    order.refresh_from_db()
    assert (order.amount_refunded, order.status) == (
        Decimal("12.50"),
        OrderStatus.PARTIALLY_REFUNDED,
    )


@pytest.mark.parametrize("amount", ["30.01", "0", "-5", "abc", "1e309", "NaN", "0.001"])
def test_a_refund_amount_out_of_bounds_is_a_form_error(admin_client, amount):
    order = paid_by_card()

    response = admin_client.post(url("refund", order), {"amount": amount})

    assert response.status_code == 200
    assert "amount" in response.context["refund_form"].errors


def test_the_payments_tab_offers_no_refund_on_an_unpaid_order(admin_client):
    order = OrderFactory(status=OrderStatus.PENDING, amount_paid=0)

    response = admin_client.get(url("payments", order))

    assert "refund_form" not in response.context


# Notes and history


def test_a_note_added_from_the_history_tab(admin_client):
    order = OrderFactory()

    admin_client.post(
        url("add_note", order), {"body": "Collected", "visibility": "customer"}
    )

    assert order.notes.get().visibility == OrderNote.Visibility.CUSTOMER


def test_an_empty_note_is_a_form_error(admin_client):
    order = OrderFactory()

    response = admin_client.post(
        url("add_note", order), {"body": "", "visibility": "internal"}
    )

    assert "body" in response.context["note_form"].errors


def test_the_history_tab_shows_who_changed_what(admin_client):
    order = OrderFactory(status=OrderStatus.PAID)
    admin_client.post(url("change_status", order), {"status": "fulfilled"})

    response = admin_client.get(url("history", order))

    assert "status: paid → fulfilled" in response.content.decode().lower()


def test_a_system_note_has_no_edit_link(admin_client):
    order = OrderFactory(status=OrderStatus.PAID)
    admin_client.post(url("change_status", order), {"status": "fulfilled"})
    note = order.notes.get()

    response = admin_client.get(url("history", order))

    assert url("edit_note", order, note.pk) not in response.content.decode()


def test_a_system_note_cannot_be_edited_by_url(admin_client):
    order = OrderFactory(status=OrderStatus.PAID)
    admin_client.post(url("change_status", order), {"status": "fulfilled"})
    note = order.notes.get()

    admin_client.post(
        url("edit_note", order, note.pk),
        {"body": "Rewritten", "visibility": "internal"},
    )

    note.refresh_from_db()
    assert note.body != "Rewritten"


def test_a_staff_note_is_edited_and_recorded(admin_client, store_admin):
    order = OrderFactory()
    note = OrderNote.objects.create(order=order, author=store_admin, body="Tpyo")

    admin_client.post(
        url("edit_note", order, note.pk), {"body": "Typo", "visibility": "internal"}
    )

    assert history_for(order).get().changes["note"] == ["Tpyo", "Typo"]


def test_a_note_of_another_order_is_not_found(admin_client, store_admin):
    note = OrderNote.objects.create(order=OrderFactory(), author=store_admin, body="x")

    response = admin_client.get(url("edit_note", OrderFactory(), note.pk))

    assert response.status_code == 404
