from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from activity.services import page_views_erase

ACTOR = "command: erase_customer_activity"


class Command(BaseCommand):
    help = (
        "Delete every page view of one customer, and the anonymous views of "
        "the same browsers, recording the erasure in their history."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The customer's e-mail address (login).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count the views that would be deleted, and delete nothing.",
        )

    def handle(self, *args, email, dry_run, **options):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get_by_natural_key(email.strip())
        except user_model.DoesNotExist:
            raise CommandError(
                f"No customer has the e-mail address {email!r}."
            ) from None

        count = page_views_erase(user=user, actor=ACTOR, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} page views of {user.get_username()}.")
