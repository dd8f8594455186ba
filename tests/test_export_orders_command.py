"""`manage.py export_orders`: the Order Manager's CSV for ops."""

import csv
import io
from datetime import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from orders.export import HEADER
from tests.factories import CustomerFactory, OrderFactory

pytestmark = pytest.mark.django_db


def export(*args) -> tuple[list[list[str]], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_orders", *args, stdout=out, stderr=err)
    return list(csv.reader(io.StringIO(out.getvalue()))), err.getvalue()


def on(day: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(day + "T12:00"))


def test_it_writes_every_order_to_standard_output():
    orders = [OrderFactory(), OrderFactory()]

    rows, _ = export()

    assert rows[0] == HEADER
    assert {row[0] for row in rows[1:]} == {order.number for order in orders}


def test_it_ends_with_a_summary_line_on_standard_error():
    OrderFactory()

    _, summary = export()

    assert summary.startswith("Exported 1 orders to standard output in ")


def test_it_keeps_the_days_between_since_and_until():
    OrderFactory(placed_at=on("2026-01-31"))
    inside = OrderFactory(placed_at=on("2026-02-01"))
    OrderFactory(placed_at=on("2026-02-02"))

    rows, _ = export("--since", "2026-02-01", "--until", "2026-02-01")

    assert [row[0] for row in rows[1:]] == [inside.number]


def test_it_keeps_the_statuses_asked_for():
    OrderFactory(status="paid")
    refunded = OrderFactory(status="refunded", amount_refunded="10.00")
    cancelled = OrderFactory(status="cancelled", amount_paid=0)

    rows, _ = export("--status", "refunded", "--status", "cancelled")

    assert {row[0] for row in rows[1:]} == {refunded.number, cancelled.number}


def test_it_keeps_one_customers_orders():
    customer = CustomerFactory(user__email="pat@example.com")
    wanted = OrderFactory(customer=customer)
    OrderFactory()

    rows, _ = export("--customer", "PAT@example.com")

    assert [row[0] for row in rows[1:]] == [wanted.number]


def test_it_writes_to_a_file(tmp_path):
    OrderFactory()
    target = tmp_path / "orders.csv"

    export("--output", str(target))

    assert target.read_text(encoding="utf-8").splitlines()[0] == ",".join(HEADER)


def test_it_writes_nothing_to_standard_output_when_writing_a_file(tmp_path):
    OrderFactory()

    rows, _ = export("--output", str(tmp_path / "orders.csv"))

    assert rows == []


@pytest.mark.parametrize(
    "args",
    [
        ["--since", "notadate"],
        ["--until", "2026-02-30"],
        ["--status", "shipped"],
        ["--customer", "not-an-address"],
        ["--since", "2026-03-01", "--until", "2026-02-01"],
        ["--output", "/no/such/directory/orders.csv"],
    ],
)
def test_bad_input_is_one_plain_error(args):
    with pytest.raises(CommandError):
        export(*args)
