from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from customers.commands import profile_for_command
from orders.customer_merge import MergeRefused, customers_merge

ACTOR = "command: merge_customers"


class Command(BaseCommand):
    help = "Move everything of a duplicate customer profile into the one to keep."

    def add_arguments(self, parser):
        parser.add_argument("from_email", help="E-mail of the duplicate profile.")
        parser.add_argument("into_email", help="E-mail of the profile to keep.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would move, writing nothing.",
        )

    def handle(self, *args, from_email, into_email, dry_run, **options):
        duplicate = profile_for_command(from_email)
        kept = profile_for_command(into_email)

        with transaction.atomic():
            try:
                report = customers_merge(duplicate=duplicate, kept=kept, actor=ACTOR)
            except MergeRefused as refusal:
                raise CommandError(str(refusal)) from None
            if dry_run:
                transaction.set_rollback(True)

        moved = ", ".join(
            f"{count} {name.replace('_', ' ')}"
            for name, count in report.as_dict().items()
        )
        prefix = "Dry run, nothing written: would merge" if dry_run else "Merged"
        self.stdout.write(
            f"{prefix} {duplicate.user.email} into {kept.user.email}: {moved}."
        )
