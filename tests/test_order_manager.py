"""The Order Manager's front page: access, results, bad input and the bulk action."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders.models import Order, OrderNote, OrderStatus
from tests.factories import CustomerFactory, GuestCustomerFactory, OrderFactory

MANAGER = reverse("orders:manager")
BULK = reverse("orders:bulk_status")

pytestmark = pytest.mark.django_db


def shown(response) -> list[str]:
    return [row.record.number for row in response.context["table"].rows]


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(MANAGER)

    assert response.url.startswith(reverse("account_login"))


def test_a_shopper_is_refused(shopper_client):
    assert shopper_client.get(MANAGER).status_code == 403


def test_staff_without_back_office_access_are_refused(client, staff_outsider):
    client.force_login(staff_outsider)

    assert client.get(MANAGER).status_code == 403


def test_a_store_admin_sees_the_orders(admin_client):
    order = OrderFactory()

    response = admin_client.get(MANAGER)

    assert shown(response) == [order.number]


def test_a_guest_order_is_marked_guest_in_the_results(admin_client):
    OrderFactory(customer=GuestCustomerFactory(), is_guest=True)

    response = admin_client.get(MANAGER)

    assert 'text-bg-light border">Guest</span>' in response.content.decode()


def test_the_results_link_each_order_to_its_summary(admin_client):
    order = OrderFactory()

    response = admin_client.get(MANAGER)

    assert reverse("orders:summary", args=[order.number]) in response.content.decode()


def queries_for(client, per_page: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(MANAGER, {"per_page": per_page})
    assert len(shown(response)) == per_page
    return len(captured.captured_queries)


def test_the_query_count_is_the_same_for_5_and_100_rows(admin_client):
    customers = [CustomerFactory(), GuestCustomerFactory()]
    for n in range(100):
        OrderFactory(customer=customers[n % 2])

    assert queries_for(admin_client, 5) == queries_for(admin_client, 100)


def test_the_first_page_takes_at_most_ten_queries(
    admin_client, django_assert_max_num_queries
):
    for _ in range(30):
        OrderFactory()

    with django_assert_max_num_queries(10):
        admin_client.get(MANAGER)


def test_the_results_never_count_the_table(admin_client):
    OrderFactory()

    with CaptureQueriesContext(connection) as captured:
        admin_client.get(MANAGER)

    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)


def test_no_page_uses_offset(admin_client):
    for _ in range(30):
        OrderFactory()
    first = admin_client.get(MANAGER)

    with CaptureQueriesContext(connection) as captured:
        admin_client.get(MANAGER + "?" + first.context["next_query"])

    assert not any("OFFSET" in q["sql"].upper() for q in captured.captured_queries)


def test_the_older_link_shows_the_next_orders(admin_client):
    for _ in range(30):
        OrderFactory()
    first = admin_client.get(MANAGER)

    second = admin_client.get(MANAGER + "?" + first.context["next_query"])

    assert set(shown(first)).isdisjoint(shown(second)) and len(shown(second)) == 5


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "password"},
        {"sort": "nonexistent"},
        {"sort": "customer__user__password"},
        {"page": "0"},
        {"page": "abc"},
        {"page": "999999999"},
        {"per_page": "1000000"},
        {"per_page": "-1"},
        {"after": "x" * 500},
        {"before": "2026-01-01T00:00:00+00:00~-1"},
    ],
)
def test_bad_paging_or_sorting_gives_a_clean_page(admin_client, params):
    order = OrderFactory()

    response = admin_client.get(MANAGER, params)

    assert response.status_code == 200 and shown(response) == [order.number]


def test_a_huge_per_page_is_clamped_to_100(admin_client):
    for _ in range(101):
        OrderFactory()

    response = admin_client.get(MANAGER, {"per_page": "1000000"})

    assert len(shown(response)) == 100


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"placed_after": "notadate"}, "placed"),
        ({"total_min": "1e309"}, "total_min"),
        ({"total_max": "NaN"}, "total_max"),
        ({"total_min": "-Infinity"}, "total_min"),
        ({"q": "ab"}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"status": "bogus"}, "status"),
        ({"group": "999999"}, "group"),
        ({"group": "abc"}, "group"),
        ({"payment_method": "bitcoin"}, "payment_method"),
        ({"guest": "maybe"}, "guest"),
    ],
)
def test_bad_search_input_is_a_form_error(admin_client, params, field):
    response = admin_client.get(MANAGER, params)

    assert response.status_code == 200
    assert field in response.context["filterset"].errors


def test_a_bad_search_shows_no_results_and_no_chart(admin_client):
    OrderFactory()

    response = admin_client.get(MANAGER, {"q": "ab"})

    assert response.context["page"] is None
    assert reverse("orders:chart") not in response.content.decode()


def test_the_sort_headers_drop_the_page_cursor(admin_client):
    for _ in range(30):
        OrderFactory()
    first = admin_client.get(MANAGER)

    response = admin_client.get(MANAGER + "?" + first.context["next_query"])

    assert 'href="?sort=number"' in response.content.decode()


def test_sorting_by_total_puts_the_smallest_first(admin_client):
    small = OrderFactory(total="1.00")
    OrderFactory(total="9.00")

    response = admin_client.get(MANAGER, {"sort": "total"})

    assert shown(response)[0] == small.number


def test_the_export_and_chart_links_carry_the_search(admin_client):
    response = admin_client.get(MANAGER, {"q": "rivera", "sort": "total"})

    assert f"{reverse('orders:export')}?q=rivera" in response.content.decode()


# The bulk status change


def test_the_bulk_action_only_takes_post(admin_client):
    assert admin_client.get(BULK).status_code == 405


def test_the_bulk_action_sends_a_visitor_to_log_in(client):
    response = client.post(BULK, {"orders": ["X"], "status": "fulfilled"})

    assert response.url.startswith(reverse("account_login"))


def test_the_bulk_action_refuses_a_shopper(shopper_client):
    response = shopper_client.post(BULK, {"orders": ["X"], "status": "fulfilled"})

    assert response.status_code == 403


def test_the_bulk_action_changes_every_allowed_order(admin_client):
    orders = [OrderFactory(status=OrderStatus.PAID) for _ in range(3)]

    admin_client.post(
        BULK, {"orders": [o.number for o in orders], "status": "fulfilled"}
    )

    assert set(Order.objects.values_list("status", flat=True)) == {"fulfilled"}


def test_the_bulk_action_reports_the_refused_orders(admin_client):
    paid = OrderFactory(status=OrderStatus.PAID)
    cancelled = OrderFactory(status=OrderStatus.CANCELLED, amount_paid=0)

    response = admin_client.post(
        BULK,
        {"orders": [paid.number, cancelled.number], "status": "fulfilled"},
        follow=True,
    )

    texts = [str(m) for m in response.context["messages"]]
    assert texts[0] == "1 order marked Fulfilled."
    assert texts[1].startswith(f"{cancelled.number} was not changed")


def test_the_bulk_action_writes_a_system_note_per_changed_order(admin_client):
    order = OrderFactory(status=OrderStatus.PAID)

    admin_client.post(BULK, {"orders": [order.number], "status": "fulfilled"})

    assert OrderNote.objects.get(order=order).is_system


def test_the_bulk_action_without_ticked_orders_says_so(admin_client):
    response = admin_client.post(BULK, {"status": "fulfilled"}, follow=True)

    assert "Tick the orders" in str(list(response.context["messages"])[0])


def test_the_bulk_action_goes_back_to_the_search(admin_client):
    order = OrderFactory(status=OrderStatus.PAID)

    response = admin_client.post(
        BULK,
        {"orders": [order.number], "status": "fulfilled", "next": MANAGER + "?q=abc"},
    )

    assert response.url == MANAGER + "?q=abc"


def test_the_bulk_action_never_redirects_off_site(admin_client):
    order = OrderFactory(status=OrderStatus.PAID)

    response = admin_client.post(
        BULK,
        {"orders": [order.number], "status": "fulfilled", "next": "https://evil/"},
    )

    assert response.url == MANAGER


def test_the_bulk_action_refuses_an_unknown_status(admin_client):
    order = OrderFactory(status=OrderStatus.PAID)

    admin_client.post(BULK, {"orders": [order.number], "status": "refunded"})

    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
