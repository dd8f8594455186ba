import random
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from orders import demo


class Command(BaseCommand):
    help = (
        "Load the demo store, and optionally bulk customers and orders for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--customers",
            type=int,
            default=0,
            help="Make bulk demo customers until there are this many (default 0).",
        )
        parser.add_argument(
            "--orders",
            type=int,
            default=0,
            help="Make bulk demo orders until there are this many (default 0).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help="Rows written per transaction in bulk mode (default 5000).",
        )
        parser.add_argument(
            "--seed", type=int, default=2027, help="Random seed (default 2027)."
        )

    def handle(self, *args, customers, orders, batch_size, seed, **options):
        if customers < 0 or orders < 0 or batch_size < 1:
            raise CommandError(
                "--customers and --orders must be 0 or more, --batch-size 1 or more."
            )
        if orders and not customers and not demo.has_bulk_customers():
            raise CommandError("Bulk orders need bulk customers: pass --customers too.")

        named = demo.seed_named_store(random.Random(seed))
        made_customers = self.run_bulk(
            "customers", demo.bulk_customers(customers, batch_size), customers
        )
        made_orders = self.run_bulk(
            "orders", demo.bulk_orders(orders, batch_size), orders
        )

        admin_email, admin_password = demo.DEMO_ADMIN
        shopper_email, shopper_password = demo.DEMO_SHOPPER
        self.stdout.write(f"Store admin: {admin_email} / {admin_password}")
        self.stdout.write(f"Shopper:     {shopper_email} / {shopper_password}")
        new_orders = named["orders"] + made_orders
        self.stdout.write(
            f"Demo store ready: {named['items']} catalog items, "
            f"{named['groups']} groups, {new_orders} new orders, "
            f"{made_customers} new bulk customers."
        )

    def run_bulk(self, label, batches, target):
        made = 0
        with tqdm(
            total=target, desc=label, unit="rows", disable=not sys.stdout.isatty()
        ) as progress:
            for size in batches:
                made += size
                progress.update(size)
        return made
