from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.module_loading import import_string

SUITES = {
    "orders": "orders.benchmarks.run",
    "activity": "activity.benchmarks.run",
}


class Command(BaseCommand):
    help = "Measure the product against its speed bars on the current database."

    def add_arguments(self, parser):
        parser.add_argument(
            "suites",
            nargs="*",
            help=f"Which suites to run: {', '.join(SUITES)} (default: all).",
        )

    def handle(self, *args, suites, **options):
        unknown = sorted(set(suites) - set(SUITES))
        if unknown:
            raise CommandError(
                f"Unknown suite {unknown[0]!r}; choose from {', '.join(SUITES)}."
            )

        self.stdout.write(
            f"Database: {connection.vendor} {connection.settings_dict['NAME']}"
        )
        for name in suites or SUITES:
            self.stdout.write(f"== {name}")
            run = import_string(SUITES[name])
            run(self.stdout.write)
        self.stdout.write("Benchmarks done.")
