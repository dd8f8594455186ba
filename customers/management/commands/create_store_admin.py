import getpass
import os
import sys

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from activity.history import history_record
from customers.models import CustomerProfile, User, normalize_email
from customers.permissions import STORE_ADMIN_GROUP

ACTOR = "command: create_store_admin"
PASSWORD_VARIABLE = "STORE_ADMIN_PASSWORD"  # noqa: S105 (a variable name)


class Command(BaseCommand):
    help = (
        "Create a staff account in the Store admin group, or promote an existing one."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The store admin's e-mail address (login).")
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="Keep the account's current password (or none); they can reset it.",
        )

    def handle(self, *args, email, no_password, **options):
        email = normalize_email(email)
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not a valid e-mail address.") from None
        password = None if no_password else self.read_password(email)

        with transaction.atomic():
            user, created = self.make_store_admin(email, password)

        verb = "created" if created else "updated"
        self.stdout.write(f"Store admin {verb}: {email}")

    def read_password(self, email: str) -> str:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            if not sys.stdin.isatty():
                raise CommandError(
                    f"No password: set {PASSWORD_VARIABLE}, run in a terminal, "
                    "or pass --no-password."
                )
            password = getpass.getpass(f"Password for {email}: ")
            if password != getpass.getpass("Password again: "):
                raise CommandError("The two passwords differ.")

        try:
            validate_password(password, User(email=email))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return password

    def make_store_admin(self, email: str, password: str | None):
        user = User.objects.select_for_update().filter(email=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(email, password, is_staff=True)
        else:
            if password is not None:
                user.set_password(password)
            user.is_staff = True
            user.is_active = True
            user.save()

        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        user.groups.add(Group.objects.get(name=STORE_ADMIN_GROUP))
        profile, _ = CustomerProfile.objects.get_or_create(user=user)
        history_record(
            profile,
            "customers.account.store_admin_granted",
            actor=ACTOR,
            changes={"groups": [None, STORE_ADMIN_GROUP]},
        )
        return user, created
