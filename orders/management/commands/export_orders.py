import csv
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from tqdm import tqdm

from orders.export import HEADER, export_rows
from orders.filters import OrderFilter
from orders.models import Order, OrderStatus
from orders.search import email_in

OPTION_OF_FIELD = {
    "placed": "--since/--until",
    "status": "--status",
    "q": "--customer",
}


class Command(BaseCommand):
    help = "Write orders as CSV, newest first, filtered as in the Order Manager."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            metavar="YYYY-MM-DD",
            help="Only orders placed on this day or later (the store's time zone).",
        )
        parser.add_argument(
            "--until",
            metavar="YYYY-MM-DD",
            help="Only orders placed on this day or earlier (the store's time zone).",
        )
        parser.add_argument(
            "--status",
            action="append",
            choices=OrderStatus.values,
            help="Only orders with this status; repeat it for several.",
        )
        parser.add_argument(
            "--customer",
            metavar="EMAIL",
            help="Only the orders of this customer: the order's or the login's "
            "e-mail address, matched exactly.",
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="Write the CSV to FILE instead of standard output.",
        )

    def handle(self, *args, since, until, status, customer, output, **options):
        orders = self.orders(since=since, until=until, status=status, customer=customer)
        started = time.monotonic()
        if output:
            try:
                with open(output, "w", newline="", encoding="utf-8") as handle:
                    count = self.write_csv(orders, handle)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        else:
            count = self.write_csv(orders, _OutputFile(self.stdout))

        seconds = time.monotonic() - started
        self.stderr.write(
            f"Exported {count} orders to {output or 'standard output'} "
            f"in {seconds:.1f} s."
        )

    def orders(self, *, since, until, status, customer):
        data = QueryDict(mutable=True)
        if since:
            data["placed_after"] = since
        if until:
            data["placed_before"] = until
        if status:
            data.setlist("status", status)
        if customer:
            if not email_in(customer):
                raise CommandError(
                    f"--customer: {customer!r} is not an e-mail address."
                )
            data["q"] = customer

        filterset = OrderFilter(data, queryset=Order.objects.all())
        if not filterset.is_valid():
            field, errors = next(iter(filterset.errors.items()))
            option = OPTION_OF_FIELD.get(field, field)
            hint = " (use YYYY-MM-DD)" if field == "placed" else ""
            raise CommandError(f"{option}: {' '.join(errors)}{hint}")
        placed = filterset.form.cleaned_data.get("placed")
        if placed and placed.start and placed.stop and placed.start > placed.stop:
            raise CommandError("--until is before --since.")
        return filterset.qs

    def write_csv(self, orders, handle) -> int:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        count = 0
        with tqdm(
            unit=" orders", file=sys.stderr, disable=not sys.stderr.isatty()
        ) as progress:
            for row in export_rows(orders):
                writer.writerow(row)
                count += 1
                if count % 1000 == 0:
                    progress.update(1000)
        return count


class _OutputFile:
    """The command's stdout as a file for csv.writer, without added line ends."""

    def __init__(self, stdout):
        self.stdout = stdout

    def write(self, text: str) -> None:
        self.stdout.write(text, ending="")
