import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from customers.importing import COLUMNS, RowError, customers_import

ACTOR = "command: import_customers"


class Command(BaseCommand):
    help = "Create or update customers from a CSV file, reporting each bad row."

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help=f"CSV with a header line; columns: {', '.join(COLUMNS)} "
            "(only email is required; groups separated by ';').",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and report what would change, writing nothing.",
        )
        parser.add_argument(
            "--encoding",
            default="utf-8-sig",
            help="The file's text encoding (default utf-8, with or without a BOM).",
        )

    def handle(self, *args, file, dry_run, encoding, **options):
        try:
            with open(file, encoding=encoding, newline="") as handle:
                lines = handle.readlines()
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except LookupError:
            raise CommandError(f"Unknown encoding: {encoding}") from None
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{file} is not {encoding} text (byte {error.start}); "
                "name its encoding with --encoding, e.g. --encoding cp1252."
            ) from None

        with tqdm(
            total=max(len(lines) - 1, 0),
            unit="rows",
            disable=not sys.stdout.isatty(),
        ) as progress:
            try:
                report = customers_import(
                    lines, actor=ACTOR, dry_run=dry_run, progress=progress
                )
            except RowError as error:
                raise CommandError(str(error)) from None

        for line, reason in report.refused:
            self.stderr.write(f"line {line}: {reason}")
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.total} rows: {report.created} created, "
            f"{report.updated} updated, {report.unchanged} unchanged, "
            f"{len(report.refused)} refused."
        )
        if report.refused:
            raise CommandError(f"{len(report.refused)} rows were refused; see above.")
