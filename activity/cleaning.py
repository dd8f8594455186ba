"""Turning what a request carried into values fit to store and show.

Everything here takes text a visitor controls: it must come out bounded,
printable and without secrets, whatever went in.
"""

import contextlib
import ipaddress
import logging
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import unquote_plus, urlsplit

from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# A query key or URL argument whose name holds one of these is left out.
SECRET_WORDS = (
    "password",
    "passwd",
    "token",
    "key",
    "secret",
    "card",
    "cvc",
    "cvv",
    "signature",
    "uid",
)
REPLACEMENT = "\ufffd"

# Proxies add one X-Forwarded-For entry each: more than this is not a chain
# worth walking.
MAX_FORWARDED_HOPS = 20


def from_wsgi(value: str) -> str:
    """Header text as UTF-8, bad bytes replaced.

    WSGI servers hand headers over decoded as latin-1 (PEP 3333); encoding
    back gives the bytes the browser sent. Text that is not latin-1 already
    came decoded (a test client, say) and is returned as it is.
    """
    try:
        return value.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return value


def printable(value: str, limit: int) -> str:
    """At most `limit` characters, each non-printable one (NUL, controls,
    lone surrogates, line separators) replaced by U+FFFD."""
    value = value[:limit]
    if value.isprintable():
        return value
    return "".join(char if char.isprintable() else REPLACEMENT for char in value)


def is_secret_name(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in SECRET_WORDS)


def redact_query(query: str) -> str:
    """The query string without the pairs whose key looks secret.

    Pairs are kept as they were sent (still percent-encoded), in order.
    """
    if not query:
        return ""
    kept = [
        pair
        for pair in query.split("&")
        if pair and not is_secret_name(unquote_plus(pair.partition("=")[0]))
    ]
    return "&".join(kept)


def redact_path(path: str, kwargs: Mapping[str, Any]) -> str:
    """The path with secret URL arguments shown by name, as in the route.

    A password-reset link /accounts/password/reset/key/3-abc123/ becomes
    /accounts/password/reset/key/<uidb36>-<key>/. Arguments are replaced from
    the right, each to the left of the one after it, so a short value such
    as "3" cannot match an earlier part of the path.
    """
    secret = [
        (name, value)
        for name, value in kwargs.items()
        if isinstance(value, str) and value and is_secret_name(name)
    ]
    end = len(path)
    for name, value in reversed(secret):
        start = path.rfind(value, 0, end)
        if start == -1:
            continue
        path = f"{path[:start]}<{name}>{path[start + len(value) :]}"
        end = start
    return path


def partial_url(path: str, query: str, kwargs: Mapping[str, Any]) -> str:
    """Path and redacted query, as the navigation history shows them."""
    path = redact_path(path, kwargs)
    query = redact_query(query)
    return f"{path}?{query}" if query else path


# Referrers and addresses repeat from view to view: the writer looks each
# distinct one up once while it is in use.
@lru_cache(maxsize=2048)
def redact_referrer(referrer: str) -> str:
    """The referrer with secret query pairs removed, and on the store's own
    pages secret URL arguments shown by name, as for partial URLs."""
    if not referrer:
        return ""
    try:
        parts = urlsplit(referrer)
    except ValueError:
        return ""
    kwargs: Mapping[str, Any] = {}
    with contextlib.suppress(Resolver404, ValueError):
        kwargs = resolve(parts.path).kwargs
    path = redact_path(parts.path, kwargs)
    query = redact_query(parts.query)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return f"{origin}{path}?{query}" if query else f"{origin}{path}"


@lru_cache(maxsize=2048)
def parse_ip(text: str) -> IPAddress | None:
    """An address from REMOTE_ADDR or one X-Forwarded-For entry, else None.

    Accepts the forms proxies write: a bare address, "[v6]" and "[v6]:port",
    "v4:port"; drops an IPv6 zone and unwraps IPv4-mapped IPv6.
    """
    text = text.strip()
    if not text or len(text) > 64:
        return None
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    text = text.partition("%")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy.strip(), strict=False))
        except ValueError:
            logger.warning("TRUSTED_PROXIES entry %r is not an IP or network.", proxy)
    return tuple(networks)


def is_trusted(address: IPAddress, networks: Iterable[IPNetwork]) -> bool:
    return any(address in network for network in networks)


def client_ip(
    remote_addr: str, forwarded_for: str, networks: tuple[IPNetwork, ...]
) -> IPAddress | None:
    """The visitor's address.

    REMOTE_ADDR, unless it is a trusted proxy: then X-Forwarded-For is read
    from the right, past every trusted proxy, and the first address that
    is not one is the visitor. The left-most entries are whatever the
    client wrote, so they are never believed on their own; an entry that
    is not an address stops the walk at the last proxy.
    """
    address = parse_ip(remote_addr)
    if address is None or not forwarded_for or not is_trusted(address, networks):
        return address

    hops = forwarded_for.split(",")[-MAX_FORWARDED_HOPS:]
    for hop in reversed(hops):
        hop_address = parse_ip(hop)
        if hop_address is None:
            break
        address = hop_address
        if not is_trusted(hop_address, networks):
            break
    return address


def truncate_ip(address: IPAddress) -> IPAddress:
    """The address with its host part zeroed: IPv4 to /24, IPv6 to /48."""
    prefix = 24 if address.version == 4 else 48
    return ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address
