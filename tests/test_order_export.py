"""The Order Manager's CSV export of the current search."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.http import StreamingHttpResponse
from django.test import override_settings
from django.urls import reverse

from orders.export import HEADER, export_lines, neutralise
from orders.models import Order
from tests.factories import CustomerFactory, GuestCustomerFactory, OrderFactory

EXPORT = reverse("orders:export")


def rows_of(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Pat Rivera", "Pat Rivera"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_neutralised(cell, safe):
    assert neutralise(cell) == safe


@pytest.mark.django_db
def test_a_formula_typed_as_a_billing_name_is_neutralised_in_the_export():
    OrderFactory(billing_name="=cmd|'/c calc'!A1")

    rows = list(csv.reader(io.StringIO("".join(export_lines(Order.objects.all())))))

    assert rows[1][HEADER.index("billing name")] == "'=cmd|'/c calc'!A1"


@pytest.mark.django_db
def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(EXPORT)

    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_a_shopper_is_refused(shopper_client):
    assert shopper_client.get(EXPORT).status_code == 403


@pytest.mark.django_db
def test_staff_without_back_office_access_are_refused(client, staff_outsider):
    client.force_login(staff_outsider)

    assert client.get(EXPORT).status_code == 403


@pytest.mark.django_db
def test_the_export_is_streamed(admin_client):
    response = admin_client.get(EXPORT)

    assert isinstance(response, StreamingHttpResponse)


@pytest.mark.django_db
def test_the_export_is_a_csv_attachment(admin_client):
    response = admin_client.get(EXPORT)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
def test_the_export_starts_with_the_header(admin_client):
    assert rows_of(admin_client.get(EXPORT))[0] == HEADER


@pytest.mark.django_db
def test_the_export_holds_the_current_search_only(admin_client):
    wanted = OrderFactory(customer=CustomerFactory(first_name="Marguerite"))
    OrderFactory(customer=CustomerFactory(first_name="Bob"))

    rows = rows_of(admin_client.get(EXPORT, {"q": "marguer"}))

    assert [row[0] for row in rows[1:]] == [wanted.number]


@pytest.mark.django_db
def test_the_export_marks_guest_orders(admin_client):
    OrderFactory(customer=GuestCustomerFactory(), is_guest=True)

    rows = rows_of(admin_client.get(EXPORT))

    assert rows[1][HEADER.index("guest")] == "yes"


@pytest.mark.django_db
def test_the_export_spells_status_and_payment_out(admin_client):
    OrderFactory(status="paid", payment_method="cash")

    row = rows_of(admin_client.get(EXPORT))[1]

    assert (row[HEADER.index("status")], row[HEADER.index("payment method")]) == (
        "Paid",
        "Cash",
    )


@pytest.mark.django_db
def test_the_export_holds_more_rows_than_one_chunk(admin_client, monkeypatch):
    monkeypatch.setattr("orders.export.CHUNK_SIZE", 2)
    monkeypatch.setattr("orders.export.ROWS_PER_PIECE", 3)
    for _ in range(7):
        OrderFactory()

    assert len(rows_of(admin_client.get(EXPORT))) == 8


@pytest.mark.django_db
def test_a_bad_search_is_sent_back_to_the_search_page(admin_client):
    response = admin_client.get(EXPORT, {"q": "ab", "total_min": "1e309"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("orders:manager") + "?")


@pytest.mark.django_db
def test_the_export_names_the_staff_who_placed_an_order(admin_client, store_admin):
    OrderFactory(placed_by=store_admin)

    rows = rows_of(admin_client.get(EXPORT))

    assert rows[1][HEADER.index("placed by")] == "admin@school.example"


@pytest.mark.django_db
@override_settings(TIME_ZONE="America/Chicago")
def test_the_export_gives_the_time_in_the_stores_time_zone(admin_client):
    OrderFactory(placed_at=datetime(2026, 7, 1, 17, 30, 15, 500, tzinfo=UTC))

    rows = rows_of(admin_client.get(EXPORT))

    assert rows[1][HEADER.index("placed (store time)")] == "2026-07-01 12:30:15"


@pytest.mark.django_db
def test_the_export_gives_each_orders_customer(admin_client):
    order = OrderFactory()

    rows = rows_of(admin_client.get(EXPORT))

    assert rows[1][HEADER.index("customer id")] == str(order.customer_id)
