"""E-mail the customers app sends itself (allauth sends the account ones)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_email_changed_notice(*, old_email: str, new_email: str) -> None:
    """Tell the old address that the login moved, in case the change was unwanted."""
    context = {
        "old_email": old_email,
        "new_email": new_email,
        "store_name": settings.STORE_NAME,
    }
    subject = render_to_string("customers/email/email_changed_subject.txt", context)
    body = render_to_string("customers/email/email_changed_message.txt", context)
    send_mail(
        " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [old_email],
    )
