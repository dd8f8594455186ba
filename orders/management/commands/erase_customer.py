import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from customers.commands import profile_for_command
from customers.models import normalize_email
from orders.customer_erase import ErasureRefused, customer_erase

ACTOR = "command: erase_customer"


class Command(BaseCommand):
    help = "Erase a customer's personal data on request, keeping their orders' amounts."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The customer's e-mail address.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be erased, writing nothing.",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Do not ask for confirmation (for scripts; erasing cannot be undone).",
        )

    def handle(self, *args, email, dry_run, yes, **options):
        profile = profile_for_command(email)
        if not (dry_run or yes):
            self.confirm(profile.user.email)

        with transaction.atomic():
            try:
                report = customer_erase(profile=profile, actor=ACTOR)
            except ErasureRefused as refusal:
                raise CommandError(str(refusal)) from None
            if dry_run:
                transaction.set_rollback(True)

        counts = ", ".join(
            f"{count} {name.replace('_', ' ')}"
            for name, count in report.as_dict().items()
        )
        prefix = "Dry run, nothing written: would erase" if dry_run else "Erased"
        self.stdout.write(f"{prefix} {profile.user.email}: {counts}.")

    def confirm(self, email: str) -> None:
        if not sys.stdin.isatty():
            raise CommandError("Erasing cannot be undone: pass --yes to confirm.")
        answer = input(f"Erasing cannot be undone. Type {email} to confirm: ")
        if normalize_email(answer) != email:
            raise CommandError("Not confirmed; nothing was erased.")
