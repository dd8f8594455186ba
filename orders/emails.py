"""The e-mail the store sends about orders, through Django's mail API."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from orders.models import Order

logger = logging.getLogger(__name__)


def order_receipt_send(*, order: Order) -> bool:
    """E-mail the receipt of `order` to its address; False when sending failed.

    Runs after the order is committed, so a mail server that is down is
    logged rather than turned into an error page for an order that exists.
    """
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "store_name": settings.STORE_NAME,
        "currency": order.currency,
    }
    subject = _("Your order %(number)s at %(store)s") % {
        "number": order.number,
        "store": settings.STORE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("email/order_receipt.txt", context),
        to=[order.email],
    )
    message.attach_alternative(
        render_to_string("email/order_receipt.html", context), "text/html"
    )
    try:
        message.send()
    except Exception:
        logger.exception("Could not send the receipt for order %s", order.number)
        return False
    return True
