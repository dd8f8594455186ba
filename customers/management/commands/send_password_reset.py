from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import HttpRequest

from customers.commands import profile_for_command
from customers.services import CustomerError, customer_send_password_reset

ACTOR = "command: send_password_reset"


class StoreRequest(HttpRequest):
    """A stand-in request addressed to STORE_URL, for links in the e-mail."""

    def __init__(self, store_url: str):
        super().__init__()
        parts = urlsplit(store_url)
        self._scheme = parts.scheme or "http"
        default_port = "443" if self._scheme == "https" else "80"
        self.META = {
            "SERVER_NAME": parts.hostname or "localhost",
            "SERVER_PORT": str(parts.port or default_port),
            "REMOTE_ADDR": "127.0.0.1",
        }
        self.path = self.path_info = "/"

    def _get_scheme(self):
        return self._scheme


class Command(BaseCommand):
    help = "Send a customer the password reset e-mail, as the back office does."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The customer's e-mail address.")

    def handle(self, *args, email, **options):
        profile = profile_for_command(email)

        try:
            customer_send_password_reset(
                profile=profile, actor=ACTOR, request=StoreRequest(settings.STORE_URL)
            )
        except CustomerError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Password reset e-mail sent to {profile.user.email}.")
