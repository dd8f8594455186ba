"""Page view ids: made in the request, signed for the time-on-page beacon.

An id is <milliseconds since ID_EPOCH> << 22 | 22 low bits. It is made
without the database, so the page can name its own view before the row is
written. The low bits come from a per-process sequence that starts at a
random number: ids of one process never clash (that would take 4M views in
one millisecond), and two processes clash only when they make a view in the
same millisecond with the same low bits, a 1 in 4M chance that the writer
survives by skipping the second row (activity.ingest.page_views_write).
Ids are ordered by time and fit a bigint until 2093. The time part is also
the row's `viewed_at`, so an id alone names the monthly partition its row
lives in.
"""

import itertools
import os
import random
import time
from datetime import UTC, datetime, timedelta

from django.core import signing

ID_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
ID_EPOCH_MS = int(ID_EPOCH.timestamp() * 1000)
RANDOM_BITS = 22

BEACON_SALT = "activity.beacon"


LOW_MASK = (1 << RANDOM_BITS) - 1


def _restart_sequence() -> None:
    global _sequence
    # Not a secret (the beacon token is signed), so the fast generator will
    # do; `random` is reseeded in a forked child before this runs again.
    _sequence = itertools.count(random.getrandbits(RANDOM_BITS))


_restart_sequence()
# gunicorn forks workers from a loaded master: each needs its own start.
os.register_at_fork(after_in_child=_restart_sequence)


def new_view_id(now_ms: int | None = None) -> int:
    """A fresh page view id; `now_ms` is Unix time in milliseconds."""
    if now_ms is None:
        now_ms = time.time_ns() // 1_000_000
    return ((now_ms - ID_EPOCH_MS) << RANDOM_BITS) | (next(_sequence) & LOW_MASK)


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
