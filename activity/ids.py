"""Page view ids: made in the request, signed for the time-on-page beacon.

An id is <milliseconds since ID_EPOCH> << 22 | 22 random bits. It is made
without the database, so the page can name its own view before the row is
written; it is unique across processes (a clash needs the same millisecond
and the same 22 bits), ordered by time, and fits a bigint until 2093. Its
time part is also the row's `viewed_at`, so an id alone names the monthly
partition its row lives in.
"""

import random
import time
from datetime import UTC, datetime, timedelta

from django.core import signing

ID_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
ID_EPOCH_MS = int(ID_EPOCH.timestamp() * 1000)
RANDOM_BITS = 22

BEACON_SALT = "activity.beacon"


def new_view_id(now_ms: int | None = None) -> int:
    """A fresh page view id; `now_ms` is Unix time in milliseconds."""
    if now_ms is None:
        now_ms = time.time_ns() // 1_000_000
    # Not a secret (the beacon token is signed), so the fast generator will do.
    return ((now_ms - ID_EPOCH_MS) << RANDOM_BITS) | random.getrandbits(RANDOM_BITS)


def view_id_for(moment: datetime) -> int:
    """An id whose time part is `moment`, for views made outside a request."""
    return new_view_id(int(moment.timestamp() * 1000))


def view_id_time(view_id: int) -> datetime:
    """When the view with this id happened, to the millisecond."""
    return ID_EPOCH + timedelta(milliseconds=view_id >> RANDOM_BITS)


def beacon_token(view_id: int) -> str:
    """The signed view id a page hands to the time-on-page beacon."""
    return signing.Signer(salt=BEACON_SALT).sign(str(view_id))


def beacon_view_id(token: str) -> int | None:
    """The view id in a beacon token, or None when the signature is not ours."""
    try:
        value = signing.Signer(salt=BEACON_SALT).unsign(token)
    except signing.BadSignature:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    return int(value)
