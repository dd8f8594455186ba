"""The payment gateway adapter.

The store never keeps a card number or security code: a card goes to the
gateway once, and what comes back is an opaque token plus the brand, the
last four digits and the expiry, which is all a profile keeps. The adapter
is chosen by the PAYMENT_GATEWAY setting; `SandboxGateway` is the default
and behaves like a real gateway's test mode.
"""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class PaymentError(Exception):
    """The gateway refused: the message is safe to show to the shopper."""


class CardDeclined(PaymentError):
    pass


class InvalidCard(PaymentError):
    pass


@dataclass(frozen=True)
class Card:
    """A card as typed at checkout. Lives only for the length of one request."""

    number: str = field(repr=False)
    exp_month: int
    exp_year: int
    cvc: str = field(repr=False)
    holder_name: str = ""

    @property
    def digits(self) -> str:
        return "".join(ch for ch in self.number if ch.isdigit())


@dataclass(frozen=True)
class CardToken:
    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    holder_name: str = ""


@dataclass(frozen=True)
class Charge:
    reference: str
    amount: Decimal


@dataclass(frozen=True)
class Refund:
    reference: str
    amount: Decimal


class PaymentGateway:
    """What the store asks of a gateway. Amounts are in the store currency."""

    def tokenize(self, card: Card) -> CardToken:
        raise NotImplementedError

    def charge(
        self, token: str, amount: Decimal, *, currency: str, idempotency_key: str
    ) -> Charge:
        raise NotImplementedError

    def refund(self, charge_reference: str, amount: Decimal) -> Refund:
        raise NotImplementedError


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        return False

    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def card_brand(digits: str) -> str:
    if digits.startswith("4"):
        return "Visa"
    if digits[:2] in {"51", "52", "53", "54", "55"} or "2221" <= digits[:4] <= "2720":
        return "Mastercard"
    if digits[:2] in {"34", "37"}:
        return "American Express"
    if digits.startswith(("6011", "65")) or "644" <= digits[:3] <= "649":
        return "Discover"
    return "Card"


# The well-known test numbers that the big gateways decline, with the reason.
# Their order matters: a declining token carries the reason's position.
SANDBOX_DECLINES = {
    "4000000000000002": "The card was declined.",
    "4000000000009995": "The card has insufficient funds.",
    "4000000000009987": "The card was reported lost.",
    "4000000000009979": "The card was reported stolen.",
    "4000000000000069": "The card has expired.",
    "4000000000000127": "The security code is incorrect.",
    "4000000000000119": "The card could not be processed; try again.",
}


class SandboxGateway(PaymentGateway):
    """A gateway in test mode: accepts valid test cards, declines the decline ones.

    Tokens are random. A token made from a decline number carries the
    reason's position, as a real sandbox's test tokens do, so charging it
    fails in any process, however much later.
    """

    def tokenize(self, card: Card) -> CardToken:
        digits = card.digits
        if not luhn_valid(digits):
            raise InvalidCard("The card number is not valid.")
        if not card.cvc.isdigit() or len(card.cvc) not in (3, 4):
            raise InvalidCard("The security code must be 3 or 4 digits.")
        if not 1 <= card.exp_month <= 12:
            raise InvalidCard("The expiry month must be between 1 and 12.")
        today = date.today()
        if (card.exp_year, card.exp_month) < (today.year, today.month):
            raise InvalidCard("The card has expired.")

        decline = (
            list(SANDBOX_DECLINES).index(digits) if digits in SANDBOX_DECLINES else None
        )
        marker = "" if decline is None else f"decline{decline}_"
        token = f"tok_sandbox_{marker}{secrets.token_hex(12)}"
        return CardToken(
            token=token,
            brand=card_brand(digits),
            last4=digits[-4:],
            exp_month=card.exp_month,
            exp_year=card.exp_year,
            holder_name=card.holder_name,
        )

    def charge(
        self, token: str, amount: Decimal, *, currency: str, idempotency_key: str
    ) -> Charge:
        if not token.startswith("tok_sandbox_"):
            raise PaymentError("The saved card is no longer valid at the gateway.")
        reason = self._decline_reason(token)
        if reason:
            logger.info("Sandbox declined a charge of %s %s", amount, currency)
            raise CardDeclined(reason)

        reference = "ch_sandbox_" + self._reference(idempotency_key)
        return Charge(reference=reference, amount=amount)

    def refund(self, charge_reference: str, amount: Decimal) -> Refund:
        if not charge_reference.startswith("ch_sandbox_"):
            raise PaymentError("This payment was not made through the gateway.")
        return Refund(reference="re_sandbox_" + secrets.token_hex(8), amount=amount)

    @staticmethod
    def _decline_reason(token: str) -> str | None:
        marker = token.removeprefix("tok_sandbox_")
        if not marker.startswith("decline"):
            return None
        position = int(marker.removeprefix("decline").split("_", 1)[0])
        return list(SANDBOX_DECLINES.values())[position]

    @staticmethod
    def _reference(idempotency_key: str) -> str:
        # The same key always gives the same charge, as a real gateway's
        # idempotency keys do.
        key = settings.SECRET_KEY.encode()
        return hmac.new(key, idempotency_key.encode(), hashlib.sha256).hexdigest()[:24]


@cache
def get_gateway() -> PaymentGateway:
    """The configured gateway adapter, one instance per process."""
    return import_string(settings.PAYMENT_GATEWAY)()
