"""Redaction, printable text and the client IP rule."""

import ipaddress

import pytest

from activity.cleaning import (
    client_ip,
    from_wsgi,
    partial_url,
    printable,
    redact_query,
    redact_referrer,
    truncate_ip,
    trusted_networks,
)
from activity.models import PageView

PROXIES = trusted_networks(("10.0.0.0/8", "2001:db8::/32"))


@pytest.mark.parametrize(
    "name",
    ["password", "new_password1", "token", "api_key", "key", "client_secret",
     "card_number", "cvc", "CVV", "signature", "uidb64"],
)  # fmt: skip
def test_a_query_key_that_looks_secret_is_removed(name):
    assert redact_query(f"page=2&{name}=s3cr3t&sort=name") == "page=2&sort=name"


def test_a_percent_encoded_secret_key_is_removed_too():
    assert redact_query("pass%77ord=s3cr3t&q=x") == "q=x"


def test_an_ordinary_query_is_kept_as_sent():
    assert redact_query("q=blue+shirt&page=2&empty=") == "q=blue+shirt&page=2&empty="


def test_a_password_reset_link_is_stored_by_its_route():
    kwargs = {"uidb36": "3", "key": "ab12-cd34ef"}

    url = partial_url("/accounts/password/reset/key/3-ab12-cd34ef/", "", kwargs)

    assert url == "/accounts/password/reset/key/<uidb36>-<key>/"


def test_a_short_secret_value_is_not_replaced_inside_an_earlier_part_of_the_path():
    url = partial_url("/accounts/confirm-email/a/", "", {"key": "a"})

    assert url == "/accounts/confirm-email/<key>/"


def test_ordinary_url_arguments_stay_in_the_path():
    assert partial_url("/items/yearbook/", "", {"slug": "yearbook"}) == (
        "/items/yearbook/"
    )


def test_a_referrer_loses_its_secret_query_keys():
    referrer = "https://store.example/checkout/?token=abc&step=2"

    assert redact_referrer(referrer) == "https://store.example/checkout/?step=2"


def test_a_referrer_from_a_password_reset_page_is_stored_by_its_route():
    referrer = "https://store.example/accounts/password/reset/key/3-set-password/"

    assert redact_referrer(referrer) == (
        "https://store.example/accounts/password/reset/key/<uidb36>-<key>/"
    )


def test_a_referrer_that_is_not_a_url_is_dropped():
    assert redact_referrer("http://[::1") == ""


def test_nul_and_control_characters_are_replaced():
    assert printable("a\x00b\x1bc\u2028d", 100) == "a\ufffdb\ufffdc\ufffdd"


def test_printable_text_is_cut_to_its_limit():
    assert printable("x" * 5000, 2000) == "x" * 2000


def test_a_non_utf8_header_is_decoded_with_replacement():
    # WSGI hands headers over as latin-1: b"\xff\xfe" arrives as "ÿþ".
    assert from_wsgi(b"caf\xc3\xa9 \xff".decode("latin-1")) == "café \ufffd"


def test_remote_addr_is_the_client_without_a_trusted_proxy():
    assert str(client_ip("203.0.113.9", "198.51.100.1", PROXIES)) == "203.0.113.9"


def test_a_forged_forwarded_for_is_ignored_from_an_untrusted_peer():
    address = client_ip("203.0.113.9", "1.2.3.4, 10.0.0.1", PROXIES)

    assert str(address) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_right_most_untrusted_entry_is_the_client():
    # The client wrote "6.6.6.6" itself; its own address is what the
    # proxy appended.
    address = client_ip("10.0.0.2", "6.6.6.6, 198.51.100.7", PROXIES)

    assert str(address) == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    address = client_ip("10.0.0.2", "198.51.100.7, 10.1.1.1, 10.2.2.2", PROXIES)

    assert str(address) == "198.51.100.7"


def test_garbage_in_the_chain_stops_at_the_last_proxy():
    address = client_ip("10.0.0.2", "198.51.100.7, <script>, 10.1.1.1", PROXIES)

    assert str(address) == "10.1.1.1"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("[2001:db9::1]:443", "2001:db9::1"),
        ("198.51.100.7:1234", "198.51.100.7"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
    ],
)
def test_the_forms_proxies_write_are_understood(forwarded, expected):
    assert str(client_ip("10.0.0.2", forwarded, PROXIES)) == expected


@pytest.mark.parametrize("remote_addr", ["", "not-an-ip", "999.1.1.1", "1.2.3.4\x00"])
def test_an_invalid_remote_addr_gives_no_ip(remote_addr):
    assert client_ip(remote_addr, "", PROXIES) is None


def test_a_bad_trusted_proxy_setting_is_skipped(caplog):
    assert trusted_networks(("nonsense", "10.0.0.0/8")) == (
        ipaddress.ip_network("10.0.0.0/8"),
    )
    assert "nonsense" in caplog.text


def test_an_ipv4_address_is_truncated_to_its_slash_24():
    assert str(truncate_ip(ipaddress.ip_address("203.0.113.77"))) == "203.0.113.0"


def test_an_ipv6_address_is_truncated_to_its_slash_48():
    address = ipaddress.ip_address("2001:db8:1234:5678::1")

    assert str(truncate_ip(address)) == "2001:db8:1234::"


@pytest.mark.django_db
def test_the_truncate_setting_applies_to_stored_views(client, settings):
    settings.ACTIVITY_TRUNCATE_IP = True

    client.get("/", REMOTE_ADDR="203.0.113.77")

    assert PageView.objects.get().ip == "203.0.113.0"


@pytest.mark.django_db
def test_a_trusted_proxys_forwarded_for_is_stored(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    client.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )

    assert PageView.objects.get().ip == "198.51.100.7"


@pytest.mark.django_db
def test_a_forged_forwarded_for_is_not_stored(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    client.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert PageView.objects.get().ip == "203.0.113.9"


@pytest.mark.django_db
def test_secret_query_keys_never_reach_the_table(client):
    client.get("/?token=abc123&page=2")

    assert PageView.objects.get().url == "/?page=2"
