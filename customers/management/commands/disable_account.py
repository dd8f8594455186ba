from django.core.management.base import BaseCommand, CommandError

from customers.commands import profile_for_command
from customers.services import CustomerError, customer_disable, customer_enable

ACTOR = "command: disable_account"


class Command(BaseCommand):
    help = "Disable a customer's account, ending their sessions at once, or enable it."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The customer's e-mail address.")
        parser.add_argument(
            "--enable",
            action="store_true",
            help="Enable the account again instead of disabling it.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would change, writing nothing.",
        )

    def handle(self, *args, email, enable, dry_run, **options):
        profile = profile_for_command(email)

        wanted_active = enable
        verb = "enabled" if enable else "disabled"
        if profile.user.is_active == wanted_active:
            self.stdout.write(f"Unchanged: {profile.user.email} is already {verb}.")
            return
        if dry_run:
            self.stdout.write(
                f"Dry run, nothing written: would have {verb} {profile.user.email}."
            )
            return

        service = customer_enable if enable else customer_disable
        try:
            service(profile=profile, actor=ACTOR)
        except CustomerError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Account {verb}: {profile.user.email}.")
