"""The sandbox payment gateway: Luhn, brands, test and decline numbers."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from orders import gateway
from orders.gateway import (
    Card,
    CardDeclined,
    InvalidCard,
    PaymentError,
    SandboxGateway,
    card_brand,
    luhn_valid,
)

NEXT_YEAR = date.today().year + 1


def card(number, *, cvc="123", month=12, year=NEXT_YEAR):
    return Card(number=number, exp_month=month, exp_year=year, cvc=cvc)


@pytest.mark.parametrize(
    "number",
    [
        "4242424242424242",
        "4000056655665556",
        "5555555555554444",
        "2223003122003222",
        "378282246310005",
        "6011111111111117",
    ],
)
def test_the_common_test_numbers_pass_luhn(number):
    assert luhn_valid(number)


@pytest.mark.parametrize(
    "number", ["4242424242424241", "1234567812345678", "", "42424242", "4" * 20]
)
def test_numbers_failing_luhn_or_length_are_invalid(number):
    assert not luhn_valid(number)


def test_letters_are_not_a_card_number():
    assert not luhn_valid("4242x24242424242")


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4242424242424242", "Visa"),
        ("5555555555554444", "Mastercard"),
        ("2223003122003222", "Mastercard"),
        ("378282246310005", "American Express"),
        ("6011111111111117", "Discover"),
        ("6500000000000002", "Discover"),
        ("3566002020360505", "Card"),
    ],
)
def test_the_brand_comes_from_the_leading_digits(number, brand):
    assert card_brand(number) == brand


def test_tokenize_reports_brand_last_four_and_expiry():
    token = SandboxGateway().tokenize(card("4242 4242 4242 4242"))

    assert (token.brand, token.last4, token.exp_month, token.exp_year) == (
        "Visa",
        "4242",
        12,
        NEXT_YEAR,
    )


def test_a_token_is_opaque():
    token = SandboxGateway().tokenize(card("4242 4242 4242 4242"))

    assert "424242" not in token.token


def test_two_tokens_of_one_card_differ():
    sandbox = SandboxGateway()

    first = sandbox.tokenize(card("4242424242424242")).token
    second = sandbox.tokenize(card("4242424242424242")).token

    assert first != second


def test_a_number_failing_luhn_is_refused_at_tokenize():
    with pytest.raises(InvalidCard, match="not valid"):
        SandboxGateway().tokenize(card("4242424242424241"))


@pytest.mark.parametrize("cvc", ["", "12", "12345", "abc"])
def test_a_bad_security_code_is_refused(cvc):
    with pytest.raises(InvalidCard):
        SandboxGateway().tokenize(card("4242424242424242", cvc=cvc))


def test_an_expired_card_is_refused():
    with pytest.raises(InvalidCard, match="expired"):
        SandboxGateway().tokenize(card("4242424242424242", year=2001))


@pytest.mark.parametrize("month", [0, 13])
def test_a_month_out_of_range_is_refused(month):
    with pytest.raises(InvalidCard):
        SandboxGateway().tokenize(card("4242424242424242", month=month))


def test_a_good_test_card_is_charged():
    sandbox = SandboxGateway()
    token = sandbox.tokenize(card("4242424242424242"))

    charge = sandbox.charge(
        token.token, Decimal("12.50"), currency="USD", idempotency_key="k" * 20
    )

    assert (charge.amount, charge.reference[:11]) == (Decimal("12.50"), "ch_sandbox_")


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("4000000000000002", "declined"),
        ("4000000000009995", "insufficient funds"),
        ("4000000000009987", "lost"),
        ("4000000000009979", "stolen"),
        ("4000000000000069", "expired"),
        ("4000000000000127", "security code"),
        ("4000000000000119", "try again"),
    ],
)
def test_the_decline_numbers_are_declined_at_charge_with_their_reason(number, reason):
    sandbox = SandboxGateway()
    token = sandbox.tokenize(card(number))

    with pytest.raises(CardDeclined, match=reason):
        sandbox.charge(
            token.token, Decimal("1.00"), currency="USD", idempotency_key="k"
        )


def test_a_decline_token_declines_in_another_gateway_instance():
    token = SandboxGateway().tokenize(card("4000000000000002"))

    with pytest.raises(CardDeclined):
        SandboxGateway().charge(
            token.token, Decimal("1.00"), currency="USD", idempotency_key="k"
        )


def test_a_foreign_token_is_refused():
    with pytest.raises(PaymentError):
        SandboxGateway().charge(
            "tok_live_123", Decimal("1.00"), currency="USD", idempotency_key="k"
        )


def test_the_same_idempotency_key_gives_the_same_charge():
    sandbox = SandboxGateway()
    token = sandbox.tokenize(card("4242424242424242")).token

    first = sandbox.charge(token, Decimal("5"), currency="USD", idempotency_key="a1")
    again = sandbox.charge(token, Decimal("5"), currency="USD", idempotency_key="a1")

    assert first.reference == again.reference


def test_a_refund_of_a_sandbox_charge_is_accepted():
    refund = SandboxGateway().refund("ch_sandbox_abc", Decimal("2.00"))

    assert (refund.amount, refund.reference[:11]) == (Decimal("2.00"), "re_sandbox_")


def test_a_refund_of_a_payment_not_made_through_the_gateway_is_refused():
    with pytest.raises(PaymentError):
        SandboxGateway().refund("cash", Decimal("2.00"))


def test_a_card_never_shows_its_number_or_code_in_its_repr():
    text = repr(card("4242424242424242", cvc="987"))

    assert "4242424242424242" not in text
    assert "987" not in text


class FakeGateway(gateway.PaymentGateway):
    pass


@override_settings(PAYMENT_GATEWAY="tests.test_gateway.FakeGateway")
def test_the_gateway_is_chosen_by_the_setting():
    gateway.get_gateway.cache_clear()
    try:
        assert isinstance(gateway.get_gateway(), FakeGateway)
    finally:
        gateway.get_gateway.cache_clear()
