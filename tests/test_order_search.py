"""The Order Manager's search: the quick box, every filter and the keyset pages."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.filters import OrderFilter
from orders.models import Order, OrderStatus, PaymentMethod
from orders.search import (
    cursor_for,
    cursor_values,
    order_number_in,
    order_page,
    orders_matching,
    per_page_from,
    sort_from,
)
from tests.factories import (
    CustomerFactory,
    GroupFactory,
    GuestCustomerFactory,
    OrderFactory,
)

MANAGER = reverse("orders:manager")


def numbers(queryset) -> set[str]:
    return set(queryset.values_list("number", flat=True))


def shown(response) -> list[str]:
    return [row.record.number for row in response.context["table"].rows]


def search(**data) -> set[str]:
    filterset = OrderFilter(data, queryset=Order.objects.all())
    assert filterset.is_valid(), filterset.errors
    return numbers(filterset.qs)


def test_an_order_number_is_read_whatever_its_spacing_and_case():
    assert order_number_in(" u000-0001 ") == "U0000001"


def test_a_word_is_not_an_order_number():
    assert order_number_in("smith") is None


def test_an_unknown_sort_falls_back_to_newest_first():
    assert sort_from("password") == "-placed_at"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1000000", 100), ("0", 1), ("-5", 1), ("abc", 25), (None, 25), ("50", 50)],
)
def test_the_page_size_is_clamped(value, expected):
    assert per_page_from(value) == expected


@pytest.mark.django_db
def test_the_quick_search_finds_a_substring_of_the_customer_name():
    wanted = OrderFactory(customer=CustomerFactory(first_name="Marguerite"))
    OrderFactory(customer=CustomerFactory(first_name="Bob"))

    assert numbers(orders_matching(Order.objects.all(), "GUERIT")) == {wanted.number}


@pytest.mark.django_db
def test_the_quick_search_finds_a_guest_order_by_its_billing_name():
    wanted = OrderFactory(
        customer=GuestCustomerFactory(), is_guest=True, billing_name="Ngozi Okafor"
    )
    OrderFactory()

    assert search(q="okafor") == {wanted.number}


@pytest.mark.django_db
def test_the_quick_search_finds_part_of_an_order_number():
    wanted = OrderFactory(number="ABCD2345")
    OrderFactory(number="ZZZZ9999")

    assert search(q="cd23") == {wanted.number}


@pytest.mark.django_db
def test_a_whole_email_matches_the_order_copy_exactly():
    wanted = OrderFactory(email="jo@example.com")
    OrderFactory(email="jo@example.com.au")

    assert search(q="JO@example.com") == {wanted.number}


@pytest.mark.django_db
def test_a_whole_email_finds_the_customers_orders_placed_under_an_old_address():
    customer = CustomerFactory(user__email="new@example.com")
    wanted = OrderFactory(customer=customer, email="old@example.com")

    assert search(q="new@example.com") == {wanted.number}


@pytest.mark.django_db
def test_a_guest_order_is_found_by_the_guest_email():
    guest = GuestCustomerFactory(user__email="guest.family@mail.example")
    wanted = OrderFactory(customer=guest, is_guest=True)
    OrderFactory()

    assert search(q="guest.family@mail.example") == {wanted.number}


@pytest.mark.django_db
def test_the_status_filter_keeps_the_chosen_statuses():
    paid = OrderFactory(status=OrderStatus.PAID)
    pending = OrderFactory(status=OrderStatus.PENDING, amount_paid=0)
    OrderFactory(status=OrderStatus.CANCELLED, amount_paid=0)

    assert search(status=["paid", "pending"]) == {paid.number, pending.number}


@pytest.mark.django_db
def test_the_placed_between_filter_includes_both_whole_days():
    day = timezone.make_aware(datetime(2026, 3, 10, 23, 30))
    inside = OrderFactory(placed_at=day)
    OrderFactory(placed_at=day + timedelta(days=1))
    OrderFactory(placed_at=day - timedelta(days=2))

    found = search(placed_after="2026-03-09", placed_before="2026-03-10")

    assert found == {inside.number}


@pytest.mark.django_db
def test_the_guest_filter_keeps_guest_orders():
    guest = OrderFactory(customer=GuestCustomerFactory(), is_guest=True)
    OrderFactory(is_guest=False)

    assert search(guest="guest") == {guest.number}


@pytest.mark.django_db
def test_the_registered_filter_leaves_guest_orders_out():
    registered = OrderFactory(is_guest=False)
    OrderFactory(customer=GuestCustomerFactory(), is_guest=True)

    assert search(guest="registered") == {registered.number}


@pytest.mark.django_db
def test_the_placed_by_staff_filter_keeps_orders_staff_placed(store_admin):
    by_staff = OrderFactory(placed_by=store_admin)
    OrderFactory()

    assert search(placed_by="staff") == {by_staff.number}


@pytest.mark.django_db
def test_the_placed_by_customer_filter_leaves_staff_orders_out(store_admin):
    by_customer = OrderFactory()
    OrderFactory(placed_by=store_admin)

    assert search(placed_by="customer") == {by_customer.number}


@pytest.mark.django_db
def test_the_group_filter_keeps_orders_of_the_groups_members():
    band = GroupFactory(name="Band")
    member = CustomerFactory()
    member.user.groups.add(band)
    wanted = OrderFactory(customer=member)
    OrderFactory()

    assert search(group=str(band.pk)) == {wanted.number}


@pytest.mark.django_db
def test_the_total_filter_keeps_totals_between_both_bounds():
    OrderFactory(total=Decimal("5.00"))
    middle = OrderFactory(total=Decimal("20.00"))
    OrderFactory(total=Decimal("50.00"))

    assert search(total_min="10", total_max="20") == {middle.number}


@pytest.mark.django_db
def test_the_payment_method_filter_keeps_that_method():
    cash = OrderFactory(payment_method=PaymentMethod.CASH)
    OrderFactory(payment_method=PaymentMethod.CARD)

    assert search(payment_method="cash") == {cash.number}


@pytest.mark.django_db
def test_an_exact_order_number_jumps_to_its_summary(admin_client):
    order = OrderFactory(number="ABCD2345")

    response = admin_client.get(MANAGER, {"q": "abcd-2345"})

    assert response.url == reverse("orders:summary", args=[order.number])


@pytest.mark.django_db
def test_an_order_number_shape_that_matches_no_order_searches_as_text(admin_client):
    order = OrderFactory(customer=CustomerFactory(first_name="Abcdefgh"))

    response = admin_client.get(MANAGER, {"q": "ABCDEFGH"})

    assert shown(response) == [order.number]


@pytest.mark.django_db
def test_a_two_character_search_is_a_form_error_not_a_scan(
    admin_client, django_assert_max_num_queries
):
    OrderFactory()

    with django_assert_max_num_queries(8):
        response = admin_client.get(MANAGER, {"q": "ab"})

    assert response.status_code == 200
    assert "q" in response.context["filterset"].errors


@pytest.mark.django_db
def test_the_active_filters_are_shown_as_chips_that_drop_one_value(admin_client):
    response = admin_client.get(MANAGER, {"status": ["paid", "pending"], "q": "pat"})

    chips = {chip.value: chip.remove_url for chip in response.context["chips"]}

    assert chips["Paid"] == "?status=pending&q=pat"


@pytest.mark.django_db
def test_a_chip_for_the_quick_search_drops_only_the_search(admin_client):
    response = admin_client.get(MANAGER, {"q": "pat", "guest": "guest"})

    chips = {chip.value: chip.remove_url for chip in response.context["chips"]}

    assert chips["pat"] == "?guest=guest"


@pytest.mark.django_db
def test_the_results_are_newest_first():
    old = OrderFactory(placed_at=timezone.now() - timedelta(days=3))
    new = OrderFactory(placed_at=timezone.now())

    page = order_page(Order.objects.all(), sort="-placed_at", per_page=25)

    assert [order.number for order in page.rows] == [new.number, old.number]


def make_orders(count: int) -> list[Order]:
    start = timezone.now() - timedelta(days=1)
    customer = CustomerFactory()
    return [
        OrderFactory(
            customer=customer,
            placed_at=start + timedelta(minutes=n % 3),
            total=Decimal(n % 4),
        )
        for n in range(count)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["-placed_at", "placed_at", "total", "-total"])
def test_walking_the_pages_forward_visits_every_order_once_in_order(sort):
    made = make_orders(11)
    expected = list(Order.objects.order_by(*sort_ordering(sort)))

    seen, after = [], None
    while True:
        page = order_page(Order.objects.all(), sort=sort, per_page=4, after=after)
        seen += page.rows
        if not page.next_cursor:
            break
        after = page.next_cursor

    assert [o.pk for o in seen] == [o.pk for o in expected] and len(seen) == len(made)


def sort_ordering(sort: str):
    from orders.search import SORTS

    return SORTS[sort].ordering


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["-placed_at", "status", "-status", "number"])
def test_the_previous_page_is_the_page_before(sort):
    make_orders(10)
    first = order_page(Order.objects.all(), sort=sort, per_page=4)
    second = order_page(
        Order.objects.all(), sort=sort, per_page=4, after=first.next_cursor
    )

    back = order_page(
        Order.objects.all(), sort=sort, per_page=4, before=second.previous_cursor
    )

    assert [o.pk for o in back.rows] == [o.pk for o in first.rows]


@pytest.mark.django_db
def test_the_first_page_has_no_previous_page():
    make_orders(3)

    page = order_page(Order.objects.all(), sort="-placed_at", per_page=25)

    assert page.previous_cursor is None and page.next_cursor is None


@pytest.mark.django_db
def test_a_cursor_reads_back_as_the_orders_sort_values():
    order = OrderFactory(total=Decimal("12.50"))

    values = cursor_values(cursor_for(order, "-total"), "-total")

    assert values == [Decimal("12.50"), order.pk]


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", "12~x", "~", "1e999999~1", "NaN~3", "inf~2", "5~99999999999999999999"],
)
def test_a_cursor_that_does_not_parse_is_refused(cursor):
    assert cursor_values(cursor, "-total") is None


@pytest.mark.parametrize(
    "cursor",
    [
        "2026-01-01T00:00:00~1",
        "9999-12-31T23:59:59-14:00~1",
        "2026-13-01T00:00:00+00:00~1",
    ],
)
def test_a_date_cursor_without_a_time_zone_or_out_of_range_is_refused(cursor):
    assert cursor_values(cursor, "-placed_at") is None


@pytest.mark.parametrize("cursor", ["paid\x00", "password"])
def test_a_status_cursor_must_name_a_status(cursor):
    assert cursor_values(cursor + "~2026-01-01T00:00:00+00:00~1", "status") is None


@pytest.mark.django_db
def test_a_broken_cursor_shows_the_first_page_with_a_message(admin_client):
    order = OrderFactory()

    response = admin_client.get(MANAGER, {"after": "garbage~garbage"})

    assert shown(response) == [order.number]


@pytest.mark.django_db
def test_a_group_chip_names_the_group(admin_client):
    band = GroupFactory(name="Band")

    response = admin_client.get(MANAGER, {"group": str(band.pk)})

    assert [chip.value for chip in response.context["chips"]] == ["Band"]


@pytest.mark.django_db
def test_date_chips_drop_one_end_of_the_range(admin_client):
    response = admin_client.get(
        MANAGER, {"placed_after": "2026-01-01", "placed_before": "2026-01-31"}
    )

    urls = [chip.remove_url for chip in response.context["chips"]]
    assert urls == ["?placed_before=2026-01-31", "?placed_after=2026-01-01"]


@pytest.mark.django_db
def test_a_search_too_long_to_be_a_name_is_a_form_error(admin_client):
    response = admin_client.get(MANAGER, {"q": "x" * 101})

    assert response.context["filterset"].errors["q"] == ["Type at most 100 characters."]
