import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from activity.services import DELETE_BATCH, page_views_prune


class Command(BaseCommand):
    help = (
        "Remove page views older than a number of days: whole monthly "
        "partitions on PostgreSQL, batched deletes otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            default=None,
            help=(
                "Remove views older than this many days "
                "(default: the ACTIVITY_RETENTION_DAYS setting)."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be removed, and change nothing.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DELETE_BATCH,
            help=f"Rows per delete outside whole partitions (default {DELETE_BATCH}).",
        )

    def handle(self, *args, older_than, dry_run, batch_size, verbosity, **options):
        days = settings.ACTIVITY_RETENTION_DAYS if older_than is None else older_than
        if days < 1:
            raise CommandError("--older-than must be at least 1 day.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")

        show_bar = verbosity >= 1 and sys.stderr.isatty()
        with tqdm(unit="views", disable=not show_bar, file=sys.stderr) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            summary = page_views_prune(
                older_than_days=days,
                dry_run=dry_run,
                batch_size=batch_size,
                progress=progress,
            )

        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {summary.rows_removed} page views older than {days} days "
            f"(before {summary.cutoff:%Y-%m-%d %H:%M} UTC): "
            f"{len(summary.partitions_dropped)} monthly partitions "
            f"({summary.rows_dropped} views) dropped, "
            f"{summary.rows_deleted} views deleted in batches."
        )
